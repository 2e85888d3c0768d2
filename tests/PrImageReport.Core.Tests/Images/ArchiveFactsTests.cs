using PrImageReport.Core.Images;

namespace PrImageReport.Core.Tests.Images;

public sealed class ArchiveFactsTests
{
    private const UnixFileMode Executable = (UnixFileMode)0b111_101_101;
    private static readonly DateTimeOffset Copied = DateTimeOffset.FromUnixTimeSeconds(1_796_656_891);

    private static readonly object BuildKitConfig = ArchiveBuilder.Config(
        ("", false),
        ("WORKDIR /app", false),
        ("COPY . . # buildkit", false),
        ("ENV PORT=5000", true),
        ("RUN /bin/sh -c chmod +x /app/run.sh # buildkit", false),
        ("RUN /bin/sh -c rm /tmp/x # buildkit", false));

    /// <summary>The same Dockerfile by the classic builder on the containerd store: the chmod's diff is empty, so no layer.</summary>
    private static readonly object ClassicOnContainerdConfig = ArchiveBuilder.Config(
        ("", false),
        ("/bin/sh -c #(nop) WORKDIR /app", false),
        ("/bin/sh -c #(nop) COPY dir:ab in . ", false),
        ("/bin/sh -c #(nop)  ENV PORT=5000", true),
        ("/bin/sh -c chmod +x /app/run.sh", true),
        ("/bin/sh -c rm /tmp/x", false));

    private static byte[] Base() => new LayerBuilder().File("usr/bin/python3", 5000).File("tmp/x", 9).ToTar();

    private static byte[] Workdir() => new LayerBuilder().Directory("app/").ToTar();

    private static byte[] Copy() => new LayerBuilder().Stamped(Copied, Executable).File("app/run.sh", 195).ToTar();

    private static byte[] Chmod() => new LayerBuilder().Stamped(Copied, Executable).File("app/run.sh", 195).ToTar();

    private static byte[] Remove() => new LayerBuilder().Whiteout("tmp/x").ToTar();

    private static Task<ImageFacts> Read(Stream archive) => ArchiveFacts.ReadAsync("app:head", archive, CancellationToken.None);

    [Fact]
    public async Task Sizes_come_from_the_scan_and_the_image_size_is_the_sum_of_the_layers_that_count()
    {
        var facts = await Read(ArchiveBuilder.Oci(BuildKitConfig, Base(), Workdir(), Copy(), Chmod(), Remove()));

        Assert.Equal([5009L, 0, 195, 0, 0, 0], facts.Layers.Select(l => l.SizeBytes));
        Assert.Equal([false, false, false, true, true, false], facts.Layers.Select(l => l.IsEmpty));
        Assert.Equal(5009 + 195, facts.SizeBytes);
        Assert.Equal(4, facts.LayerCount);
        Assert.Equal("app:head", facts.Reference);
        Assert.StartsWith("sha256:", facts.Id);
    }

    [Fact]
    public async Task Both_builders_give_the_same_counted_layers_sizes_and_instructions()
    {
        var buildKit = await Read(ArchiveBuilder.Oci(BuildKitConfig, Base(), Workdir(), Copy(), Chmod(), Remove()));
        var classic = await Read(ArchiveBuilder.Oci(ClassicOnContainerdConfig, Base(), Workdir(), Copy(), Remove()));

        Assert.Equal(buildKit.LayerCount, classic.LayerCount);
        Assert.Equal(buildKit.SizeBytes, classic.SizeBytes);
        Assert.Equal(
            buildKit.Layers.Where(l => !l.IsEmpty).Select(l => l.SizeBytes),
            classic.Layers.Where(l => !l.IsEmpty).Select(l => l.SizeBytes));
        Assert.Equal(new ImageOrigin(null, null, "BuildKit"), buildKit.Origin);
        Assert.Equal(new ImageOrigin(null, null, "classic"), classic.Origin);
    }

    [Fact]
    public async Task The_compressed_size_is_the_sum_of_every_blob_when_all_are_compressed()
    {
        byte[][] layers = [Base(), Workdir(), Copy(), Chmod(), Remove()];
        var gzip = await Read(ArchiveBuilder.Oci(BuildKitConfig, layers));
        var plain = await Read(ArchiveBuilder.Classic(BuildKitConfig, layers));

        Assert.Equal(layers.Sum(l => (long)LayerBuilder.Gzip(l).Length), gzip.CompressedBytes);
        Assert.Null(plain.CompressedBytes);
        Assert.All(plain.Layers, l => Assert.Null(l.CompressedBytes));
        Assert.Equal(gzip.SizeBytes, plain.SizeBytes);
    }

    [Fact]
    public async Task An_image_whose_history_tells_no_builder_has_none()
    {
        var facts = await Read(ArchiveBuilder.Oci(Base()));

        Assert.Equal(ImageOrigin.Unknown, facts.Origin);
        Assert.Equal(5009, facts.SizeBytes);
    }
}
