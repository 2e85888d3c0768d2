using PrImageReport.Cli.IntegrationTests.Infrastructure;
using PrImageReport.Core.Comparison;

namespace PrImageReport.Cli.IntegrationTests;

/// <summary>The seed scenario reversed: the PR moves school-api from one fat stage to a slim multi-stage build.</summary>
[Collection(DockerEngineCollection.Name)]
public sealed class ReverseRefactorTests
{
    [Fact]
    public async Task PassesWithNoticesWhenThePrSlimsTheImage()
    {
        await Engine.RequireAsync(Engine.SlimPython, Engine.FatPython);
        using var repository = await GitWorkspace.CreateAsync();
        repository.CopyExample("school-api");
        repository.CopyExampleFile("school-api/Dockerfile.single-stage", "Dockerfile");
        await repository.CommitAsync("school-api, one stage on the full python image");
        await repository.CreateBranchAsync("pr");
        repository.CopyExampleFile("school-api/Dockerfile", "Dockerfile");
        await repository.CommitAsync("multi-stage on the slim base");

        var run = await CompareRun.RunAsync(["--repo", repository.Path, "--base", "main", "--head", "pr"]);

        run.AssertExitCode(0);
        Assert.Equal("pass", run.Json.GetProperty("verdict").GetString());
        run.AssertFinding("multi-stage-adopted", Severity.Notice);
        run.AssertFinding("image-size-decrease", Severity.Notice);
        run.AssertFinding("build-tools-removed", Severity.Notice);
        Assert.True(run.Image.Findings.All(f => f.Severity == Severity.Notice), run.Failure("expected notices only").Message);
        Assert.True(run.Image.SizeDeltaBytes < 0, run.Failure("expected the head image to be smaller").Message);
        run.AssertMarkdownContains("**PR Image Report: PASS**");
        run.AssertMarkdownContains("`multi-stage-adopted`");
        run.AssertMarkdownContains("`build-tools-removed`");
        await Engine.AssertBuiltImagesRemovedAsync(run.Report!);
    }
}
