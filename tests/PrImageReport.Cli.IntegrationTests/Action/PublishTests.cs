using PrImageReport.Cli.IntegrationTests.Infrastructure;
using PrImageReport.Core.Comparison;
using PrImageReport.Core.Images;
using PrImageReport.Core.Reports;
using PrImageReport.Testing;
using PrImageReport.Testing.GitHub;

namespace PrImageReport.Cli.IntegrationTests.Action;

/// <summary>The privileged half of the fork pattern: a report computed elsewhere is posted by <c>publish</c>.</summary>
public sealed class PublishTests
{
    private const string Sha = "0123456789abcdef0123456789abcdef01234567";

    [Fact]
    public async Task Publish_posts_the_report_as_the_sticky_comment_and_status_and_updates_it_on_the_next_run()
    {
        await using var github = await FakeGitHubServer.StartAsync();
        using var folder = new TempDirectory();
        var reportPath = folder.Combine("report.json");
        await using (var file = File.Create(reportPath))
        {
            await JsonReportWriter.WriteAsync(GrownReport(), file, CancellationToken.None);
        }

        string[] arguments = ["publish", "--report", reportPath, "--repository", "octo-org/shop", "--pull-request", "7", "--sha", Sha, "--key", "fork-report", "--run-number", "3"];
        var environment = new Dictionary<string, string?>
        {
            ["GITHUB_TOKEN"] = FakeGitHubServer.Token,
            ["GITHUB_API_URL"] = github.ApiUrl.AbsoluteUri,
            ["GITHUB_RUN_ATTEMPT"] = null,
        };

        var first = await CliTool.RunAsync(arguments, folder.Path, environment);
        var second = await CliTool.RunAsync(arguments, folder.Path, environment);

        Assert.True(first.ExitCode == ExitCodes.Failed, first.Describe());
        Assert.True(second.ExitCode == ExitCodes.Failed, second.Describe());
        var comment = Assert.Single(github.Comments("octo-org", "shop", 7));
        Assert.StartsWith($"<!-- pr-image-report:fork-report head={Sha} run=3.1 -->\nReport for head commit 0123456, run 3.\n\n", comment.Body, StringComparison.Ordinal);
        Assert.Contains("`image-size-increase`", comment.Body, StringComparison.Ordinal);
        var statuses = github.Statuses("octo-org", "shop", Sha);
        Assert.Equal(2, statuses.Count);
        Assert.All(statuses, s => Assert.Equal(("failure", "pr-image-report"), (s.State, s.Context)));
        Assert.DoesNotContain(FakeGitHubServer.Token, first.StandardOutput + first.StandardError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_comment_GitHub_refuses_still_leaves_the_commit_status_set()
    {
        await using var github = await FakeGitHubServer.StartAsync();
        using var folder = new TempDirectory();
        var reportPath = folder.Combine("report.json");
        await using (var file = File.Create(reportPath))
        {
            await JsonReportWriter.WriteAsync(GrownReport(), file, CancellationToken.None);
        }
        // The first POST is the comment; the status POST that follows is served.
        github.FailNext(1, FakeFailure.Unprocessable("Body is too long (maximum is 65536 characters)"), "POST");

        var result = await CliTool.RunAsync(
            ["publish", "--report", reportPath, "--repository", "octo-org/shop", "--pull-request", "7", "--sha", Sha],
            folder.Path,
            new Dictionary<string, string?> { ["GITHUB_TOKEN"] = FakeGitHubServer.Token, ["GITHUB_API_URL"] = github.ApiUrl.AbsoluteUri });

        Assert.True(result.ExitCode == ExitCodes.Failed, result.Describe());
        Assert.Empty(github.Comments("octo-org", "shop", 7));
        var status = Assert.Single(github.Statuses("octo-org", "shop", Sha));
        Assert.Equal(("failure", "pr-image-report"), (status.State, status.Context));
        Assert.Contains("Report comment not posted: GitHub answered 422", result.StandardError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Publish_of_a_missing_report_is_bad_input()
    {
        using var folder = new TempDirectory();

        var result = await CliTool.RunAsync(
            ["publish", "--report", "nope.json", "--repository", "octo-org/shop", "--pull-request", "7", "--sha", Sha],
            folder.Path,
            new Dictionary<string, string?> { ["GITHUB_TOKEN"] = FakeGitHubServer.Token });

        Assert.True(result.ExitCode == ExitCodes.BadInput, result.Describe());
        Assert.Contains("nope.json: no such report", result.StandardError, StringComparison.Ordinal);
    }

    private static ComparisonReport GrownReport()
    {
        ImageFacts Image(long size) => new("app", "sha256:1", size, [new LayerFact("", "(base image)", size, false)], []);
        var baseSide = new SideFacts("main", null, Image(100_000_000), null);
        var headSide = new SideFacts("pr", null, Image(200_000_000), null);
        return new ComparisonReport([ImageComparer.Compare("Dockerfile", ".", baseSide, headSide, new RuleOptions())]);
    }
}
