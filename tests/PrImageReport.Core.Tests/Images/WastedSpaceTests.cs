using PrImageReport.Core.Images;

namespace PrImageReport.Core.Tests.Images;

public sealed class WastedSpaceTests
{
    private static Task<ImageFilesystem> Read(Stream archive) => ImageArchiveReader.ReadAsync(archive, CancellationToken.None);

    [Fact]
    public async Task File_written_then_deleted_by_a_later_layer_is_wasted_in_the_layer_that_wrote_it()
    {
        var download = new LayerBuilder().File("tmp/model.bin", 1_000).File("app/main.py", 10).ToTar();
        var cleanup = new LayerBuilder().Whiteout("tmp/model.bin").ToTar();

        var image = await Read(ArchiveBuilder.Classic(download, cleanup));

        Assert.Equal(new WastedSpace(1_000, 1_010, [new WastedFile("/tmp/model.bin", 1_000, 0, 1, Deleted: true)]), image.Wasted, WastedSpaceComparer.Instance);
        Assert.Equal(1_000, image.Layers[1].DeletedBytes);
    }

    [Fact]
    public async Task File_overwritten_by_a_later_layer_wastes_the_lower_copy_only()
    {
        var base_ = new LayerBuilder().File("etc/app.conf", 300).ToTar();
        var update = new LayerBuilder().File("etc/app.conf", 200).ToTar();

        var image = await Read(ArchiveBuilder.Classic(base_, update));

        Assert.Equal(new WastedSpace(300, 500, [new WastedFile("/etc/app.conf", 300, 0, 1, Deleted: false)]), image.Wasted, WastedSpaceComparer.Instance);
        Assert.Equal(300, image.Layers[1].OverwrittenBytes);
        Assert.Equal(1, image.Files["/etc/app.conf"].Layer);
    }

    [Fact]
    public async Task Deleted_directory_wastes_each_file_in_it_with_the_layer_that_wrote_it()
    {
        var build = new LayerBuilder().File("build/obj/a.o", 300).File("build/obj/b.o", 200).File("build/README", 5).ToTar();
        var more = new LayerBuilder().File("build/c.o", 50).ToTar();
        var cleanup = new LayerBuilder().Whiteout("build").ToTar();

        var image = await Read(ArchiveBuilder.Classic(build, more, cleanup));

        Assert.Equal(
            [
                new WastedFile("/build/obj/a.o", 300, 0, 2, Deleted: true),
                new WastedFile("/build/obj/b.o", 200, 0, 2, Deleted: true),
                new WastedFile("/build/c.o", 50, 1, 2, Deleted: true),
                new WastedFile("/build/README", 5, 0, 2, Deleted: true),
            ],
            image.Wasted.LargestFiles);
        Assert.Equal((555L, 555L), (image.Wasted.WastedBytes, image.Layers[2].DeletedBytes));
    }

    [Fact]
    public async Task Opaque_directory_wastes_what_lower_layers_had_in_it()
    {
        var lower = new LayerBuilder().File("app/old.py", 40).File("app/lib/util.py", 60).File("etc/hostname", 9).ToTar();
        var upper = new LayerBuilder().Directory("app/").File("app/new.py", 5).Opaque("app").ToTar();

        var image = await Read(ArchiveBuilder.Classic(lower, upper));

        Assert.Equal(
            [new WastedFile("/app/lib/util.py", 60, 0, 1, Deleted: true), new WastedFile("/app/old.py", 40, 0, 1, Deleted: true)],
            image.Wasted.LargestFiles);
        Assert.Equal(100, image.Wasted.WastedBytes);
        Assert.Equal(1, image.Files["/app"].Layer);
    }

    [Fact]
    public async Task Non_directory_replacing_a_directory_wastes_everything_in_it_as_overwritten()
    {
        var lower = new LayerBuilder().File("opt/app/data/big.bin", 500).File("opt/app/run", 20).ToTar();
        var upper = new LayerBuilder().Symlink("opt/app", "/srv/app").ToTar();

        var image = await Read(ArchiveBuilder.Classic(lower, upper));

        Assert.Equal(
            [new WastedFile("/opt/app/data/big.bin", 500, 0, 1, Deleted: false), new WastedFile("/opt/app/run", 20, 0, 1, Deleted: false)],
            image.Wasted.LargestFiles);
        Assert.Equal(520, image.Layers[1].OverwrittenBytes);
    }

    [Fact]
    public async Task Hard_link_keeps_its_deleted_targets_bytes_in_use_until_it_goes_too()
    {
        var install = new LayerBuilder()
            .File("usr/bin/python3.11", 6_000)
            .HardLink("usr/local/bin/python", "usr/bin/python3.11")
            .ToTar();
        var dropTarget = new LayerBuilder().Whiteout("usr/bin/python3.11").ToTar();
        var dropLink = new LayerBuilder().Whiteout("usr/local/bin/python").ToTar();

        var targetGone = await Read(ArchiveBuilder.Classic(install, dropTarget));
        var bothGone = await Read(ArchiveBuilder.Classic(install, dropTarget, dropLink));

        Assert.Equal(new WastedSpace(0, 6_000, []), targetGone.Wasted, WastedSpaceComparer.Instance);
        Assert.Equal(0, targetGone.Layers[1].DeletedBytes);
        Assert.Equal(new WastedSpace(6_000, 6_000, [new WastedFile("/usr/local/bin/python", 6_000, 0, 2, Deleted: true)]), bothGone.Wasted, WastedSpaceComparer.Instance);
        Assert.Equal(6_000, bothGone.Layers[2].DeletedBytes);
    }

    [Fact]
    public async Task File_deleted_with_its_hard_link_in_one_directory_is_wasted_once()
    {
        var install = new LayerBuilder().File("opt/tool/bin/tool", 800).HardLink("opt/tool/bin/tool-1.2", "opt/tool/bin/tool").ToTar();
        var remove = new LayerBuilder().Whiteout("opt/tool").ToTar();

        var image = await Read(ArchiveBuilder.Classic(install, remove));

        var wasted = Assert.Single(image.Wasted.LargestFiles);
        Assert.Equal((800L, 0, 1, true), (wasted.SizeBytes, wasted.WrittenByLayer, wasted.RemovedByLayer, wasted.Deleted));
        Assert.Equal(800, image.Wasted.WastedBytes);
    }

    [Fact]
    public async Task Efficiency_is_the_share_of_shipped_bytes_still_reachable()
    {
        var download = new LayerBuilder().File("tmp/archive.tar", 750).File("app/data", 250).ToTar();
        var cleanup = new LayerBuilder().Whiteout("tmp/archive.tar").ToTar();

        var image = await Read(ArchiveBuilder.Classic(download, cleanup));

        Assert.Equal(0.25, image.Wasted.Efficiency, precision: 10);
        Assert.Equal(1, (await Read(ArchiveBuilder.Classic(download))).Wasted.Efficiency);
    }

    [Fact]
    public async Task Largest_wasted_files_keep_the_twenty_largest_while_totals_count_them_all()
    {
        // Like `apt-get upgrade`: many files of a lower layer rewritten.
        var install = new LayerBuilder();
        var upgrade = new LayerBuilder();
        for (var i = 1; i <= 30; i++)
        {
            install.File($"usr/lib/lib{i:00}.so", i * 10);
            upgrade.File($"usr/lib/lib{i:00}.so", 1);
        }

        var image = await Read(ArchiveBuilder.Classic(install.ToTar(), upgrade.ToTar()));

        Assert.Equal(Enumerable.Range(11, 20).Reverse().Select(i => $"/usr/lib/lib{i:00}.so"), image.Wasted.LargestFiles.Select(f => f.Path));
        Assert.Equal(4_650, image.Wasted.WastedBytes);
        Assert.Equal(4_650 + 30, image.Wasted.ShippedBytes);
    }

    [Fact]
    public async Task Largest_wasted_files_of_equal_size_are_ordered_and_kept_by_path()
    {
        var install = new LayerBuilder();
        var cleanup = new LayerBuilder();
        foreach (var i in Enumerable.Range(0, 30).Reverse())
        {
            install.File($"cache/f{i:00}", 100);
            cleanup.Whiteout($"cache/f{i:00}");
        }

        var image = await Read(ArchiveBuilder.Classic(install.ToTar(), cleanup.ToTar()));

        Assert.Equal(Enumerable.Range(0, 20).Select(i => $"/cache/f{i:00}"), image.Wasted.LargestFiles.Select(f => f.Path));
    }

    [Fact]
    public async Task Wasted_and_shipped_totals_agree_with_the_per_layer_changes()
    {
        var lower = new LayerBuilder().File("a/one", 100).File("a/two", 200).File("b/three", 300).File("c", 400).HardLink("d", "c").ToTar();
        var middle = new LayerBuilder().File("a/one", 10).Whiteout("b").Opaque("a").File("c/inside", 5).ToTar();
        var upper = new LayerBuilder().Whiteout("d").File("a/one", 30).ToTar();

        var image = await Read(ArchiveBuilder.Oci(lower, middle, upper));

        Assert.Equal(image.Layers.Sum(l => l.OverwrittenBytes + l.DeletedBytes), image.Wasted.WastedBytes);
        Assert.Equal(image.Layers.Sum(l => l.AddedBytes), image.Wasted.ShippedBytes);
        Assert.Equal(image.Wasted.WastedBytes, image.Wasted.LargestFiles.Sum(f => f.SizeBytes));
        Assert.Equal(1_010, image.Wasted.WastedBytes);
        Assert.Equal(
            [
                // "c" gave way to a directory in layer 1, but the hard link "d" kept its bytes in use until layer 2.
                new WastedFile("/d", 400, 0, 2, Deleted: true),
                new WastedFile("/b/three", 300, 0, 1, Deleted: true),
                new WastedFile("/a/two", 200, 0, 1, Deleted: true),
                new WastedFile("/a/one", 100, 0, 1, Deleted: true),
                new WastedFile("/a/one", 10, 1, 2, Deleted: false),
            ],
            image.Wasted.LargestFiles);
    }

    /// <summary>Records compare lists by reference; this compares them by content.</summary>
    private sealed class WastedSpaceComparer : IEqualityComparer<WastedSpace>
    {
        public static WastedSpaceComparer Instance { get; } = new();

        public bool Equals(WastedSpace? x, WastedSpace? y) =>
            x is not null && y is not null
            && (x.WastedBytes, x.ShippedBytes) == (y.WastedBytes, y.ShippedBytes)
            && x.LargestFiles.SequenceEqual(y.LargestFiles);

        public int GetHashCode(WastedSpace obj) => obj.WastedBytes.GetHashCode();
    }
}
