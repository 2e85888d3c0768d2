using PrImageReport.Cli.IntegrationTests.Infrastructure;
using PrImageReport.Core.Comparison;

namespace PrImageReport.Cli.IntegrationTests;

/// <summary>
/// The seed scenario, by git refs: main builds school-api multi-stage on python:3.11-slim, the PR branch rewrites the
/// Dockerfile as one stage on python:3.11. Built once; every test reads the same run.
/// </summary>
public sealed class SeedRegressionFixture : IAsyncLifetime
{
    private GitWorkspace? repository;

    internal CompareRun Run { get; private set; } = null!;

    internal GitState Before { get; private set; } = null!;

    internal GitState After { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        await Engine.RequireAsync(Engine.SlimPython, Engine.FatPython);
        repository = await GitWorkspace.CreateSeedRegressionAsync();

        Before = await GitState.ReadAsync(repository);
        Run = await CompareRun.RunAsync(["--repo", repository.Path, "--base", "main", "--head", "pr"]);
        After = await GitState.ReadAsync(repository);
    }

    public Task DisposeAsync()
    {
        repository?.Dispose();
        return Task.CompletedTask;
    }
}

/// <summary>The checked-out branch, its commit and the working tree's status.</summary>
internal sealed record GitState(string Branch, string Commit, string Status, string Dockerfile)
{
    public static async Task<GitState> ReadAsync(GitWorkspace repository) => new(
        (await repository.GitAsync("symbolic-ref", "HEAD")).Trim(),
        (await repository.GitAsync("rev-parse", "HEAD")).Trim(),
        await repository.GitAsync("status", "--porcelain", "--untracked-files=all", "--ignored"),
        await File.ReadAllTextAsync(Path.Combine(repository.Path, "Dockerfile")));
}

[Collection(DockerEngineCollection.Name)]
public sealed class SeedRegressionTests(SeedRegressionFixture fixture) : IClassFixture<SeedRegressionFixture>
{
    private CompareRun Run => fixture.Run;

    [Fact]
    public void ExitsWithOneForTheFailVerdict()
    {
        Run.AssertExitCode(1);
        Assert.Equal("fail", Run.Json.GetProperty("verdict").GetString());
        Assert.Equal(Verdict.Fail, Run.Image.Verdict);
        Assert.EndsWith("verdict: fail", Run.Process.StandardError.TrimEnd(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("multi-stage-dropped")]
    [InlineData("fat-base-image")]
    [InlineData("build-tools-in-final-image")]
    [InlineData("image-size-increase")]
    public void ReportsTheRegressionAsAnError(string rule) => Run.AssertFinding(rule, Severity.Error);

    [Fact]
    public void PointsTheDockerfileFindingsAtTheHeadFromLine()
    {
        // Line 3 of Dockerfile.single-stage is its only FROM.
        Assert.Equal(3, Run.AssertFinding("multi-stage-dropped", Severity.Error).Line);
        Assert.Equal(3, Run.AssertFinding("fat-base-image", Severity.Error).Line);
    }

    [Fact]
    public void WritesBothSidesToTheJsonReport()
    {
        var image = Assert.Single(Run.Json.GetProperty("images").EnumerateArray());
        Assert.Equal("Dockerfile", image.GetProperty("dockerfile").GetString());
        var baseSide = image.GetProperty("base");
        var headSide = image.GetProperty("head");
        Assert.Equal("main", baseSide.GetProperty("ref").GetString());
        Assert.Equal("pr", headSide.GetProperty("ref").GetString());

        var baseSize = baseSide.GetProperty("sizeBytes").GetInt64();
        var headSize = headSide.GetProperty("sizeBytes").GetInt64();
        Assert.InRange(baseSize, 1, headSize - 1);
        Assert.Equal(headSize - baseSize, image.GetProperty("sizeDeltaBytes").GetInt64());

        Assert.Equal(2, baseSide.GetProperty("stageCount").GetInt32());
        Assert.Equal(1, headSide.GetProperty("stageCount").GetInt32());
        Assert.Equal(Engine.SlimPython, baseSide.GetProperty("finalBaseImage").GetString());
        Assert.Equal(Engine.FatPython, headSide.GetProperty("finalBaseImage").GetString());
        Assert.Empty(baseSide.GetProperty("buildTools").EnumerateArray());
        Assert.Contains(headSide.GetProperty("buildTools").EnumerateArray(), t => t.GetProperty("name").GetString() == "gcc");
    }

    [Fact]
    public void WritesTheMarkdownReport()
    {
        Run.AssertMarkdownContains("**PR Image Report: FAIL**");
        Run.AssertMarkdownContains("### `Dockerfile` -- FAIL");
        Run.AssertMarkdownContains("| | Base `main` | Head `pr` | Change |");
        Run.AssertMarkdownContains("| Base image | `python:3.11-slim` | `python:3.11` | changed |");
        Run.AssertMarkdownContains("- **error** `multi-stage-dropped` at `Dockerfile:3`: ");
        Run.AssertMarkdownContains("- **error** `fat-base-image` at `Dockerfile:3`: ");
        Run.AssertMarkdownContains("`build-tools-in-final-image`");
        Run.AssertMarkdownContains("`image-size-increase`");
        Run.AssertMarkdownContains("<summary>Layers: ");
        Run.AssertMarkdownContains("```mermaid\nxychart-beta\n");
    }

    [Fact]
    public void LeavesTheWorkingTreeAndBranchAlone()
    {
        Assert.Equal("refs/heads/pr", fixture.After.Branch);
        Assert.Equal(fixture.Before, fixture.After);
        Assert.Equal("", fixture.After.Status);
    }

    [Fact]
    public void RemovesTheSourceTreesItExported() => Run.AssertNoTemporaryLeftovers();

    [Fact]
    public Task RemovesTheImagesItBuilt() => Engine.AssertBuiltImagesRemovedAsync(Run.Report!);
}
