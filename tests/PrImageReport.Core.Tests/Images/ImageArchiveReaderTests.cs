using PrImageReport.Core.Images;

namespace PrImageReport.Core.Tests.Images;

public sealed class ImageArchiveReaderTests
{
    private static Task<ImageFilesystem> Read(Stream archive) => ImageArchiveReader.ReadAsync(archive, CancellationToken.None);

    [Fact]
    public async Task Classic_layout_with_manifest_after_layers_stacks_layers_in_manifest_order()
    {
        var runtime = new LayerBuilder().Directory("usr/").Directory("usr/bin/").File("usr/bin/python3", 100).File("etc/os-release", 10).ToTar();
        var app = new LayerBuilder().File("usr/bin/python3", 120).File("app/main.py", 7).ToTar();
        var runtimeId = ArchiveBuilder.Digest(runtime)["sha256:".Length..];
        var appId = ArchiveBuilder.Digest(app)["sha256:".Length..];

        // The layer applied last comes first in the archive, so only the manifest gives the right order.
        var archive = new ArchiveBuilder()
            .File($"{appId}/layer.tar", app)
            .File($"{runtimeId}/layer.tar", runtime)
            .Json("cafe.json", ArchiveBuilder.PlainConfig)
            .Json("manifest.json", new[] { new { Config = "cafe.json", RepoTags = new[] { "app:1" }, Layers = new[] { $"{runtimeId}/layer.tar", $"{appId}/layer.tar" } } })
            .ToStream();

        var image = await Read(archive);

        Assert.Equal(new ImageFile("/usr/bin/python3", FileKind.File, 120, null, Layer: 1), image.Files["/usr/bin/python3"]);
        Assert.Equal(FileKind.Directory, image.Files["/usr/bin"].Kind);
        Assert.Equal(FileKind.Directory, image.Files["/app"].Kind);
        Assert.Equal(7, image.Files["/app/main.py"].SizeBytes);
        Assert.Equal(
            [
                new LayerChanges($"{runtimeId}/layer.tar", 4, 110, 0, 0) { SizeBytes = 110 },
                new LayerChanges($"{appId}/layer.tar", 2, 127, 100, 0) { SizeBytes = 127 },
            ],
            image.Layers);
        Assert.Empty(image.Warnings);
    }

    [Fact]
    public async Task Oci_layout_with_gzip_layers_follows_index_to_manifest_blob_to_layers()
    {
        var runtime = new LayerBuilder().File("usr/bin/python3", 100).ToTar();
        var app = new LayerBuilder().File("app/main.py", 7).Whiteout("usr/bin/python3").ToTar();

        var image = await Read(ArchiveBuilder.Oci(runtime, app));

        Assert.Equal(["/app", "/app/main.py", "/usr", "/usr/bin"], image.Files.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(2, image.Layers.Count);
        Assert.All(image.Layers, l => Assert.StartsWith("blobs/sha256/", l.ArchivePath));
        Assert.Equal((100, 0L), (image.Layers[0].AddedBytes, image.Layers[0].DeletedBytes));
        Assert.Equal((7, 100L), (image.Layers[1].AddedBytes, image.Layers[1].DeletedBytes));
    }

    [Fact]
    public async Task Oci_multi_platform_index_reads_the_exported_platform_and_skips_attestations()
    {
        var archive = new ArchiveBuilder();
        var amd64Layer = archive.Blob(LayerBuilder.Gzip(new LayerBuilder().File("usr/bin/amd64-only", 3).ToTar()), "application/vnd.oci.image.layer.v1.tar+gzip", out _);
        var attestationLayer = archive.Blob("""{"_type":"https://in-toto.io/Statement/v0.1"}"""u8.ToArray(), "application/vnd.in-toto+json", out _);
        var config = archive.Blob(ArchiveBuilder.JsonBytes(new { os = "linux" }), "application/vnd.oci.image.config.v1+json", out _);
        const string manifestType = "application/vnd.oci.image.manifest.v1+json";
        _ = archive.Blob(ArchiveBuilder.JsonBytes(new { schemaVersion = 2, config, layers = new[] { amd64Layer } }), manifestType, out var amd64);
        _ = archive.Blob(ArchiveBuilder.JsonBytes(new { schemaVersion = 2, config, layers = new[] { attestationLayer } }), manifestType, out var attestation);
        var attestationAnnotations = new Dictionary<string, string> { ["vnd.docker.reference.type"] = "attestation-manifest" };
        var platforms = archive.Blob(
            ArchiveBuilder.JsonBytes(new
            {
                schemaVersion = 2,
                manifests = new object[]
                {
                    // Not exported: only the engine's own platform has its blobs in the archive.
                    new { mediaType = manifestType, digest = "sha256:" + new string('a', 64), size = 500, platform = new { architecture = "arm64", os = "linux" } },
                    new { mediaType = manifestType, digest = attestation, size = 300, platform = new { architecture = "unknown", os = "unknown" }, annotations = attestationAnnotations },
                    new { mediaType = manifestType, digest = amd64, size = 400, platform = new { architecture = "amd64", os = "linux" } },
                },
            }),
            "application/vnd.oci.image.index.v1+json",
            out _);
        archive.Json("index.json", new { schemaVersion = 2, manifests = new[] { platforms } });

        var image = await Read(archive.ToStream());

        Assert.True(image.Files.ContainsKey("/usr/bin/amd64-only"));
        Assert.Single(image.Layers);
        Assert.Empty(image.Warnings);
    }

    [Fact]
    public async Task Whiteouts_delete_a_file_and_a_whole_directory_from_lower_layers()
    {
        var lower = new LayerBuilder()
            .File("tmp/build/obj/a.o", 300).File("tmp/build/obj/b.o", 200).File("tmp/keep.txt", 5).File("root/.cache/pip/wheel", 1000)
            .ToTar();
        var upper = new LayerBuilder().Whiteout("tmp/build").Whiteout("root/.cache/pip/wheel").Whiteout("does/not/exist").ToTar();

        var image = await Read(ArchiveBuilder.Classic(lower, upper));

        Assert.False(image.Files.ContainsKey("/tmp/build"));
        Assert.False(image.Files.ContainsKey("/tmp/build/obj/a.o"));
        Assert.False(image.Files.ContainsKey("/root/.cache/pip/wheel"));
        Assert.True(image.Files.ContainsKey("/tmp/keep.txt"));
        Assert.True(image.Files.ContainsKey("/root/.cache/pip"));
        Assert.Equal(1500, image.Layers[1].DeletedBytes);
        Assert.Equal(3, image.Layers[1].EntryCount);
    }

    [Fact]
    public async Task Opaque_directory_hides_what_lower_layers_put_in_it_but_keeps_its_own_entries()
    {
        var lower = new LayerBuilder().File("app/old.py", 40).File("app/lib/util.py", 60).File("etc/hostname", 9).ToTar();
        var upper = new LayerBuilder().Directory("app/").File("app/new.py", 5).Opaque("app").ToTar();

        var image = await Read(ArchiveBuilder.Classic(lower, upper));

        Assert.Equal(["/app", "/app/new.py", "/etc", "/etc/hostname"], image.Files.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(100, image.Layers[1].DeletedBytes);
    }

    [Fact]
    public async Task Hard_link_is_a_file_with_its_targets_size_that_outlives_the_deleted_target()
    {
        var lower = new LayerBuilder()
            .File("usr/bin/python3.11", 6_000)
            .HardLink("usr/local/bin/python", "usr/bin/python3.11")
            .ToTar();
        var upper = new LayerBuilder().Whiteout("usr/bin/python3.11").ToTar();

        var image = await Read(ArchiveBuilder.Classic(lower, upper));

        Assert.Equal(new ImageFile("/usr/local/bin/python", FileKind.HardLink, 6_000, "/usr/bin/python3.11"), image.Files["/usr/local/bin/python"]);
        Assert.False(image.Files.ContainsKey("/usr/bin/python3.11"));
        Assert.Equal(6_000, image.Layers[0].AddedBytes);
    }

    [Fact]
    public async Task Symlinks_keep_their_target_and_a_later_entry_replaces_what_was_at_its_path()
    {
        var lower = new LayerBuilder()
            .Symlink("bin", "usr/bin")
            .File("usr/bin/tool", 10)
            .File("opt/app/data/big.bin", 500)
            .File("etc/config", 20)
            .ToTar();
        var upper = new LayerBuilder()
            .Symlink("opt/app", "/srv/app")
            .Directory("etc/config/")
            .ToTar();

        var image = await Read(ArchiveBuilder.Classic(lower, upper));

        Assert.Equal(new ImageFile("/bin", FileKind.Symlink, 0, "usr/bin"), image.Files["/bin"]);
        Assert.Equal(new ImageFile("/opt/app", FileKind.Symlink, 0, "/srv/app", Layer: 1), image.Files["/opt/app"]);
        Assert.False(image.Files.ContainsKey("/opt/app/data/big.bin"));
        Assert.Equal(FileKind.Directory, image.Files["/etc/config"].Kind);
        Assert.Equal(520, image.Layers[1].OverwrittenBytes);
    }

    [Fact]
    public async Task Layer_stored_once_but_referenced_twice_is_applied_at_both_places()
    {
        var cache = new LayerBuilder().File("data/cache.db", 50).ToTar();
        var cleanup = new LayerBuilder().Whiteout("data/cache.db").ToTar();

        var image = await Read(ArchiveBuilder.Oci(cache, cleanup, cache));

        Assert.Equal(50, image.Files["/data/cache.db"].SizeBytes);
        Assert.Equal(3, image.Layers.Count);
        Assert.Equal(image.Layers[0], image.Layers[2]);
        Assert.Equal(50, image.Layers[1].DeletedBytes);
    }

    [Fact]
    public async Task Classic_layer_tar_symlinked_to_an_identical_layer_is_read_through_the_link()
    {
        var cache = new LayerBuilder().File("data/cache.db", 50).ToTar();
        var cleanup = new LayerBuilder().Whiteout("data/cache.db").ToTar();
        var archive = new ArchiveBuilder()
            .File("aaa/layer.tar", cache)
            .File("bbb/layer.tar", cleanup)
            .Symlink("ccc/layer.tar", "../aaa/layer.tar")
            .Json("manifest.json", new[] { new { Config = "cafe.json", Layers = new[] { "aaa/layer.tar", "bbb/layer.tar", "ccc/layer.tar" } } })
            .ToStream();

        var image = await Read(archive);

        Assert.True(image.Files.ContainsKey("/data/cache.db"));
        Assert.Equal("ccc/layer.tar", image.Layers[2].ArchivePath);
    }

    [Fact]
    public async Task Dpkg_status_lists_installed_packages_and_reports_build_tools()
    {
        var layer = new LayerBuilder()
            .File("var/lib/dpkg/status", StatusFiles.DebianWithBuildEssential)
            .File("usr/bin/x86_64-linux-gnu-gcc-12", 1_301_496)
            .Symlink("usr/bin/gcc-12", "x86_64-linux-gnu-gcc-12")
            .Symlink("usr/bin/gcc", "gcc-12")
            .File("usr/bin/python3.11", 6_000)
            .File("usr/include/stdio.h", 30)
            .ToTar();

        var image = await Read(ArchiveBuilder.Classic(layer));

        Assert.Equal(
            [
                new InstalledPackage(PackageManager.Dpkg, "build-essential", "12.9", 20 * 1024),
                new InstalledPackage(PackageManager.Dpkg, "gcc-12", "12.2.0-14+deb12u1", 68236 * 1024),
                new InstalledPackage(PackageManager.Dpkg, "gcc-12-base", "12.2.0-14+deb12u1", 100 * 1024),
                new InstalledPackage(PackageManager.Dpkg, "libc6-dev", "2.36-9+deb12u14", 11975 * 1024),
                new InstalledPackage(PackageManager.Dpkg, "python3.11", "3.11.2-6+deb12u9", 651 * 1024),
            ],
            image.Packages);
        Assert.Equal(
            [
                new BuildTool("build-essential", "dpkg build-essential 12.9"),
                new BuildTool("dev headers", "dpkg libc6-dev 2.36-9+deb12u14"),
                new BuildTool("gcc", "/usr/bin/gcc, /usr/bin/gcc-12, /usr/bin/x86_64-linux-gnu-gcc-12 (dpkg gcc-12 12.2.0-14+deb12u1)", Layer: 0),
            ],
            image.BuildTools);
    }

    [Fact]
    public async Task Apk_installed_lists_packages_and_reports_build_tools()
    {
        var layer = new LayerBuilder()
            .File("lib/apk/db/installed", StatusFiles.AlpineWithBuildBase)
            .File("usr/bin/gcc", 900)
            .File("usr/bin/x86_64-alpine-linux-musl-gcc", 900)
            .ToTar();

        var image = await Read(ArchiveBuilder.Oci(layer));

        Assert.Equal(
            [
                new InstalledPackage(PackageManager.Apk, "build-base", "0.5-r3", 0),
                new InstalledPackage(PackageManager.Apk, "gcc", "13.2.1_git20240309-r0", 101675008),
                new InstalledPackage(PackageManager.Apk, "musl", "1.2.5-r0", 662528),
                new InstalledPackage(PackageManager.Apk, "musl-dev", "1.2.5-r0", 10727424),
            ],
            image.Packages);
        Assert.Equal(
            [
                new BuildTool("build-base", "apk build-base 0.5-r3", Layer: 0),
                new BuildTool("dev headers", "apk musl-dev 1.2.5-r0", Layer: 0),
                new BuildTool("gcc", "/usr/bin/gcc, /usr/bin/x86_64-alpine-linux-musl-gcc (apk gcc 13.2.1_git20240309-r0)", Layer: 0),
            ],
            image.BuildTools);
    }

    [Fact]
    public async Task Build_tools_purged_by_a_later_layer_are_not_reported()
    {
        var build = new LayerBuilder()
            .File("var/lib/dpkg/status", StatusFiles.DebianWithBuildEssential)
            .File("usr/bin/x86_64-linux-gnu-gcc-12", 1_301_496)
            .Symlink("usr/bin/gcc", "x86_64-linux-gnu-gcc-12")
            .File("usr/bin/make", 240_280)
            .ToTar();
        var purge = new LayerBuilder()
            .File("var/lib/dpkg/status", StatusFiles.DebianAfterPurge)
            .Whiteout("usr/bin/x86_64-linux-gnu-gcc-12")
            .Whiteout("usr/bin/gcc")
            .Whiteout("usr/bin/make")
            .ToTar();

        var image = await Read(ArchiveBuilder.Classic(build, purge));

        Assert.Empty(image.BuildTools);
        Assert.Equal(["gcc-12-base", "python3.11"], image.Packages.Select(p => p.Name));
        Assert.Equal(1_541_776, image.Layers[1].DeletedBytes);
    }

    [Fact]
    public async Task Package_database_removed_with_its_directory_lists_no_packages()
    {
        var build = new LayerBuilder().File("var/lib/dpkg/status", StatusFiles.DebianWithBuildEssential).ToTar();
        var strip = new LayerBuilder().Whiteout("var/lib/dpkg").ToTar();

        var image = await Read(ArchiveBuilder.Classic(build, strip));

        Assert.Empty(image.Packages);
        Assert.Empty(image.BuildTools);
    }

    [Fact]
    public async Task Distroless_status_d_files_are_read_and_md5sums_beside_them_are_not()
    {
        var layer = new LayerBuilder()
            .File("var/lib/dpkg/status.d/libc6", "Package: libc6\nVersion: 2.36-9+deb12u7\nInstalled-Size: 12986\n")
            .File("var/lib/dpkg/status.d/libc6.md5sums", "Package: not-a-package\n")
            .File("var/lib/dpkg/status.d/gcc-12", "Package: gcc-12\nStatus: install ok installed\nVersion: 12.2.0-14\n")
            .ToTar();

        var image = await Read(ArchiveBuilder.Classic(layer));

        Assert.Equal(["gcc-12", "libc6"], image.Packages.Select(p => p.Name));
        Assert.Equal([new BuildTool("gcc", "dpkg gcc-12 12.2.0-14", Layer: 0)], image.BuildTools);
    }

    [Fact]
    public async Task Paths_written_with_a_dot_prefix_and_an_empty_layer_are_read_like_any_other()
    {
        var layer = new LayerBuilder().Directory("./").Directory("./usr/").File("./usr/bin/make", 10).ToTar();
        var empty = new byte[1024];

        var image = await Read(ArchiveBuilder.Classic(layer, empty));

        Assert.Equal(["/usr", "/usr/bin", "/usr/bin/make"], image.Files.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(new LayerChanges(image.Layers[1].ArchivePath, 0, 0, 0, 0) { ChangesNothing = true }, image.Layers[1]);
        Assert.Equal([new BuildTool("make", "/usr/bin/make", Layer: 0)], image.BuildTools);
    }

    [Fact]
    public async Task Gzip_compressed_archive_is_read()
    {
        var layer = new LayerBuilder().File("usr/bin/cmake", 10).ToTar();
        using var plain = ArchiveBuilder.Classic(layer);
        var bytes = new MemoryStream();
        await plain.CopyToAsync(bytes);

        var image = await Read(new NonSeekableStream(LayerBuilder.Gzip(bytes.ToArray())));

        Assert.Equal([new BuildTool("cmake", "/usr/bin/cmake", Layer: 0)], image.BuildTools);
    }

    [Fact]
    public async Task Layer_larger_than_any_buffer_streams_through()
    {
        // Over 2 GiB: a reader that copied a layer into a byte array or MemoryStream could not hold it.
        const long hugeFile = (2L << 30) + 12_345;
        var layerSize = 512 + hugeFile + GeneratedArchive.Padding(hugeFile) + 512 + 1024;
        var manifest = ArchiveBuilder.JsonBytes(new[] { new { Config = "cafe.json", Layers = new[] { "big/layer.tar" } } });
        var archive = new GeneratedArchive()
            .Header("big/layer.tar", layerSize)
            .Header("opt/model.bin", hugeFile).Zeros(hugeFile)
            .Header("usr/bin/make", 0)
            .End()
            .Header("manifest.json", manifest.Length).Content(manifest)
            .End();

        var image = await Read(archive);

        Assert.Equal(hugeFile, image.Files["/opt/model.bin"].SizeBytes);
        Assert.Equal(hugeFile, image.Layers[0].AddedBytes);
        Assert.Equal([new BuildTool("make", "/usr/bin/make", Layer: 0)], image.BuildTools);
    }

    [Fact]
    public async Task Package_database_over_the_limit_is_skipped_with_a_warning()
    {
        var oversized = LayerScanner.PackageDatabaseLimit + 1;
        var layer = new LayerBuilder().File("var/lib/dpkg/status", oversized).ToTar();

        var image = await Read(ArchiveBuilder.Classic(layer));

        Assert.Empty(image.Packages);
        var warning = Assert.Single(image.Warnings);
        Assert.Contains("/var/lib/dpkg/status", warning);
        Assert.Contains("16 MB", warning);
    }

    [Fact]
    public async Task Layer_the_manifest_lists_but_the_archive_lacks_is_an_error_naming_it()
    {
        var archive = new ArchiveBuilder()
            .File("aaa/layer.tar", new LayerBuilder().File("a", 1).ToTar())
            .Json("manifest.json", new[] { new { Config = "cafe.json", Layers = new[] { "aaa/layer.tar", "bbb/layer.tar" } } })
            .ToStream();

        var error = await Assert.ThrowsAsync<ImageArchiveException>(() => Read(archive));

        Assert.Contains("manifest.json lists layer bbb/layer.tar", error.Message);
    }

    [Fact]
    public async Task Archive_without_manifest_or_index_is_an_error()
    {
        var archive = new ArchiveBuilder().File("aaa/layer.tar", new LayerBuilder().File("a", 1).ToTar()).ToStream();

        var error = await Assert.ThrowsAsync<ImageArchiveException>(() => Read(archive));

        Assert.Contains("neither manifest.json nor index.json", error.Message);
    }

    [Fact]
    public async Task Invalid_manifest_json_is_an_error_naming_the_line()
    {
        var archive = new ArchiveBuilder().File("manifest.json", "[\n  {\"Layers\": [\n  oops]}]"u8.ToArray()).ToStream();

        var error = await Assert.ThrowsAsync<ImageArchiveException>(() => Read(archive));

        Assert.StartsWith("image archive: manifest.json line 3: invalid JSON", error.Message);
    }

    [Fact]
    public async Task Input_that_is_not_a_tar_archive_is_an_error()
    {
        var error = await Assert.ThrowsAsync<ImageArchiveException>(
            () => Read(new NonSeekableStream("Error response from daemon: No such image: app:1"u8.ToArray())));

        Assert.StartsWith("image archive is not a tar archive", error.Message);
    }

    [Fact]
    public async Task A_corrupt_zstd_layer_is_an_error_naming_the_layer()
    {
        var zstd = new byte[] { 0x28, 0xb5, 0x2f, 0xfd, 0, 0, 0, 0 };
        var archive = new ArchiveBuilder()
            .File("blobs/sha256/abc", zstd)
            .Json("manifest.json", new[] { new { Config = "blobs/sha256/def", Layers = new[] { "blobs/sha256/abc" } } })
            .ToStream();

        var error = await Assert.ThrowsAsync<ImageArchiveException>(() => Read(archive));

        Assert.StartsWith("image archive entry blobs/sha256/abc: ", error.Message);
        Assert.EndsWith("export the image again with `docker save <image>` or GET /images/{name}/get", error.Message);
    }

    [Fact]
    public async Task Truncated_layer_is_an_error_naming_the_layer()
    {
        var layer = new LayerBuilder().File("usr/bin/make", 4000).File("usr/bin/cmake", 10).ToTar();
        var archive = new ArchiveBuilder()
            .File("aaa/layer.tar", layer[..1500])
            .Json("manifest.json", new[] { new { Config = "cafe.json", Layers = new[] { "aaa/layer.tar" } } })
            .ToStream();

        var error = await Assert.ThrowsAsync<ImageArchiveException>(() => Read(archive));

        Assert.StartsWith("image archive layer aaa/layer.tar:", error.Message);
    }
}
