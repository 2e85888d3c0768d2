using PrImageReport.Cli.IntegrationTests.Infrastructure;
using PrImageReport.Testing;
using PrImageReport.Testing.GitHub;

namespace PrImageReport.Cli.IntegrationTests.Action;

/// <summary>The action verb run as a process on the host against the fake GitHub API and the real engine.</summary>
[Collection(DockerEngineCollection.Name)]
public sealed class ActionProcessTests
{
    [Fact]
    public async Task First_run_comments_sets_a_failing_status_and_a_second_run_updates_the_same_comment()
    {
        await Engine.RequireAsync(Engine.SlimPython, Engine.FatPython);
        await using var scenario = await ActionScenario.CreateAsync();

        var first = await RunAsync(scenario);

        Assert.True(first.ExitCode == ExitCodes.Failed, first.Describe());
        var comment = Assert.Single(scenario.GitHub.Comments(ActionScenario.Owner, ActionScenario.Repo, ActionScenario.Number));
        Assert.StartsWith(
            $"<!-- pr-image-report:Image-report/image-report:Dockerfile head={scenario.HeadSha} run=7.1 -->\nReport for head commit {scenario.HeadSha[..7]}, run 7.\n\n",
            comment.Body,
            StringComparison.Ordinal);
        Assert.Contains("PR Image Report: FAIL", comment.Body, StringComparison.Ordinal);
        Assert.Contains("`multi-stage-dropped`", comment.Body, StringComparison.Ordinal);
        var status = Assert.Single(scenario.GitHub.Statuses(ActionScenario.Owner, ActionScenario.Repo, scenario.HeadSha));
        Assert.Equal(("failure", "pr-image-report"), (status.State, status.Context));
        Assert.StartsWith("fail: +", status.Description, StringComparison.Ordinal);
        Assert.Equal("https://github.com/octo-org/school-api/actions/runs/1234", status.TargetUrl);

        Assert.Contains("PR Image Report: FAIL", await File.ReadAllTextAsync(scenario.SummaryFile), StringComparison.Ordinal);
        var outputs = ReadOutputs(await File.ReadAllTextAsync(scenario.OutputFile));
        Assert.Equal("fail", outputs["verdict"]);
        Assert.True(long.Parse(outputs["size-delta-bytes"], System.Globalization.CultureInfo.InvariantCulture) > 100_000_000, outputs["size-delta-bytes"]);
        Assert.Equal(".pr-image-report/report.json", outputs["report-json"]);
        Assert.True(File.Exists(Path.Combine(scenario.Repository.Path, outputs["report-json"])));
        Assert.True(File.Exists(Path.Combine(scenario.Repository.Path, outputs["report-markdown"])));
        // Each error finding is an annotation on the Dockerfile line behind it: here the FROM of the single stage.
        Assert.Contains("::error file=Dockerfile,line=1,title=fat-base-image::", first.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("::error file=Dockerfile,line=1,title=multi-stage-dropped::", first.StandardOutput, StringComparison.Ordinal);
        AssertTokenOnlyMasked(first);

        var second = await RunAsync(scenario);

        Assert.True(second.ExitCode == ExitCodes.Failed, second.Describe());
        var updated = Assert.Single(scenario.GitHub.Comments(ActionScenario.Owner, ActionScenario.Repo, ActionScenario.Number));
        Assert.Equal(comment.Id, updated.Id);
        Assert.Equal(2, scenario.GitHub.Statuses(ActionScenario.Owner, ActionScenario.Repo, scenario.HeadSha).Count);
        Assert.Contains(scenario.GitHub.Requests, r => r.Method == "PATCH" && r.Path.EndsWith($"/issues/comments/{comment.Id}", StringComparison.Ordinal));

        // A run that started earlier (number 6) and finishes last leaves run 7's comment alone, but still sets its status.
        var late = await RunAsync(scenario, new() { ["GITHUB_RUN_NUMBER"] = "6" });

        Assert.True(late.ExitCode == ExitCodes.Failed, late.Describe());
        Assert.Equal(updated, Assert.Single(scenario.GitHub.Comments(ActionScenario.Owner, ActionScenario.Repo, ActionScenario.Number)));
        Assert.Contains("::notice::Report comment left as it is: it describes head commit", late.StandardOutput, StringComparison.Ordinal);
        Assert.Equal(3, scenario.GitHub.Statuses(ActionScenario.Owner, ActionScenario.Repo, scenario.HeadSha).Count);
    }

    [Fact]
    public async Task A_hostile_PR_cannot_ping_link_or_take_over_a_planted_comment_and_a_502_on_the_tree_is_retried()
    {
        await Engine.RequireAsync(Engine.SlimPython);
        const string hostile = "@octocat see github/docs#1 https://evil.example";
        await using var scenario = await ActionScenario.CreateAsync($"""
            FROM python:3.11-slim
            RUN echo {hostile} && false
            """);
        var planted = scenario.GitHub.AddComment(ActionScenario.Owner, ActionScenario.Repo, ActionScenario.Number, "mallory",
            "<!-- pr-image-report:Image-report/image-report:Dockerfile -->\nplanted by a human");
        // The first API request is the base tree's download.
        scenario.GitHub.FailNext(1, FakeFailure.ServerError(502), "GET");

        var result = await RunAsync(scenario);

        Assert.True(result.ExitCode == ExitCodes.Failed, result.Describe());
        var comments = scenario.GitHub.Comments(ActionScenario.Owner, ActionScenario.Repo, ActionScenario.Number);
        Assert.Equal(2, comments.Count);
        Assert.Equal(planted, comments[0]);
        var report = comments[1];
        Assert.Equal(FakeGitHubServer.BotLogin, report.User);
        Assert.Contains(scenario.HeadSha[..7], report.Body, StringComparison.Ordinal);
        Assert.Contains("echo " + hostile, GitHubMarkdown.Visible(report.Body).Replace("\\", "", StringComparison.Ordinal), StringComparison.Ordinal);
        GitHubMarkdown.AssertInert(report.Body);
        GitHubMarkdown.AssertInert(await File.ReadAllTextAsync(scenario.SummaryFile));
        Assert.Single(scenario.GitHub.Statuses(ActionScenario.Owner, ActionScenario.Repo, scenario.HeadSha));
    }

    [Fact]
    public async Task A_read_only_token_still_reports_in_the_summary_says_why_and_exits_by_verdict()
    {
        await Engine.RequireAsync(Engine.SlimPython, Engine.FatPython);
        await using var scenario = await ActionScenario.CreateAsync();
        // A fork's token reads but cannot write: every POST answers 403 as GitHub does.
        scenario.GitHub.FailNext(10, FakeFailure.Forbidden(), "POST");

        var result = await RunAsync(scenario);

        Assert.True(result.ExitCode == ExitCodes.Failed, result.Describe());
        Assert.Empty(scenario.GitHub.Comments(ActionScenario.Owner, ActionScenario.Repo, ActionScenario.Number));
        Assert.Contains("::notice::Report comment not posted", result.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("::notice::Commit status not set", result.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("PR Image Report: FAIL", await File.ReadAllTextAsync(scenario.SummaryFile), StringComparison.Ordinal);
        Assert.Equal("fail", ReadOutputs(await File.ReadAllTextAsync(scenario.OutputFile))["verdict"]);
        AssertTokenOnlyMasked(result);
    }

    [Fact]
    public async Task Fail_on_never_passes_the_job_but_the_status_still_says_fail()
    {
        await Engine.RequireAsync(Engine.SlimPython, Engine.FatPython);
        await using var scenario = await ActionScenario.CreateAsync();

        var result = await RunAsync(scenario, new() { ["INPUT_FAIL-ON"] = "never" });

        Assert.True(result.ExitCode == ExitCodes.Success, result.Describe());
        var status = Assert.Single(scenario.GitHub.Statuses(ActionScenario.Owner, ActionScenario.Repo, scenario.HeadSha));
        Assert.Equal("success", status.State);
        Assert.StartsWith("fail: ", status.Description, StringComparison.Ordinal);
    }

    [Fact]
    [Trait(Lane2.Trait, Lane2.Name)]
    public async Task The_buildx_builder_and_cache_inputs_reach_both_builds_and_a_secrets_input_is_taken()
    {
        await Lane2.RequireAsync();
        await Engine.RequireAsync(Engine.SlimPython, Engine.FatPython);
        await using var scenario = await ActionScenario.CreateAsync();
        using var cache = new TempDirectory("pr-image-report-cache-");
        const string Token = "act-7c3e-secret-value";

        var result = await RunAsync(scenario, new()
        {
            ["INPUT_BUILDX-BUILDER"] = "default",
            ["INPUT_SECRETS"] = "id=tok,env=PR_IMAGE_REPORT_TEST_TOKEN\n",
            ["INPUT_CACHE-FROM"] = $"type=local,src={cache.Path}",
            ["INPUT_CACHE-TO"] = $"type=local,dest={cache.Path}\n",
            ["PR_IMAGE_REPORT_TEST_TOKEN"] = Token,
        });

        // The verdict's exit, not 2: the secrets input parsed. That secrets reach the build, masked, BuildSecretTests shows.
        Assert.True(result.ExitCode == ExitCodes.Failed, result.Describe());
        Assert.Contains("[base] building Dockerfile at main with BuildKit (buildx builder default, docker driver, loaded into the engine)", result.StandardError, StringComparison.Ordinal);
        Assert.Contains("[head] building Dockerfile at ", result.StandardError, StringComparison.Ordinal);
        Assert.Equal(["Dockerfile-base", "Dockerfile-head"], Directory.GetDirectories(cache.Path).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        Assert.All(Directory.GetDirectories(cache.Path), side => Assert.True(File.Exists(Path.Combine(side, "index.json")), $"{side} holds no cache"));
    }

    [Fact]
    public async Task Any_event_but_a_pull_request_is_bad_input_with_a_one_line_message()
    {
        await using var scenario = await ActionScenario.CreateAsync();
        scenario.WriteEvent("push");

        var result = await RunAsync(scenario);

        Assert.True(result.ExitCode == ExitCodes.BadInput, result.Describe());
        var message = Assert.Single(result.StandardError.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains("'push'", message, StringComparison.Ordinal);
        Assert.Contains("pull_request", message, StringComparison.Ordinal);
        Assert.Empty(scenario.GitHub.Requests);
    }

    private static Task<ProcessResult> RunAsync(ActionScenario scenario, Dictionary<string, string?>? overrides = null)
    {
        var environment = scenario.Environment(path => path, scenario.GitHub.ApiUrl);
        foreach (var (name, value) in overrides ?? [])
        {
            environment[name] = value;
        }

        return CliTool.RunAsync(["action"], scenario.Repository.Path, environment);
    }

    /// <summary>The token may appear only in the add-mask command that tells the runner to hide it.</summary>
    internal static void AssertTokenOnlyMasked(ProcessResult result)
    {
        var lines = (result.StandardOutput + "\n" + result.StandardError).Split('\n');
        Assert.All(
            lines.Where(l => l.Contains(FakeGitHubServer.Token, StringComparison.Ordinal)),
            line => Assert.Equal($"::add-mask::{FakeGitHubServer.Token}", line.TrimEnd('\r')));
    }

    /// <summary>Reads GITHUB_OUTPUT's name=value and name&lt;&lt;DELIMITER forms.</summary>
    internal static Dictionary<string, string> ReadOutputs(string text)
    {
        var outputs = new Dictionary<string, string>(StringComparer.Ordinal);
        var lines = text.Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i];
            var heredoc = line.IndexOf("<<", StringComparison.Ordinal);
            if (heredoc > 0)
            {
                var delimiter = line[(heredoc + 2)..];
                var value = new List<string>();
                while (++i < lines.Length && lines[i] != delimiter)
                {
                    value.Add(lines[i]);
                }

                outputs[line[..heredoc]] = string.Join('\n', value);
            }
            else if (line.IndexOf('=', StringComparison.Ordinal) is > 0 and var equals)
            {
                outputs[line[..equals]] = line[(equals + 1)..];
            }
        }

        return outputs;
    }
}
