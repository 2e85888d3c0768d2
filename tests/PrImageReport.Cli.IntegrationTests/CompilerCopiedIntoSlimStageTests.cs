using System.Text.Json;
using PrImageReport.Cli.IntegrationTests.Infrastructure;
using PrImageReport.Core.Comparison;

namespace PrImageReport.Cli.IntegrationTests;

/// <summary>
/// A PR that keeps the multi-stage build on the slim base but copies gcc from the builder stage into the final one:
/// the finding names the COPY that brought the compiler in, with its line, for both builders' history formats.
/// </summary>
[Collection(DockerEngineCollection.Name)]
public sealed class CompilerCopiedIntoSlimStageTests
{
    /// <summary>The compiler itself: /usr/bin/gcc-12 in python:3.11 is a symlink to it.</summary>
    private const string CopyCompiler = "COPY --from=builder /usr/bin/x86_64-linux-gnu-gcc-12 /usr/bin/gcc";

    private const string Base = """
        FROM python:3.11 AS builder
        WORKDIR /src
        COPY app.py .
        RUN python3 -m py_compile app.py

        FROM python:3.11-slim
        WORKDIR /app
        COPY --from=builder /src/app.py .
        CMD ["python3", "app.py"]

        """;

    private static readonly string Head = Base.Replace(
        "COPY --from=builder /src/app.py .\n", $"COPY --from=builder /src/app.py .\n{CopyCompiler}\n", StringComparison.Ordinal);

    [Theory]
    [InlineData("classic")]
    [InlineData("buildkit")]
    public async Task NamesTheCopyThatBroughtTheCompilerIn(string builder)
    {
        await Engine.RequireAsync(Engine.SlimPython, Engine.FatPython);
        var line = DockerfileChange.LineOf(Head, CopyCompiler);

        var run = await DockerfileChange.CompareAsync(Base, Head, "--builder", builder);

        run.AssertExitCode(1);
        var image = Assert.Single(run.Json.GetProperty("images").EnumerateArray());
        Assert.Empty(image.GetProperty("base").GetProperty("buildTools").EnumerateArray());
        Assert.Contains(image.GetProperty("head").GetProperty("buildTools").EnumerateArray(), t => t.GetProperty("evidence").GetString() == "/usr/bin/gcc");
        var finding = image.GetProperty("findings").EnumerateArray()
            .SingleOrDefault(f => f.GetProperty("rule").GetString() == "build-tools-in-final-image");
        Assert.True(finding.ValueKind == JsonValueKind.Object, run.Failure("expected a build-tools-in-final-image finding").Message);
        Assert.Equal("error", finding.GetProperty("severity").GetString());
        Assert.Equal(line, finding.GetProperty("line").GetInt32());
        Assert.Contains(CopyCompiler, finding.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Equal(line, run.AssertFinding("build-tools-in-final-image", Severity.Error).Line);
        await Engine.AssertBuiltImagesRemovedAsync(run.Report!);
    }
}
