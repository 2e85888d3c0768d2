using PrImageReport.Core.Images;
using PrImageReport.Core.Images.History;

namespace PrImageReport.Core.Tests.Images.History;

public class LayerHistoryTests
{
    // A classic build on a one-layer base: ENV, a COPY of an empty file (a layer of 0 bytes), a RUN, a CMD.
    private static readonly HistoryEntry[] Config =
    [
        new("", EmptyLayer: false),
        new("/bin/sh -c #(nop)  ENV A=1", EmptyLayer: true),
        new("/bin/sh -c #(nop) COPY file:7c6005de in /app/ ", EmptyLayer: false),
        new("|1 V=1 /bin/sh -c echo $V > /v", EmptyLayer: false),
        new("/bin/sh -c #(nop)  CMD [\"python3\"]", EmptyLayer: true),
    ];

    private static readonly LayerChanges[] Archive =
    [
        Layer(217_000_000, compressed: 80_000_000),
        Layer(0),
        Layer(2, compressed: 120),
    ];

    [Fact]
    public void TheConfigSaysWhichStepsMadeALayerEvenOfZeroBytes()
    {
        var layers = LayerHistory.Attribute(Config, Archive);

        Assert.Equal([false, true, false, false, true], layers.Select(l => l.IsEmpty));
        Assert.Equal([0, null, 1, 2, null], layers.Select(l => l.ArchiveLayer));
    }

    [Fact]
    public void SizesComeFromTheArchiveLayersAndCreatedByFromTheConfig()
    {
        var layers = LayerHistory.Attribute(Config, Archive);

        Assert.Equal([217_000_000, 0, 0, 2, 0], layers.Select(l => l.SizeBytes));
        Assert.Equal([80_000_000, null, null, 120, null], layers.Select(l => l.CompressedBytes));
        Assert.Equal(Config.Select(e => e.CreatedBy), layers.Select(l => l.CreatedBy));
        Assert.Equal(["(base image)", "ENV A=1", "COPY ... /app/", "RUN echo $V > /v", "CMD [\"python3\"]"], layers.Select(l => l.Instruction));
    }

    [Fact]
    public void ALayerThatChangesNothingCountsAsNoLayerButKeepsItsArchiveIndexAndSize()
    {
        // `RUN chmod +x` on a file that already was: BuildKit keeps overlayfs's copy-up, the classic builder on the containerd store drops the step.
        HistoryEntry[] buildKit = [new("", false), new("COPY . . # buildkit", false), new("RUN /bin/sh -c chmod +x /app/run.sh # buildkit", false)];
        HistoryEntry[] classicOnContainerd = [new("", false), new("/bin/sh -c #(nop) COPY dir:1 in . ", false), new("/bin/sh -c chmod +x /app/run.sh", true)];

        var kept = LayerHistory.Attribute(buildKit, [Layer(100), Layer(7), Layer(7, changesNothing: true)]);
        var dropped = LayerHistory.Attribute(classicOnContainerd, [Layer(100), Layer(7)]);

        Assert.Equal([false, false, true], kept.Select(l => l.IsEmpty));
        Assert.Equal([0, 1, 2], kept.Select(l => l.ArchiveLayer));
        Assert.Equal(7, kept[2].SizeBytes);
        Assert.Equal(kept.Where(l => !l.IsEmpty).Select(l => l.SizeBytes), dropped.Where(l => !l.IsEmpty).Select(l => l.SizeBytes));
    }

    [Fact]
    public void WithoutAConfigHistoryEachArchiveLayerIsAnUnnamedStep()
    {
        var layers = LayerHistory.Attribute([], Archive);

        Assert.Equal([0, 1, 2], layers.Select(l => l.ArchiveLayer));
        Assert.Equal([217_000_000, 0, 2], layers.Select(l => l.SizeBytes));
        Assert.All(layers, l => Assert.Equal(LayerInstructions.BaseImage, l.Instruction));
    }

    [Theory]
    [InlineData(2)]
    [InlineData(4)]
    public void AHistoryThatDoesNotLineUpNamesItsStepsWithoutLayersAndKeepsEverySize(int archiveLayerCount)
    {
        var archive = Enumerable.Range(1, archiveLayerCount).Select(i => Layer(i * 10)).ToArray();

        var layers = LayerHistory.Attribute(Config, archive);

        Assert.Equal(Config.Length + archiveLayerCount, layers.Count);
        Assert.All(layers.Take(Config.Length), l => Assert.True(l.IsEmpty && l.ArchiveLayer is null));
        Assert.Equal(archive.Sum(l => l.SizeBytes), layers.Sum(l => l.SizeBytes));
        Assert.Equal(Enumerable.Range(0, archiveLayerCount).Cast<int?>(), layers.Skip(Config.Length).Select(l => l.ArchiveLayer));
    }

    private static LayerChanges Layer(long size, long? compressed = null, bool changesNothing = false) =>
        new("blobs/sha256/x", 1, size, 0, 0) { SizeBytes = size, CompressedBytes = compressed, ChangesNothing = changesNothing };
}
