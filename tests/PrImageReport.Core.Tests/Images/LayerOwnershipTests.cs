using PrImageReport.Core.Images;

namespace PrImageReport.Core.Tests.Images;

/// <summary>Which layer wrote each path, and which layer brought in each build tool.</summary>
public sealed class LayerOwnershipTests
{
    private static Task<ImageFilesystem> Read(Stream archive) => ImageArchiveReader.ReadAsync(archive, CancellationToken.None);

    [Fact]
    public async Task Each_path_carries_the_layer_that_wrote_its_current_version()
    {
        var base_ = new LayerBuilder().Directory("usr/").Directory("usr/bin/").File("usr/bin/python3", 100).File("etc/hostname", 9).ToTar();
        var app = new LayerBuilder().Directory("app/").File("app/main.py", 7).ToTar();
        var patch = new LayerBuilder().Directory("usr/").Directory("usr/bin/").File("usr/bin/python3", 120).Symlink("usr/bin/python", "python3").ToTar();

        var image = await Read(ArchiveBuilder.Classic(base_, app, patch));

        Assert.Equal(0, image.Files["/etc/hostname"].Layer);
        Assert.Equal(0, image.Files["/etc"].Layer);
        Assert.Equal(1, image.Files["/app"].Layer);
        Assert.Equal(1, image.Files["/app/main.py"].Layer);
        Assert.Equal(new ImageFile("/usr/bin/python3", FileKind.File, 120, null, Layer: 2), image.Files["/usr/bin/python3"]);
        Assert.Equal(new ImageFile("/usr/bin/python", FileKind.Symlink, 0, "python3", Layer: 2), image.Files["/usr/bin/python"]);
        // A directory entry that repeats the directory below (a copy-up) leaves it the lower layer's.
        Assert.Equal(0, image.Files["/usr/bin"].Layer);
    }

    [Fact]
    public async Task Layer_index_counts_a_layer_referenced_twice_at_both_places()
    {
        var cache = new LayerBuilder().File("data/cache.db", 50).ToTar();
        var cleanup = new LayerBuilder().Whiteout("data/cache.db").ToTar();

        var image = await Read(ArchiveBuilder.Oci(cache, cleanup, cache));

        Assert.Equal(2, image.Files["/data/cache.db"].Layer);
    }

    [Fact]
    public async Task Build_tool_found_by_path_has_the_layer_of_the_lowest_file_that_proves_it()
    {
        var base_ = new LayerBuilder().File("usr/bin/python3.11", 6_000).ToTar();
        var copyCompiler = new LayerBuilder().File("usr/bin/x86_64-linux-gnu-gcc-12", 1_000).ToTar();
        var linkCompiler = new LayerBuilder().Symlink("usr/bin/gcc", "x86_64-linux-gnu-gcc-12").ToTar();

        var image = await Read(ArchiveBuilder.Classic(base_, copyCompiler, linkCompiler));

        Assert.Equal([new BuildTool("gcc", "/usr/bin/gcc, /usr/bin/x86_64-linux-gnu-gcc-12", Layer: 1)], image.BuildTools);
    }

    [Fact]
    public async Task Dpkg_package_has_the_layer_that_wrote_its_info_list_with_or_without_an_architecture()
    {
        var base_ = new LayerBuilder()
            .File("var/lib/dpkg/status", StatusFiles.DebianAfterPurge)
            .File("var/lib/dpkg/info/python3.11.list", 300)
            .ToTar();
        var aptInstall = new LayerBuilder()
            .File("var/lib/dpkg/status", StatusFiles.DebianWithBuildEssential)
            .File("var/lib/dpkg/info/build-essential.list", 200)
            .File("var/lib/dpkg/info/gcc-12.list", 900)
            .ToTar();
        var copyApp = new LayerBuilder().File("app/main.py", 7).ToTar();
        // libc6-dev's list is Multi-Arch named, and written by a later upgrade.
        var upgrade = new LayerBuilder().File("var/lib/dpkg/info/libc6-dev:amd64.list", 800).ToTar();

        var image = await Read(ArchiveBuilder.Classic(base_, aptInstall, copyApp, upgrade));

        Assert.Equal(
            [
                new BuildTool("build-essential", "dpkg build-essential 12.9", Layer: 1),
                new BuildTool("dev headers", "dpkg libc6-dev 2.36-9+deb12u14", Layer: 3),
                new BuildTool("gcc", "dpkg gcc-12 12.2.0-14+deb12u1", Layer: 1),
            ],
            image.BuildTools);
    }

    [Fact]
    public async Task Dpkg_package_without_an_info_list_has_no_layer()
    {
        var layer = new LayerBuilder().File("var/lib/dpkg/status", StatusFiles.DebianWithBuildEssential).ToTar();

        var image = await Read(ArchiveBuilder.Classic(new LayerBuilder().File("etc/hostname", 9).ToTar(), layer));

        Assert.All(image.BuildTools, tool => Assert.Null(tool.Layer));
        Assert.Equal(3, image.BuildTools.Count);
    }

    [Fact]
    public async Task Distroless_status_d_package_has_the_layer_of_its_own_file()
    {
        var base_ = new LayerBuilder()
            .File("var/lib/dpkg/status.d/libzstd1", TestDataFiles.Bytes(TestDataFiles.DistrolessLibzstd))
            .File("var/lib/dpkg/status.d/libzstd1.md5sums", TestDataFiles.Bytes(TestDataFiles.DistrolessLibzstdMd5sums))
            .ToTar();
        var compiler = new LayerBuilder().File("var/lib/dpkg/status.d/gcc-12", "Package: gcc-12\nVersion: 12.2.0-14\n").ToTar();

        var image = await Read(ArchiveBuilder.Classic(base_, compiler));

        Assert.Equal(["gcc-12", "libzstd1"], image.Packages.Select(p => p.Name));
        Assert.Equal(new InstalledPackage(PackageManager.Dpkg, "libzstd1", "1.5.4+dfsg2-5", 785 * 1024), image.Packages[1]);
        Assert.Equal([new BuildTool("gcc", "dpkg gcc-12 12.2.0-14", Layer: 1)], image.BuildTools);
    }

    [Fact]
    public async Task Apk_package_has_the_layer_that_last_wrote_the_installed_database()
    {
        var base_ = new LayerBuilder().File("lib/apk/db/installed", TestDataFiles.Bytes(TestDataFiles.ApkInstalled)).ToTar();
        var apkAdd = new LayerBuilder().File("lib/apk/db/installed", StatusFiles.AlpineWithBuildBase).ToTar();

        var image = await Read(ArchiveBuilder.Oci(base_, apkAdd));

        Assert.Equal(
            [
                new BuildTool("build-base", "apk build-base 0.5-r3", Layer: 1),
                new BuildTool("dev headers", "apk musl-dev 1.2.5-r0", Layer: 1),
                new BuildTool("gcc", "apk gcc 13.2.1_git20240309-r0", Layer: 1),
            ],
            image.BuildTools);
    }

    [Fact]
    public async Task Package_databases_in_a_base_layer_are_listed_by_manager_then_name()
    {
        var base_ = new LayerBuilder()
            .File("var/lib/dpkg/status", TestDataFiles.Bytes(TestDataFiles.DebianBookwormSlimStatus))
            .File("lib/apk/db/installed", TestDataFiles.Bytes(TestDataFiles.ApkInstalled))
            .File("usr/local/lib/python3.11/site-packages/pip-23.0.1.dist-info/METADATA", TestDataFiles.Bytes(TestDataFiles.PipMetadata))
            .File("usr/local/lib/python3.11/site-packages/pip-23.0.1.dist-info/RECORD", TestDataFiles.Bytes(TestDataFiles.PipRecord))
            .ToTar();

        var image = await Read(ArchiveBuilder.Classic(base_));

        Assert.Equal((96, 15, 1), (
            image.Packages.Count(p => p.Manager == PackageManager.Dpkg),
            image.Packages.Count(p => p.Manager == PackageManager.Apk),
            image.Packages.Count(p => p.Manager == PackageManager.Python)));
        Assert.Equal(image.Packages.OrderBy(p => p.Manager).ThenBy(p => p.Name, StringComparer.Ordinal), image.Packages);
        Assert.Equal(new InstalledPackage(PackageManager.Python, "pip", "23.0.1", 6_133_412), image.Packages[^1]);
        Assert.Empty(image.BuildTools);
    }
}
