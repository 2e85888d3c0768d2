using PrImageReport.Cli.IntegrationTests.Infrastructure;
using PrImageReport.Core.Comparison;

namespace PrImageReport.Cli.IntegrationTests;

/// <summary>The PR's Dockerfile fails to build: the failure is reported, and the base is still measured.</summary>
[Collection(DockerEngineCollection.Name)]
public sealed class FailingBuildTests
{
    private const string FailingDockerfile = """
        FROM python:3.11-slim
        WORKDIR /app
        COPY app.py .
        RUN exit 3
        ENTRYPOINT ["python3", "-m", "app"]

        """;

    [Fact]
    public async Task ReportsTheFailingStepAndStillMeasuresTheBase()
    {
        await Engine.RequireAsync(Engine.SlimPython);
        using var repository = await GitWorkspace.CreateAsync();
        repository.CopyExample("school-api");
        await repository.CommitAsync("school-api");
        await repository.CreateBranchAsync("pr");
        repository.Write("Dockerfile", FailingDockerfile);
        await repository.CommitAsync("a step that fails");

        var run = await CompareRun.RunAsync(["--repo", repository.Path, "--base", "main", "--head", "pr"]);

        run.AssertExitCode(1);
        run.AssertFinding("build-failed", Severity.Error);

        var image = Assert.Single(run.Json.GetProperty("images").EnumerateArray());
        var baseSide = image.GetProperty("base");
        Assert.True(baseSide.GetProperty("sizeBytes").GetInt64() > 0, run.Failure("expected the base size").Message);
        Assert.Equal(System.Text.Json.JsonValueKind.Null, baseSide.GetProperty("error").ValueKind);
        Assert.Equal(2, baseSide.GetProperty("stageCount").GetInt32());

        var headSide = image.GetProperty("head");
        Assert.Equal(System.Text.Json.JsonValueKind.Null, headSide.GetProperty("sizeBytes").ValueKind);
        var error = headSide.GetProperty("error");
        Assert.Contains("RUN exit 3", error.GetProperty("step").GetString(), StringComparison.Ordinal);
        Assert.Contains("code: 3", error.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Contains(error.GetProperty("lastLines").EnumerateArray(), l => l.GetString()!.Contains("RUN exit 3", StringComparison.Ordinal));

        run.AssertMarkdownContains("(head build failed)");
        run.AssertMarkdownContains("#### Head build failed (`pr`)");
        run.AssertMarkdownContains("Failing step: `Step 4/5 : RUN exit 3`");
        run.AssertMarkdownContains("Error: The command '/bin/sh -c exit 3' returned a non-zero code: 3");
        run.AssertMarkdownContains("| Size |");
        run.AssertNoTemporaryLeftovers();
        await Engine.AssertBuiltImagesRemovedAsync(run.Report!);
    }
}
