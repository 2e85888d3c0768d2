using PrImageReport.Cli.IntegrationTests.Infrastructure;
using PrImageReport.Core.Comparison;
using PrImageReport.Testing;

namespace PrImageReport.Cli.IntegrationTests;

/// <summary>The fat-base-image fix states what the lean counterpart saves when both images can be measured on the engine.</summary>
[Collection(DockerEngineCollection.Name)]
public sealed class FatBaseSavingTests
{
    [Fact]
    public async Task MeasuresTheSavingOnImagesTheEngineHasWithoutPulling()
    {
        await Engine.RequireAsync(Engine.SlimPython, Engine.FatPython);

        var run = await DockerfileChange.CompareAsync("FROM python:3.11-slim\nCOPY app.py /app/\n", "FROM python:3.11\nCOPY app.py /app/\n", "--no-pull");

        var fix = run.AssertFinding("fat-base-image", Severity.Error).Fix;
        Assert.Contains(SizeText.Format(await SizeAsync(Engine.SlimPython)), fix, StringComparison.Ordinal);
        Assert.Contains(SizeText.Format(await SizeAsync(Engine.FatPython)), fix, StringComparison.Ordinal);
    }

    [Fact]
    public async Task StatesTheSavingOnlyWhenTheCounterpartCouldBePulled()
    {
        // golang's counterpart is a distroless image that no test makes: here the pull fails, on a machine with network it works.
        const string counterpart = "gcr.io/distroless/static-debian12";
        await Engine.RequireAsync(Engine.Golang);

        var run = await DockerfileChange.CompareAsync("FROM scratch\nCOPY app.py /\n", "FROM golang:1.19\nCOPY app.py /\n");

        var fix = run.AssertFinding("fat-base-image", Severity.Error).Fix!;
        var measured = fix.Contains(SizeText.Format(await SizeAsync(Engine.Golang)), StringComparison.Ordinal);
        Assert.True(measured == await ExistsAsync(counterpart), run.Failure($"expected the saving in the fix exactly when {counterpart} is on the engine").Message);
    }

    /// <summary>The image's size as the report measures images: its layers' files, not the store's own figure.</summary>
    private static async Task<long> SizeAsync(string image)
    {
        using var engine = await DockerRequirement.EngineAsync();
        return (await engine.InspectImageAsync(image, CancellationToken.None)).SizeBytes;
    }

    private static async Task<bool> ExistsAsync(string image) =>
        (await ProcessRunner.RunAsync("docker", ["image", "inspect", image])).ExitCode == 0;
}
