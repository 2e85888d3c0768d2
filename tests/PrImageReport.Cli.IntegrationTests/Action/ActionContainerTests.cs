using PrImageReport.Cli.IntegrationTests.Infrastructure;
using PrImageReport.Docker;
using PrImageReport.Testing;
using PrImageReport.Testing.GitHub;

namespace PrImageReport.Cli.IntegrationTests.Action;

/// <summary>
/// The action end to end, the way the GitHub runner runs a container action: the image built from the root
/// Dockerfile, then <c>docker run</c> with the workspace at /github/workspace (owned by the runner's uid 1001), the
/// engine's socket, the file-command folder, INPUT_* and GITHUB_* variables and a pull_request event file.
/// </summary>
[Collection(DockerEngineCollection.Name)]
public sealed class ActionContainerTests
{
    private const string RunnerUid = "1001";

    [Fact]
    public async Task The_action_image_reports_a_pr_that_drops_multi_stage()
    {
        await Engine.RequireAsync(Engine.SlimPython, Engine.FatPython, "mcr.microsoft.com/dotnet/sdk:10.0", "mcr.microsoft.com/dotnet/runtime:10.0", "docker:20.10-cli");
        using var engine = await DockerRequirement.EngineAsync();
        var image = $"pr-image-report-action-test:{Guid.NewGuid():N}";
        // Host network for the build: NuGet restore inside it is the only step that needs the outside world.
        var build = await engine.BuildAsync(
            new BuildRequest(RepositoryRoot.Path, RepositoryRoot.Combine("Dockerfile"), new Dictionary<string, string>(), null, image, BuilderKind.Classic, "host"),
            null,
            CancellationToken.None);
        Assert.True(build.Failure is null, $"the action image did not build: {build.Failure}");
        try
        {
            await using var scenario = await ActionScenario.CreateAsync();
            await ChownAsync(scenario.Repository.Path);
            await ChownAsync(scenario.Runner.Path);

            var result = await RunAsRunnerAsync(image, scenario);

            Assert.True(result.ExitCode == ExitCodes.Failed, result.Describe());
            var comment = Assert.Single(scenario.GitHub.Comments(ActionScenario.Owner, ActionScenario.Repo, ActionScenario.Number));
            Assert.Contains("`multi-stage-dropped`", comment.Body, StringComparison.Ordinal);
            Assert.Contains("`fat-base-image`", comment.Body, StringComparison.Ordinal);
            var status = Assert.Single(scenario.GitHub.Statuses(ActionScenario.Owner, ActionScenario.Repo, scenario.HeadSha));
            Assert.Equal(("failure", "pr-image-report"), (status.State, status.Context));
            Assert.Contains("PR Image Report: FAIL", await File.ReadAllTextAsync(scenario.SummaryFile), StringComparison.Ordinal);
            var outputs = ActionProcessTests.ReadOutputs(await File.ReadAllTextAsync(scenario.OutputFile));
            Assert.Equal("fail", outputs["verdict"]);
            Assert.Equal(".pr-image-report/report.md", outputs["report-markdown"]);
            Assert.Contains("::error file=Dockerfile,line=1,title=multi-stage-dropped::", result.StandardOutput, StringComparison.Ordinal);
            ActionProcessTests.AssertTokenOnlyMasked(result);

            // The runner's user must be able to clean the workspace after the job.
            var report = Path.Combine(scenario.Repository.Path, outputs["report-json"]);
            Assert.Equal(RunnerUid, await OwnerAsync(report));
            Assert.Equal(RunnerUid, await OwnerAsync(Path.GetDirectoryName(report)!));
        }
        finally
        {
            await engine.RemoveImageAsync(image, CancellationToken.None);
        }
    }

    private static async Task<ProcessResult> RunAsRunnerAsync(string image, ActionScenario scenario)
    {
        string InContainer(string path) =>
            path.StartsWith(scenario.Repository.Path, StringComparison.Ordinal) ? "/github/workspace" + path[scenario.Repository.Path.Length..]
            : "/github" + path[scenario.Runner.Path.Length..];

        var arguments = new List<string>
        {
            "run", "--rm",
            // The fake GitHub API listens on the host's loopback; the runner itself uses a job network instead.
            "--network", "host",
            "--workdir", "/github/workspace",
            "-v", "/var/run/docker.sock:/var/run/docker.sock",
            "-v", $"{scenario.Repository.Path}:/github/workspace",
            "-v", $"{scenario.Runner.Combine("workflow")}:/github/workflow",
            "-v", $"{scenario.Runner.Combine("file_commands")}:/github/file_commands",
        };
        foreach (var (name, value) in scenario.Environment(InContainer, scenario.GitHub.ApiUrl))
        {
            arguments.Add("-e");
            arguments.Add($"{name}={value}");
        }

        arguments.Add(image);
        return await ProcessRunner.RunAsync("docker", arguments, scenario.Repository.Path, null, null, TimeSpan.FromMinutes(10));
    }

    private static async Task ChownAsync(string path)
    {
        var result = await ProcessRunner.RunAsync("chown", ["-R", $"{RunnerUid}:{RunnerUid}", path]);
        Assert.True(result.ExitCode == 0, result.Describe());
    }

    private static async Task<string> OwnerAsync(string path)
    {
        var result = await ProcessRunner.RunAsync("stat", ["-c", "%u", path]);
        Assert.True(result.ExitCode == 0, result.Describe());
        return result.StandardOutput.Trim();
    }
}
