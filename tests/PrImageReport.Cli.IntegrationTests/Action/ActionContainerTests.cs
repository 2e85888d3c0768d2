using PrImageReport.Cli.IntegrationTests.Infrastructure;
using PrImageReport.Testing;
using PrImageReport.Testing.GitHub;

namespace PrImageReport.Cli.IntegrationTests.Action;

/// <summary>
/// The action end to end, the way the GitHub runner runs a container action: the image built from the root
/// Dockerfile, then <c>docker run</c> with the workspace at /github/workspace (owned by the runner's uid 1001), the
/// engine's socket, the file-command folder, INPUT_* and GITHUB_* variables and a pull_request event file.
/// </summary>
[Collection(DockerEngineCollection.Name)]
public sealed class ActionContainerTests(ActionImageFixture action) : IClassFixture<ActionImageFixture>
{
    private const string RunnerUid = "1001";

    /// <summary>Docker 29.0-29.2 refuse clients older than this Engine API version.</summary>
    private static readonly Version OldestApiDocker29Accepts = new(1, 44);

    // Lane 1 only: the container shares its engine's network, and lane 2's namespace has loopback alone, where the
    // fake GitHub API on this machine's loopback cannot be reached. The image's CLI against lane 2 is the next test's.
    [Fact]
    [Trait(Lane2.Trait, "lane1")]
    public async Task The_action_image_reports_a_pr_that_drops_multi_stage()
    {
        action.AssertBuilt();
        await using var scenario = await ActionScenario.CreateAsync();
        await ChownAsync(scenario.Repository.Path);
        await ChownAsync(scenario.Runner.Path);

        var result = await RunAsRunnerAsync(action, scenario);

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

    [Fact]
    public async Task The_action_image_ships_a_docker_cli_that_docker_29_accepts_with_buildx()
    {
        action.AssertBuilt();

        // With the engine's socket, as the runner mounts it: the client's own API version, and the one it settled on with this engine.
        var version = await RunInImageAsync("version", "--format", "{{.Client.DefaultAPIVersion}} {{.Client.APIVersion}} {{.Server.APIVersion}}");
        var versions = version.StandardOutput.Trim().Split(' ').Select(Version.Parse).ToList();
        Assert.True(versions.Count == 3, version.Describe());
        var (client, negotiated, engine) = (versions[0], versions[1], versions[2]);
        Assert.True(client >= OldestApiDocker29Accepts, $"the action's docker CLI speaks API {client}; Docker 29 refuses clients older than {OldestApiDocker29Accepts}");
        // An older engine (Docker 20.10 speaks 1.41) is spoken to in its own version, not refused.
        Assert.Equal(client < engine ? client : engine, negotiated);

        var buildx = await RunInImageAsync("buildx", "version");
        Assert.StartsWith("github.com/docker/buildx ", buildx.StandardOutput, StringComparison.Ordinal);
        var builders = await RunInImageAsync("buildx", "ls");
        Assert.Contains("running", builders.StandardOutput, StringComparison.Ordinal);
    }

    /// <summary>Runs the image's own docker CLI (the one PR_IMAGE_REPORT_DOCKER_CLI names) with the engine's socket; fails unless it exits 0.</summary>
    private async Task<ProcessResult> RunInImageAsync(params string[] arguments)
    {
        var result = await ProcessRunner.RunAsync(
            "docker",
            ["run", "--rm", "-v", $"{action.Socket}:/var/run/docker.sock", "--entrypoint", "/bin/sh", action.Image, "-c", "exec \"$PR_IMAGE_REPORT_DOCKER_CLI\" \"$@\"", "docker", .. arguments]);
        Assert.True(result.ExitCode == 0, result.Describe());
        return result;
    }

    private static async Task<ProcessResult> RunAsRunnerAsync(ActionImageFixture action, ActionScenario scenario)
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
            "-v", $"{action.Socket}:/var/run/docker.sock",
            "-v", $"{scenario.Repository.Path}:/github/workspace",
            "-v", $"{scenario.Runner.Combine("workflow")}:/github/workflow",
            "-v", $"{scenario.Runner.Combine("file_commands")}:/github/file_commands",
        };
        foreach (var (name, value) in scenario.Environment(InContainer, scenario.GitHub.ApiUrl))
        {
            arguments.Add("-e");
            arguments.Add($"{name}={value}");
        }

        arguments.Add(action.Image);
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
