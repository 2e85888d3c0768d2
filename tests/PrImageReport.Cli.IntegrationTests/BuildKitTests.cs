using PrImageReport.Cli.IntegrationTests.Infrastructure;

namespace PrImageReport.Cli.IntegrationTests;

/// <summary>A PR whose Dockerfile only BuildKit can build: --builder auto picks BuildKit for it and the classic builder for the base.</summary>
[Collection(DockerEngineCollection.Name)]
public sealed class BuildKitTests
{
    /// <summary>school-api's multi-stage Dockerfile with pip's cache on a BuildKit cache mount (no # syntax: nothing can be pulled).</summary>
    private const string CacheMountDockerfile = """
        FROM python:3.11-slim AS builder

        WORKDIR /app
        COPY requirements.txt .
        RUN --mount=type=cache,target=/root/.cache \
            python3 -m venv /opt/venv \
            && /opt/venv/bin/pip install --no-index -r requirements.txt
        COPY app.py .
        RUN /opt/venv/bin/python3 -m compileall -q app.py


        FROM python:3.11-slim

        RUN useradd --system --create-home --uid 10001 school \
            && mkdir /data && chown school /data
        COPY --from=builder /opt/venv /opt/venv
        WORKDIR /app
        COPY --from=builder /app /app
        COPY entrypoint.sh /app/entrypoint.sh

        ENV PATH="/opt/venv/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"
        USER school
        ENTRYPOINT ["/app/entrypoint.sh"]

        """;

    [Fact]
    public async Task BuildsADockerfileThatNeedsBuildKitWithTheAutoBuilder()
    {
        await Engine.RequireAsync(Engine.SlimPython);
        using var repository = await GitWorkspace.CreateAsync();
        repository.CopyExample("school-api");
        await repository.CommitAsync("school-api");
        await repository.CreateBranchAsync("pr");
        repository.Write("Dockerfile", CacheMountDockerfile);
        await repository.CommitAsync("cache pip downloads");

        var run = await CompareRun.RunAsync(["--repo", repository.Path, "--base", "main", "--head", "pr", "--builder", "auto"]);

        Assert.True(run.ExitCode is 0 or 1, run.Failure("expected a verdict exit code").Message);
        var image = Assert.Single(run.Json.GetProperty("images").EnumerateArray());
        foreach (var side in new[] { "base", "head" })
        {
            var facts = image.GetProperty(side);
            Assert.True(facts.GetProperty("error").ValueKind == System.Text.Json.JsonValueKind.Null, run.Failure($"expected the {side} to build").Message);
            Assert.True(facts.GetProperty("sizeBytes").GetInt64() > 0, run.Failure($"expected the {side} size").Message);
        }

        Assert.Contains("[base] building Dockerfile at main with the classic builder", run.Process.StandardError, StringComparison.Ordinal);
        Assert.Contains("[head] building Dockerfile at pr with BuildKit", run.Process.StandardError, StringComparison.Ordinal);
        Assert.Equal(run.Report!.Verdict == Core.Comparison.Verdict.Fail ? 1 : 0, run.ExitCode);
        await Engine.AssertBuiltImagesRemovedAsync(run.Report!);
    }
}
