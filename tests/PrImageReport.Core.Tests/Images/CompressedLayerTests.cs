using PrImageReport.Core.Images;

namespace PrImageReport.Core.Tests.Images;

public sealed class CompressedLayerTests
{
    private static Task<ImageFilesystem> Read(Stream archive) => ImageArchiveReader.ReadAsync(archive, CancellationToken.None);

    [Fact]
    public async Task Zstd_layers_are_read_like_gzip_ones()
    {
        var runtime = new LayerBuilder().File("usr/bin/python3", 100).File("var/lib/dpkg/status", StatusFiles.DebianWithBuildEssential).ToTar();
        var app = new LayerBuilder().File("app/main.py", 7).Whiteout("usr/bin/python3").ToTar();

        var zstd = await Read(ArchiveBuilder.Oci(ArchiveBuilder.PlainConfig, LayerBuilder.Zstd, "zstd", runtime, app));
        var gzip = await Read(ArchiveBuilder.Oci(runtime, app));

        Assert.Equal(gzip.Files.Values.OrderBy(f => f.Path, StringComparer.Ordinal), zstd.Files.Values.OrderBy(f => f.Path, StringComparer.Ordinal));
        Assert.Equal(gzip.Packages, zstd.Packages);
        Assert.Equal(gzip.Layers.Select(l => (l.AddedBytes, l.DeletedBytes, l.SizeBytes)), zstd.Layers.Select(l => (l.AddedBytes, l.DeletedBytes, l.SizeBytes)));
    }

    [Fact]
    public async Task A_whole_archive_compressed_with_zstd_is_read()
    {
        var layer = new LayerBuilder().File("usr/bin/make", 10).ToTar();
        using var plain = new MemoryStream();
        await ArchiveBuilder.Classic(layer).CopyToAsync(plain);

        var image = await Read(new NonSeekableStream(LayerBuilder.Zstd(plain.ToArray())));

        Assert.Equal(10, image.Files["/usr/bin/make"].SizeBytes);
    }

    [Fact]
    public async Task A_compressed_layer_records_its_blob_length_a_plain_one_none()
    {
        var tar = new LayerBuilder().File("app/data", 50_000).ToTar();
        var gzipBlob = LayerBuilder.Gzip(tar);
        var zstdBlob = LayerBuilder.Zstd(tar);

        var gzip = (await Read(ArchiveBuilder.Oci(tar))).Layers.Single();
        var zstd = (await Read(ArchiveBuilder.Oci(ArchiveBuilder.PlainConfig, LayerBuilder.Zstd, "zstd", tar))).Layers.Single();
        var plain = (await Read(ArchiveBuilder.Classic(tar))).Layers.Single();

        Assert.Equal(gzipBlob.Length, gzip.CompressedBytes);
        Assert.Equal(zstdBlob.Length, zstd.CompressedBytes);
        Assert.Null(plain.CompressedBytes);
        Assert.Equal([50_000L, 50_000L, 50_000L], [gzip.SizeBytes, zstd.SizeBytes, plain.SizeBytes]);
    }
}
