using System.Text.Json;
using PrImageReport.Cli.IntegrationTests.Infrastructure;
using PrImageReport.Core.Comparison;

namespace PrImageReport.Cli.IntegrationTests.Podman;

/// <summary>The seed scenario by git refs against Podman's Docker-compatible API, built once for the tests that read it.</summary>
public sealed class PodmanSeedFixture : IAsyncLifetime
{
    private GitWorkspace? repository;

    internal CompareRun Run { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        await PodmanLane.RequireAsync(Engine.SlimPython, Engine.FatPython);
        repository = await GitWorkspace.CreateSeedRegressionAsync();

        Run = await CompareRun.RunAsync(["--repo", repository.Path, "--base", "main", "--head", "pr"], PodmanLane.Environment);
    }

    public Task DisposeAsync()
    {
        repository?.Dispose();
        return Task.CompletedTask;
    }
}

/// <summary>
/// What works on Podman (Debian bookworm's 4.3, Docker API 1.41), through the path dockerd users take: the Engine API's
/// build endpoint (Podman's Buildah behind it), history, save and remove.
/// </summary>
[Collection(DockerEngineCollection.Name)]
[Trait(PodmanLane.Trait, PodmanLane.Name)]
public sealed class PodmanLaneTests(PodmanSeedFixture seed) : IClassFixture<PodmanSeedFixture>
{
    /// <summary>school-api's multi-stage Dockerfile with pip's cache on a BuildKit cache mount.</summary>
    private const string CacheMountDockerfile = """
        FROM python:3.11-slim AS builder
        WORKDIR /app
        COPY requirements.txt .
        RUN --mount=type=cache,target=/root/.cache \
            python3 -m venv /opt/venv \
            && /opt/venv/bin/pip install --no-index -r requirements.txt
        COPY app.py .

        FROM python:3.11-slim
        COPY --from=builder /opt/venv /opt/venv
        COPY --from=builder /app /app
        ENTRYPOINT ["/opt/venv/bin/python3", "/app/app.py"]

        """;

    [Theory]
    [InlineData("multi-stage-dropped")]
    [InlineData("fat-base-image")]
    [InlineData("build-tools-in-final-image")]
    [InlineData("image-size-increase")]
    public void TheSeedRegressionGetsTheSameFourErrors(string rule)
    {
        seed.Run.AssertExitCode(1);
        seed.Run.AssertFinding(rule, Severity.Error);
    }

    [Fact]
    public void TheSeedRegressionPointsAtTheHeadsFromLineAndComparesBothSides()
    {
        Assert.Equal(3, seed.Run.AssertFinding("multi-stage-dropped", Severity.Error).Line);
        Assert.Equal(3, seed.Run.AssertFinding("fat-base-image", Severity.Error).Line);
        var image = seed.Run.Image;
        Assert.Equal((2, 1), (image.Base!.Dockerfile!.Stages.Count, image.Head!.Dockerfile!.Stages.Count));
        Assert.InRange(image.Base.Image!.SizeBytes, 1, image.Head.Image!.SizeBytes - 1);
        Assert.Empty(image.Base.Image.BuildTools);
        Assert.Contains(image.Head.Image.BuildTools, t => t.Name == "gcc");
        seed.Run.AssertMarkdownContains("| Base image | `python:3.11-slim` | `python:3.11` | changed |");
    }

    [Fact]
    public void BuildahMakesNoLayerForWorkdir()
    {
        // dockerd's classic builder commits WORKDIR /app as a layer of its own (0 B); Buildah creates the folder in the
        // next layer and records WORKDIR as a metadata step, so both sides have one layer fewer than on Docker.
        var image = seed.Run.Image;
        foreach (var side in new[] { image.Base!.Image!, image.Head!.Image! })
        {
            Assert.DoesNotContain(side.Layers, layer => layer.Instruction.StartsWith("WORKDIR", StringComparison.Ordinal));
        }
    }

    [Fact]
    public Task TheSeedRunRemovesTheImagesItBuilt() => Engine.AssertBuiltImagesRemovedAsync(seed.Run.Report!, PodmanLane.Host);

    [Fact]
    public async Task ComparesTwoImagesInPodmansStore()
    {
        await PodmanLane.RequireAsync(Engine.SlimPython, Engine.FatPython);

        var run = await CompareRun.RunAsync(["--base-image", Engine.SlimPython, "--head-image", Engine.FatPython], PodmanLane.Environment);

        run.AssertExitCode(1);
        run.AssertFinding("build-tools-in-final-image", Severity.Error);
        run.AssertFinding("image-size-increase", Severity.Error);
        Assert.True(run.Image.SizeDeltaBytes > 0, run.Failure("expected the full image to be larger").Message);
        Assert.Contains(run.Image.Head!.Image!.Packages!, p => p.Name == "gcc-12");
    }

    [Fact]
    public async Task TheAutoBuilderBuildsBuildKitSyntaxWithPodmansOwnBuilder()
    {
        await PodmanLane.RequireAsync(Engine.SlimPython);
        using var repository = await CacheMountRepositoryAsync();

        var run = await CompareRun.RunAsync(["--repo", repository.Path, "--base", "main", "--head", "pr", "--builder", "auto"], PodmanLane.Environment);

        Assert.True(run.ExitCode is 0 or 1, run.Failure("expected a verdict exit code").Message);
        foreach (var side in new[] { run.Image.Base!, run.Image.Head! })
        {
            Assert.True(side.Failure is null && side.Image!.SizeBytes > 0, run.Failure($"expected {side.Ref} to build").Message);
        }

        Assert.Contains("[head] building Dockerfile at pr with the classic builder", run.Process.StandardError, StringComparison.Ordinal);
        await Engine.AssertBuiltImagesRemovedAsync(run.Report!, PodmanLane.Host);
    }

    [Fact]
    public async Task AskingForBuildKitIsAnEngineErrorThatNamesPodmanAndTheFix()
    {
        await PodmanLane.RequireAsync(Engine.SlimPython);
        using var repository = await CacheMountRepositoryAsync();

        var run = await CompareRun.RunAsync(["--repo", repository.Path, "--base", "main", "--head", "pr", "--builder", "buildkit"], PodmanLane.Environment);

        run.AssertExitCode(3);
        var last = run.Process.StandardError.TrimEnd().Split('\n')[^1];
        Assert.Contains($"the engine at {PodmanLane.Host} is Podman ", last, StringComparison.Ordinal);
        Assert.Contains("--builder classic or auto", last, StringComparison.Ordinal);
        Assert.Null(run.JsonText);
    }

    [Fact]
    public async Task AFailingStepGetsItsDockerfileLineFromBuildahsLog()
    {
        await PodmanLane.RequireAsync(Engine.SlimPython);
        using var repository = await GitWorkspace.CreateAsync();
        repository.CopyExample("school-api");
        await repository.CommitAsync("school-api");
        await repository.CreateBranchAsync("pr");
        repository.Write("Dockerfile", "FROM python:3.11-slim AS builder\nRUN true\n\nFROM python:3.11-slim\nWORKDIR /app\nRUN exit 3\n");
        await repository.CommitAsync("a step that fails");

        var run = await CompareRun.RunAsync(["--repo", repository.Path, "--base", "main", "--head", "pr"], PodmanLane.Environment);

        run.AssertExitCode(1);
        var failed = run.AssertFinding("build-failed", Severity.Error);
        Assert.Equal(6, failed.Line);
        var error = run.Json.GetProperty("images")[0].GetProperty("head").GetProperty("error");
        Assert.Equal("[2/2] STEP 3/3: RUN exit 3", error.GetProperty("step").GetString());
        Assert.Equal(JsonValueKind.Null, run.Json.GetProperty("images")[0].GetProperty("head").GetProperty("sizeBytes").ValueKind);
        await Engine.AssertBuiltImagesRemovedAsync(run.Report!, PodmanLane.Host);
    }

    private static async Task<GitWorkspace> CacheMountRepositoryAsync()
    {
        var repository = await GitWorkspace.CreateAsync();
        try
        {
            repository.CopyExample("school-api");
            await repository.CommitAsync("school-api");
            await repository.CreateBranchAsync("pr");
            repository.Write("Dockerfile", CacheMountDockerfile);
            await repository.CommitAsync("cache pip downloads");
            return repository;
        }
        catch
        {
            repository.Dispose();
            throw;
        }
    }
}
