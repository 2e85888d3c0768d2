using PrImageReport.Cli.IntegrationTests.Infrastructure;
using PrImageReport.Core.Comparison;

namespace PrImageReport.Cli.IntegrationTests;

/// <summary>
/// The classic builder's log names a failing step only as "Step N/M": the report still gives its Dockerfile line, counting
/// as the builder counts (global ARGs, then every stage's FROM and instructions, stages the target does not need included).
/// </summary>
[Collection(DockerEngineCollection.Name)]
public sealed class ClassicFailingStepLineTests
{
    private const string Failing = "RUN echo \"linking\" && exit 4";

    private const string Base = """
        ARG PYTHON=python:3.11-slim

        FROM ${PYTHON} AS builder
        RUN echo built > /built

        # Not needed by the final stage; the classic builder builds and counts it anyway.
        FROM ${PYTHON} AS docs
        RUN echo docs > /docs

        FROM ${PYTHON}
        WORKDIR /app
        COPY --from=builder /built /built
        CMD ["python3"]

        """;

    private static readonly string Head = Base.Replace("CMD [\"python3\"]", $"{Failing}\nCMD [\"python3\"]", StringComparison.Ordinal);

    [Fact]
    public async Task AFailedStepOfAMultiStageBuildHasItsDockerfileLine()
    {
        await Engine.RequireAsync(Engine.SlimPython);
        var line = DockerfileChange.LineOf(Head, Failing);

        var run = await DockerfileChange.CompareAsync(Base, Head, "--builder", "classic");

        run.AssertExitCode(1);
        var error = Assert.Single(run.Json.GetProperty("images").EnumerateArray()).GetProperty("head").GetProperty("error");
        Assert.Equal($"Step 9/10 : {Failing}", error.GetProperty("step").GetString());
        Assert.Equal(line, error.GetProperty("line").GetInt32());
        Assert.Equal(line, run.AssertFinding("build-failed", Severity.Error).Line);
    }
}
