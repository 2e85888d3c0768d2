using PrImageReport.Cli.IntegrationTests.Infrastructure;
using PrImageReport.Testing;

namespace PrImageReport.Cli.IntegrationTests;

/// <summary>
/// No docker CLI that builds with BuildKit (none on PATH, none named in PR_IMAGE_REPORT_DOCKER_CLI): one line says so
/// and the classic builder builds what it can; a Dockerfile only BuildKit builds stops the run, naming its line and the fix.
/// </summary>
[Collection(DockerEngineCollection.Name)]
public sealed class NoBuildKitTests : IDisposable
{
    private readonly TempDirectory folder = new();

    public void Dispose() => folder.Dispose();

    /// <summary>The run's PATH holds no docker at all.</summary>
    private Dictionary<string, string?> NoDockerCli() => new()
    {
        ["PATH"] = folder.CreateDirectory("empty-path"),
        ["PR_IMAGE_REPORT_DOCKER_CLI"] = null,
    };

    [Fact]
    public async Task BuildKitAskedForFallsBackToTheClassicBuilderSayingSoOnce()
    {
        await Engine.RequireAsync("debian:bookworm-slim");
        folder.Write("Dockerfile.base", "FROM debian:bookworm-slim\nRUN echo base > /base.txt\n");
        folder.Write("Dockerfile.head", "FROM debian:bookworm-slim\nRUN echo head > /head.txt\n");

        var run = await CompareRun.RunAsync(
            ["--base-dockerfile", folder.Combine("Dockerfile.base"), "--head-dockerfile", folder.Combine("Dockerfile.head"), "--builder", "buildkit"],
            NoDockerCli());

        run.AssertExitCode(0);
        var stderr = run.Process.StandardError;
        const string Fallback = "no docker CLI here builds with BuildKit (no docker on PATH); install docker-buildx (the docker CLI's buildx plugin) or set PR_IMAGE_REPORT_DOCKER_CLI to a docker CLI that has it; building with the classic builder instead";
        Assert.True(stderr.Split('\n').Count(line => line.Trim() == Fallback) == 1, run.Failure("expected the fallback said once, on a line of its own").Message);
        Assert.Contains("[base] building ", stderr, StringComparison.Ordinal);
        Assert.Equal(2, stderr.Split('\n').Count(line => line.Contains("with the classic builder", StringComparison.Ordinal) && line.StartsWith('[')));
        Assert.True(run.Image.Base?.Image is not null && run.Image.Head?.Image is not null, run.Failure("expected both sides built").Message);
        await Engine.AssertBuiltImagesRemovedAsync(run.Report!);
    }

    [Fact]
    public async Task ADockerfileThatNeedsBuildKitStopsTheRunWithItsLineAndTheFixBeforeAnyBuild()
    {
        await Engine.RequireAsync("debian:bookworm-slim");
        folder.Write("Dockerfile.base", "FROM debian:bookworm-slim\nRUN echo base > /base.txt\n");
        folder.Write("Dockerfile.head", "FROM debian:bookworm-slim\nWORKDIR /app\nRUN --mount=type=cache,target=/root/.cache echo head > /head.txt\n");

        var run = await CompareRun.RunAsync(
            ["--base-dockerfile", folder.Combine("Dockerfile.base"), "--head-dockerfile", folder.Combine("Dockerfile.head")],
            NoDockerCli());

        run.AssertExitCode(3);
        var message = run.AssertOneLineError();
        Assert.Equal(
            $"pr-image-report: {folder.Combine("Dockerfile.head")}: RUN --mount at line 3 needs BuildKit, but no docker CLI here builds with BuildKit (no docker on PATH); install docker-buildx (the docker CLI's buildx plugin) or set PR_IMAGE_REPORT_DOCKER_CLI to a docker CLI that has it",
            message);
        Assert.Null(run.JsonText);
    }
}
