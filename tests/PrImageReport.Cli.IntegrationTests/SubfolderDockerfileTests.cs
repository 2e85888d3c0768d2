using PrImageReport.Cli.IntegrationTests.Infrastructure;
using PrImageReport.Core.Comparison;

namespace PrImageReport.Cli.IntegrationTests;

/// <summary>A Dockerfile outside its build context, named with --dockerfile and --context; the context's .dockerignore applies.</summary>
[Collection(DockerEngineCollection.Name)]
public sealed class SubfolderDockerfileTests
{
    private const string CopyEverything = """
        FROM python:3.11-slim
        WORKDIR /app
        COPY . .
        ENTRYPOINT ["/app/entrypoint.sh"]

        """;

    private const int IgnoredFileSize = 20_000_000;

    [Fact]
    public async Task IgnoresWhatTheContextsDockerignoreExcludes()
    {
        await Engine.RequireAsync(Engine.SlimPython);
        using var repository = await GitWorkspace.CreateAsync();
        repository.CopyExample("school-api", "services/school-api");
        repository.Write("docker/api.Dockerfile", CopyEverything);
        await repository.CommitAsync("school-api built from docker/");
        await repository.CreateBranchAsync("pr");
        // tests/ is in services/school-api/.dockerignore.
        repository.WriteNoise("services/school-api/tests/fixtures/snapshot.bin", IgnoredFileSize);
        await repository.CommitAsync("a large test fixture");

        var run = await CompareRun.RunAsync(
            ["--repo", repository.Path, "--base", "main", "--head", "pr", "--dockerfile", "docker/api.Dockerfile", "--context", "services/school-api"]);

        run.AssertExitCode(0);
        var image = run.Image;
        Assert.Equal("docker/api.Dockerfile", image.Dockerfile);
        Assert.Equal("services/school-api", image.Context);
        Assert.NotNull(image.Base?.Image);
        Assert.NotNull(image.Head?.Image);
        // The context is services/school-api: its sources (app.py alone is 5 kB) are in the COPY layer, the ignored file is not.
        var copied = Assert.Single(image.Head!.Image!.Layers, l => l.Instruction.StartsWith("COPY", StringComparison.Ordinal));
        Assert.InRange(copied.SizeBytes, 5_000, 1_000_000);
        Assert.True(image.SizeDeltaBytes == 0, run.Failure($"expected the ignored {IgnoredFileSize}-byte file to leave the size alone").Message);
        Assert.DoesNotContain(image.Findings, f => f.Rule == "image-size-increase");
        Assert.Equal(Verdict.Pass, image.Verdict);
        run.AssertMarkdownContains("### `docker/api.Dockerfile` -- PASS");
        run.AssertMarkdownContains("Build context: `services/school-api`");
        await Engine.AssertBuiltImagesRemovedAsync(run.Report!);
    }
}
