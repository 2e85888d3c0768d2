using System.Text.Json;
using PrImageReport.Cli.IntegrationTests.Infrastructure;
using PrImageReport.Core.Comparison;

namespace PrImageReport.Cli.IntegrationTests;

/// <summary>
/// A PR that splits "write a large file and delete it" over two RUNs: the file's bytes still ship in the first RUN's
/// layer, which the report calls wasted space, naming the file and the line.
/// </summary>
[Collection(DockerEngineCollection.Name)]
public sealed class WastedSpaceTests
{
    private const string Write = "RUN dd if=/dev/zero of=/tmp/blob bs=1M count=30";
    private const string Remove = "RUN rm /tmp/blob";
    private const long BlobBytes = 30 * 1024 * 1024;

    private const string Base = $"""
        FROM python:3.11-slim
        WORKDIR /app
        {Write} && rm /tmp/blob
        COPY app.py .

        """;

    private const string Head = $"""
        FROM python:3.11-slim
        WORKDIR /app
        {Write}
        {Remove}
        COPY app.py .

        """;

    [Fact]
    public async Task AFileWrittenInOneRunAndDeletedInTheNextIsWastedSpace()
    {
        await Engine.RequireAsync(Engine.SlimPython);

        var run = await DockerfileChange.CompareAsync(Base, Head);

        var finding = run.AssertFinding("wasted-space", Severity.Warning);
        Assert.Contains("/tmp/blob", finding.Message, StringComparison.Ordinal);
        Assert.Contains(finding.Line, new int?[] { DockerfileChange.LineOf(Head, Write), DockerfileChange.LineOf(Head, Remove) });

        var image = Assert.Single(run.Json.GetProperty("images").EnumerateArray());
        var blob = image.GetProperty("head").GetProperty("wasted").GetProperty("largestFiles").EnumerateArray()
            .SingleOrDefault(f => f.GetProperty("path").GetString() == "/tmp/blob");
        Assert.True(blob.ValueKind == JsonValueKind.Object, run.Failure("expected /tmp/blob among the head's wasted files").Message);
        Assert.Equal(BlobBytes, blob.GetProperty("sizeBytes").GetInt64());
        Assert.True(blob.GetProperty("deleted").GetBoolean());
        Assert.DoesNotContain(
            image.GetProperty("base").GetProperty("wasted").GetProperty("largestFiles").EnumerateArray(),
            f => f.GetProperty("path").GetString() == "/tmp/blob");
        await Engine.AssertBuiltImagesRemovedAsync(run.Report!);
    }
}
