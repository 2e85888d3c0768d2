using PrImageReport.Core.Images;
using PrImageReport.Docker.History;

namespace PrImageReport.Docker.IntegrationTests.History;

public class LayerHistoryTests
{
    // A classic build on a one-layer base: ENV, a COPY of an empty file (a layer of 0 bytes), a RUN, a CMD.
    private static readonly EngineHistoryEntry[] Engine =
    [
        new("", 217_000_000),
        new("/bin/sh -c #(nop)  ENV A=1", 0),
        new("/bin/sh -c #(nop) COPY file:7c6005de in /app/ ", 0),
        new("|1 V=1 /bin/sh -c echo $V > /v", 2),
        new("/bin/sh -c #(nop)  CMD [\"python3\"]", 0),
    ];

    private static readonly HistoryEntry[] Config =
    [
        new("", EmptyLayer: false),
        new("/bin/sh -c #(nop)  ENV A=1", EmptyLayer: true),
        new("/bin/sh -c #(nop) COPY file:7c6005de in /app/ ", EmptyLayer: false),
        new("|1 V=1 /bin/sh -c echo $V > /v", EmptyLayer: false),
        new("/bin/sh -c #(nop)  CMD [\"python3\"]", EmptyLayer: true),
    ];

    [Fact]
    public void TheConfigSaysWhichStepsMadeALayerEvenOfZeroBytes()
    {
        var layers = LayerHistory.Attribute(Engine, Config, archiveLayerCount: 3);

        Assert.Equal([false, true, false, false, true], layers.Select(l => l.IsEmpty));
        Assert.Equal([0, null, 1, 2, null], layers.Select(l => l.ArchiveLayer));
    }

    [Fact]
    public void SizesCreatedByAndInstructionsComeFromTheEngineHistory()
    {
        var layers = LayerHistory.Attribute(Engine, Config, archiveLayerCount: 3);

        Assert.Equal([217_000_000, 0, 0, 2, 0], layers.Select(l => l.SizeBytes));
        Assert.Equal(Engine.Select(e => e.CreatedBy), layers.Select(l => l.CreatedBy));
        Assert.Equal(["(base image)", "ENV A=1", "COPY ... /app/", "RUN echo $V > /v", "CMD [\"python3\"]"], layers.Select(l => l.Instruction));
    }

    [Fact]
    public void WithoutTheConfigHistoryAStepOfZeroBytesCountsAsMetadataAndLayersMapWhenTheCountsAgree()
    {
        var layers = LayerHistory.Attribute(Engine, [], archiveLayerCount: 2);

        Assert.Equal([false, true, true, false, true], layers.Select(l => l.IsEmpty));
        Assert.Equal([0, null, null, 1, null], layers.Select(l => l.ArchiveLayer));
    }

    [Fact]
    public void AConfigHistoryOfAnotherLengthIsNotUsed()
    {
        var layers = LayerHistory.Attribute(Engine, Config[..4], archiveLayerCount: 2);

        Assert.Equal([false, true, true, false, true], layers.Select(l => l.IsEmpty));
        Assert.Equal([0, null, null, 1, null], layers.Select(l => l.ArchiveLayer));
    }

    [Theory]
    [InlineData(2)]
    [InlineData(4)]
    public void NoArchiveLayerIsGuessedWhenTheLayerCountsDisagree(int archiveLayerCount)
    {
        var layers = LayerHistory.Attribute(Engine, Config, archiveLayerCount);

        Assert.Equal([false, true, false, false, true], layers.Select(l => l.IsEmpty));
        Assert.All(layers, l => Assert.Null(l.ArchiveLayer));
    }
}
