using PrImageReport.Cli.IntegrationTests.Infrastructure;

namespace PrImageReport.Cli.IntegrationTests;

/// <summary>The PR deletes the Dockerfile: the base image is reported alone, as removed, and that is no failure.</summary>
[Collection(DockerEngineCollection.Name)]
public sealed class RemovedDockerfileTests
{
    [Fact]
    public async Task ReportsTheBaseAloneAsRemoved()
    {
        await Engine.RequireAsync(Engine.SlimPython);
        using var repository = await GitWorkspace.CreateAsync();
        repository.CopyExample("school-api");
        await repository.CommitAsync("school-api");
        await repository.CreateBranchAsync("pr");
        repository.Delete("Dockerfile");
        await repository.CommitAsync("no more container image");

        var run = await CompareRun.RunAsync(["--repo", repository.Path, "--base", "main", "--head", "pr"]);

        run.AssertExitCode(0);
        var image = Assert.Single(run.Json.GetProperty("images").EnumerateArray());
        Assert.Equal(System.Text.Json.JsonValueKind.Null, image.GetProperty("head").ValueKind);
        Assert.True(image.GetProperty("base").GetProperty("sizeBytes").GetInt64() > 0, run.Failure("expected the base size").Message);
        Assert.Equal(System.Text.Json.JsonValueKind.Null, image.GetProperty("sizeDeltaBytes").ValueKind);
        Assert.Empty(run.Image.Findings);
        run.AssertMarkdownContains("### `Dockerfile` -- PASS (removed in this PR)");
        await Engine.AssertBuiltImagesRemovedAsync(run.Report!);
    }
}
