using PrImageReport.Cli.IntegrationTests.Infrastructure;
using PrImageReport.Core.Comparison;

namespace PrImageReport.Cli.IntegrationTests;

/// <summary>go-service: the PR ships the binary in the golang toolchain image instead of on scratch.</summary>
[Collection(DockerEngineCollection.Name)]
public sealed class GoServiceTests
{
    /// <summary>The example's build stage, run in place: the same steps (so the engine's cache serves them) and no second stage.</summary>
    private const string SingleStage = """
        FROM golang:1.19

        ENV CGO_ENABLED=0 GOCACHE=/tmp/go-cache GOPATH=/tmp/go
        WORKDIR /src
        COPY go.mod main.go ./
        RUN go vet ./... && go build -trimpath -ldflags="-s -w" -o /out/go-service .

        USER 65534:65534
        EXPOSE 8080
        ENTRYPOINT ["/out/go-service"]

        """;

    [Fact]
    public async Task FailsWhenThePrShipsTheToolchainImageInsteadOfScratch()
    {
        await Engine.RequireAsync(Engine.Golang);
        using var repository = await GitWorkspace.CreateAsync();
        repository.CopyExample("go-service");
        await repository.CommitAsync("go-service on scratch");
        await repository.CreateBranchAsync("pr");
        repository.Write("Dockerfile", SingleStage);
        await repository.CommitAsync("run the binary where it was built");

        var run = await CompareRun.RunAsync(["--repo", repository.Path, "--base", "main", "--head", "pr"]);

        run.AssertExitCode(1);
        run.AssertFinding("fat-base-image", Severity.Error);
        run.AssertFinding("multi-stage-dropped", Severity.Error);
        run.AssertFinding("image-size-increase", Severity.Error);

        var image = Assert.Single(run.Json.GetProperty("images").EnumerateArray());
        var baseSide = image.GetProperty("base");
        Assert.Equal("scratch", baseSide.GetProperty("finalBaseImage").GetString());
        Assert.Equal(Engine.Golang, image.GetProperty("head").GetProperty("finalBaseImage").GetString());
        Assert.InRange(baseSide.GetProperty("sizeBytes").GetInt64(), 1, 20_000_000);
        Assert.True(image.GetProperty("head").GetProperty("sizeBytes").GetInt64() > 100_000_000, run.Failure("expected the golang image to weigh over 100 MB").Message);
        run.AssertMarkdownContains("| Base image | `scratch` | `golang:1.19` | changed |");
        await Engine.AssertBuiltImagesRemovedAsync(run.Report!);
    }
}
