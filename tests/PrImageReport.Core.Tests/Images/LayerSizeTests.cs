using PrImageReport.Core.Images;

namespace PrImageReport.Core.Tests.Images;

/// <summary>A layer's size is what overlay2's directory walk counts: each non-directory's lstat size, each inode once.</summary>
public sealed class LayerSizeTests
{
    private static async Task<LayerChanges> OnlyLayer(byte[] tar) =>
        (await ImageArchiveReader.ReadAsync(ArchiveBuilder.Classic(tar), CancellationToken.None)).Layers.Single();

    [Fact]
    public async Task Regular_files_count_their_content_and_directories_nothing()
    {
        var layer = await OnlyLayer(new LayerBuilder().Directory("app/").File("app/a.py", 300).File("app/b.py", 45).ToTar());

        Assert.Equal(345, layer.SizeBytes);
        Assert.False(layer.OnlyDirectories);
    }

    [Fact]
    public async Task A_hard_link_counts_once_with_the_file_it_shares()
    {
        var layer = await OnlyLayer(new LayerBuilder().File("usr/bin/python3.11", 1000).HardLink("usr/bin/python3", "usr/bin/python3.11").ToTar());

        Assert.Equal(1000, layer.SizeBytes);
    }

    [Fact]
    public async Task A_symlink_counts_the_length_of_its_target_in_bytes()
    {
        var layer = await OnlyLayer(new LayerBuilder().Symlink("usr/bin/python", "python3.11").Symlink("etc/zoneinfo", "/usr/share/zoneinfo/Zürich").ToTar());

        Assert.Equal("python3.11".Length + "/usr/share/zoneinfo/Zürich".Length + 1, layer.SizeBytes);
    }

    [Fact]
    public async Task Whiteouts_and_opaque_markers_count_nothing_but_make_the_layer_count()
    {
        var layer = await OnlyLayer(new LayerBuilder().Whiteout("tmp/blob").Opaque("var/cache").ToTar());

        Assert.Equal(0, layer.SizeBytes);
        Assert.False(layer.OnlyDirectories);
    }

    [Fact]
    public async Task A_path_written_twice_counts_its_last_entry()
    {
        var layer = await OnlyLayer(new LayerBuilder().File("app/x", 500).File("app/x", 20).ToTar());

        Assert.Equal(20, layer.SizeBytes);
    }

    [Fact]
    public async Task A_layer_of_directories_alone_is_marked_as_such()
    {
        var layer = await OnlyLayer(new LayerBuilder().Directory("app/").Directory("opt/venv/").ToTar());

        Assert.Equal((0L, true), (layer.SizeBytes, layer.OnlyDirectories));
    }

    [Fact]
    public async Task The_size_is_the_same_whether_the_layer_is_plain_gzip_or_zstd()
    {
        var tar = new LayerBuilder().Directory("app/").File("app/a", 4000).Symlink("app/b", "a").HardLink("app/c", "app/a").ToTar();

        var plain = await OnlyLayer(tar);
        var gzip = (await ImageArchiveReader.ReadAsync(ArchiveBuilder.Oci(tar), CancellationToken.None)).Layers.Single();
        var zstd = (await ImageArchiveReader.ReadAsync(ArchiveBuilder.Oci(ArchiveBuilder.PlainConfig, LayerBuilder.Zstd, "zstd", tar), CancellationToken.None)).Layers.Single();

        Assert.Equal([4001L, 4001L, 4001L], [plain.SizeBytes, gzip.SizeBytes, zstd.SizeBytes]);
    }
}
