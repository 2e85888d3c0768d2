using PrImageReport.Core.Comparison;
using PrImageReport.Core.Dockerfiles;
using PrImageReport.Core.Images;
using PrImageReport.Core.Reports;
using PrImageReport.Testing.GitHub;
using static PrImageReport.Core.Tests.Comparison.SampleFacts;
using static PrImageReport.Core.Tests.Reports.GfmCheck;

namespace PrImageReport.Core.Tests.Reports;

/// <summary>Every string a pull request controls reaches the comment without pinging anyone, cross-referencing an
/// issue or becoming a link: the bot would otherwise do it under its own name.</summary>
public class MentionsAndLinksTests
{
    const string Hostile = "@octocat @github/security see github/docs#1 #2 GH-3 https://evil.example www.evil.example me@evil.example";

    static ComparisonReport HostileReport()
    {
        var stage = new StageSummary(0, Hostile, SlimBase, 1);
        var final = new StageSummary(1, null, SlimBase, 7);
        var file = new DockerfileFacts(Hostile + "/Dockerfile", [stage, final], final, [stage, final], SlimBase, 7, null);
        var image = Image("pr-image-report/head:x", "sha256:00", [Layer("RUN echo " + Hostile, 5_000_000)], [new BuildTool(Hostile, Hostile)]);
        var built = new ImageComparison(Hostile + "/Dockerfile", Hostile, new SideFacts(Hostile, file, SlimImage(), null), new SideFacts(Hostile, file, image, null),
            [new Finding("build-tools-in-final-image", Severity.Error, "RUN echo " + Hostile, "drop " + Hostile, 2)])
        {
            Evidence = ImageEvidence.None with { Packages = [new PackageChange(PackageManager.Dpkg, Hostile, Hostile, null, 10, null)] },
        };
        var failure = new BuildFailure("RUN echo " + Hostile + " && false", "The command '/bin/sh -c echo " + Hostile + " && false' returned a non-zero code: 1", [Hostile], 2);
        var failed = new ImageComparison("Dockerfile", ".", SlimSide(), new SideFacts(Hostile, file, null, failure), [new Finding("build-failed", Severity.Error, failure.Message, null, 2)]);
        return new ComparisonReport([built, failed]);
    }

    [Fact]
    public void PR_text_everywhere_in_the_report_is_inert_on_GitHub()
    {
        var markdown = MarkdownReportRenderer.Render(HostileReport());

        AssertWellFormed(markdown);
        GitHubMarkdown.AssertInert(markdown);
        Assert.Contains("@octocat", GitHubMarkdown.Visible(markdown), StringComparison.Ordinal);
        Assert.Contains("github/docs#1 #2 GH-3 https://evil.example www.evil.example me@evil.example", GitHubMarkdown.Visible(markdown), StringComparison.Ordinal);
    }

    [Fact]
    public async Task PR_text_read_back_from_report_json_is_inert_too()
    {
        using var json = new MemoryStream();
        await JsonReportWriter.WriteAsync(HostileReport(), json, CancellationToken.None);
        json.Position = 0;

        var report = await JsonReportReader.ReadAsync(json, "report.json", CancellationToken.None);

        GitHubMarkdown.AssertInert(MarkdownReportRenderer.Render(report));
    }

    [Theory]
    [InlineData("@octocat")]
    [InlineData("ping @octo-org/team now")]
    [InlineData("a@b.example")]
    [InlineData("see github/docs#12")]
    [InlineData("fixes #7, gh-8")]
    [InlineData("https://evil.example/x?y=1")]
    [InlineData("HTTP://EVIL.EXAMPLE")]
    [InlineData("WWW.evil.example")]
    [InlineData("mailto:me@evil.example")]
    public void Inline_and_html_text_never_link_or_mention(string text)
    {
        GitHubMarkdown.AssertInert(MarkdownText.Inline(text));
        GitHubMarkdown.AssertInert($"<details>\n<summary>{MarkdownText.Html(text)}</summary>\n\n</details>");
        Assert.Equal(text, GitHubMarkdown.Visible(MarkdownText.Html(text)));
    }
}
