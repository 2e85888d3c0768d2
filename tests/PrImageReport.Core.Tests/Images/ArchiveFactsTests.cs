using PrImageReport.Core.Images;

namespace PrImageReport.Core.Tests.Images;

public sealed class ArchiveFactsTests
{
    private static readonly object BuildKitConfig = ArchiveBuilder.Config(
        ("", false),
        ("WORKDIR /app", false),
        ("COPY app.py . # buildkit", false),
        ("ENV PORT=5000", true),
        ("RUN /bin/sh -c rm /tmp/x # buildkit", false));

    private static byte[][] Layers() =>
    [
        new LayerBuilder().File("usr/bin/python3", 5000).File("tmp/x", 9).ToTar(),
        new LayerBuilder().Directory("app/").ToTar(),
        new LayerBuilder().File("app/app.py", 70).ToTar(),
        new LayerBuilder().Whiteout("tmp/x").ToTar(),
    ];

    [Fact]
    public async Task Sizes_come_from_the_scan_and_the_image_size_is_their_sum()
    {
        var facts = await ArchiveFacts.ReadAsync("app:head", ArchiveBuilder.Oci(BuildKitConfig, Layers()), CancellationToken.None);

        Assert.Equal([5009L, 0, 70, 0, 0], facts.Layers.Select(l => l.SizeBytes));
        Assert.Equal(5079, facts.SizeBytes);
        Assert.Equal("app:head", facts.Reference);
        Assert.StartsWith("sha256:", facts.Id);
    }

    [Fact]
    public async Task The_workdir_layer_of_one_directory_does_not_count_the_deleting_layer_does()
    {
        var facts = await ArchiveFacts.ReadAsync("app:head", ArchiveBuilder.Oci(BuildKitConfig, Layers()), CancellationToken.None);

        Assert.Equal([false, true, false, true, false], facts.Layers.Select(l => l.IsEmpty));
        Assert.Equal(3, facts.LayerCount);
    }

    [Fact]
    public async Task The_compressed_size_is_the_sum_of_the_blobs_when_all_are_compressed()
    {
        var layers = Layers();
        var gzip = await ArchiveFacts.ReadAsync("a", ArchiveBuilder.Oci(BuildKitConfig, layers), CancellationToken.None);
        var plain = await ArchiveFacts.ReadAsync("a", ArchiveBuilder.Classic(BuildKitConfig, layers), CancellationToken.None);

        Assert.Equal(layers.Sum(l => (long)LayerBuilder.Gzip(l).Length), gzip.CompressedBytes);
        Assert.Null(plain.CompressedBytes);
        Assert.All(plain.Layers, l => Assert.Null(l.CompressedBytes));
        Assert.Equal(gzip.SizeBytes, plain.SizeBytes);
    }

    [Fact]
    public async Task The_builder_is_told_from_the_history_and_the_engine_is_left_unknown()
    {
        var classic = ArchiveBuilder.Config(("", false), ("/bin/sh -c #(nop) WORKDIR /app", true), ("/bin/sh -c #(nop) COPY file:ab in . ", false), ("|1 V=1 /bin/sh -c rm /tmp/x", false));
        HashSet<int> drop = [1];
        var classicLayers = Layers().Where((_, i) => !drop.Contains(i)).ToArray();

        var buildKit = await ArchiveFacts.ReadAsync("a", ArchiveBuilder.Oci(BuildKitConfig, Layers()), CancellationToken.None);
        var fromClassic = await ArchiveFacts.ReadAsync("a", ArchiveBuilder.Oci(classic, classicLayers), CancellationToken.None);

        Assert.Equal(new ImageOrigin(null, null, "BuildKit"), buildKit.Origin);
        Assert.Equal(new ImageOrigin(null, null, "classic"), fromClassic.Origin);
        Assert.Equal(buildKit.LayerCount, fromClassic.LayerCount);
        Assert.Equal(buildKit.SizeBytes, fromClassic.SizeBytes);
    }
}
