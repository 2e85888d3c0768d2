using PrImageReport.Cli.IntegrationTests.Infrastructure;
using PrImageReport.Core.Comparison;
using PrImageReport.Testing;

namespace PrImageReport.Cli.IntegrationTests;

/// <summary>Two images already on the engine: measured, compared, and left where they are.</summary>
[Collection(DockerEngineCollection.Name)]
public sealed class ImageModeTests
{
    [Fact]
    public async Task ComparesTwoExistingImagesAndKeepsThem()
    {
        await Engine.RequireAsync(Engine.SlimPython, Engine.FatPython);

        var run = await CompareRun.RunAsync(["--base-image", Engine.SlimPython, "--head-image", Engine.FatPython]);

        run.AssertExitCode(1);
        run.AssertFinding("build-tools-in-final-image", Severity.Error);
        run.AssertFinding("image-size-increase", Severity.Error);
        run.AssertMarkdownContains("### `python:3.11-slim` -> `python:3.11` -- FAIL");
        var image = run.Image;
        Assert.Equal(Engine.SlimPython, image.Base!.Ref);
        Assert.Equal(Engine.FatPython, image.Head!.Ref);
        Assert.Null(image.Base.Dockerfile);
        Assert.True(image.SizeDeltaBytes > 0, run.Failure("expected the full image to be larger").Message);
        Assert.Empty(image.Base.Image!.BuildTools);
        Assert.Contains(image.Head.Image!.BuildTools, t => t.Name == "gcc");
        run.AssertMarkdownContains("**PR Image Report: FAIL**");
        run.AssertMarkdownContains("| | Base `python:3.11-slim` | Head `python:3.11` | Change |");

        // The images are the user's, not the tool's: nothing removes them.
        using var engine = await DockerRequirement.EngineAsync();
        Assert.True(await engine.ImageExistsAsync(Engine.SlimPython, CancellationToken.None), "the run removed python:3.11-slim");
        Assert.True(await engine.ImageExistsAsync(Engine.FatPython, CancellationToken.None), "the run removed python:3.11");
    }

    [Fact]
    public async Task AnImageThatIsNotOnTheEngineIsBadInput()
    {
        await Engine.RequireAsync(Engine.FatPython);

        var run = await CompareRun.RunAsync(["--base-image", "pr-image-report-absent:1", "--head-image", Engine.FatPython]);

        run.AssertExitCode(2);
        var message = run.AssertOneLineError();
        Assert.Contains("image pr-image-report-absent:1 is not on the Docker engine", message, StringComparison.Ordinal);
        Assert.Null(run.JsonText);
    }
}
