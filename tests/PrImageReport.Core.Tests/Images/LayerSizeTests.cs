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
    public async Task Whiteouts_and_opaque_markers_count_nothing()
    {
        var layer = await OnlyLayer(new LayerBuilder().Whiteout("tmp/blob").Opaque("var/cache").ToTar());

        Assert.Equal(0, layer.SizeBytes);
    }

    [Fact]
    public async Task A_path_written_twice_counts_its_last_entry()
    {
        var layer = await OnlyLayer(new LayerBuilder().File("app/x", 500).File("app/x", 20).ToTar());

        Assert.Equal(20, layer.SizeBytes);
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

    private static readonly DateTimeOffset Copied = DateTimeOffset.FromUnixTimeSeconds(1_796_656_891);

    private static async Task<IReadOnlyList<LayerChanges>> Layers(params byte[][] tars) =>
        (await ImageArchiveReader.ReadAsync(ArchiveBuilder.Classic(tars), CancellationToken.None)).Layers;

    [Fact]
    public async Task A_copy_up_that_repeats_the_file_below_changes_nothing_and_adds_no_bytes()
    {
        // `RUN chmod +x /app/run.sh` on a file COPY already made executable: overlayfs copies it up unchanged.
        const UnixFileMode executable = (UnixFileMode)0b111_101_101;
        var copy = new LayerBuilder().Stamped(Copied, executable).Directory("app/").File("app/run.sh", 195).ToTar();
        var chmod = new LayerBuilder().Stamped(Copied.AddSeconds(5), executable).Directory("app/").Stamped(Copied, executable).File("app/run.sh", 195).ToTar();

        var layers = await Layers(copy, chmod);

        Assert.Equal([false, true], layers.Select(l => l.ChangesNothing));
        Assert.Equal((0L, 195L), (layers[1].SizeBytes, layers[1].RepeatedBytes));
        Assert.Equal(0, layers[1].OverwrittenBytes);
    }

    [Fact]
    public async Task A_copy_of_a_file_an_earlier_copy_put_there_adds_only_the_other_files()
    {
        // `COPY requirements.txt .` then `COPY . .`: BuildKit on the containerd store leaves requirements.txt out of the second layer.
        var first = new LayerBuilder().Stamped(Copied).File("app/requirements.txt", 291).ToTar();
        var all = new LayerBuilder().Stamped(Copied).File("app/requirements.txt", 291).File("app/app.py", 6945).ToTar();

        var layers = await Layers(first, all);

        Assert.Equal((6945L, 291L, false), (layers[1].SizeBytes, layers[1].RepeatedBytes, layers[1].ChangesNothing));
    }

    [Fact]
    public async Task A_new_mode_a_new_mtime_or_a_new_directory_is_a_change()
    {
        var below = new LayerBuilder().Stamped(Copied, (UnixFileMode)0b110_100_100).File("app/run.sh", 195).ToTar();
        var chmod = new LayerBuilder().Stamped(Copied, (UnixFileMode)0b111_101_101).File("app/run.sh", 195).ToTar();
        var touch = new LayerBuilder().Stamped(Copied.AddSeconds(1), (UnixFileMode)0b110_100_100).File("app/run.sh", 195).ToTar();
        var workdir = new LayerBuilder().Stamped(Copied).Directory("srv/").ToTar();

        Assert.False((await Layers(below, chmod))[1].ChangesNothing);
        Assert.False((await Layers(below, touch))[1].ChangesNothing);
        Assert.False((await Layers(below, workdir))[1].ChangesNothing);
    }

    [Fact]
    public async Task Directories_whose_mtime_moved_change_nothing_and_a_whiteout_of_nothing_neither()
    {
        var below = new LayerBuilder().Stamped(Copied).Directory("tmp/").Directory("etc/").ToTar();
        var run = new LayerBuilder().Stamped(Copied.AddSeconds(60)).Directory("tmp/").Directory("etc/").Whiteout("tmp/never-there").ToTar();

        Assert.True((await Layers(below, run))[1].ChangesNothing);
    }
}
