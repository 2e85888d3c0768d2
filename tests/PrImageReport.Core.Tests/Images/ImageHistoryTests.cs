using PrImageReport.Core.Images;

namespace PrImageReport.Core.Tests.Images;

public sealed class ImageHistoryTests
{
    private static readonly object BuiltConfig = ArchiveBuilder.Config(
        ("/bin/sh -c #(nop) ADD file:4f4fb700ef54461c in / ", false),
        ("/bin/sh -c #(nop)  CMD [\"bash\"]", true),
        ("RUN /bin/sh -c pip install -r requirements.txt # buildkit", false));

    private static readonly HistoryEntry[] BuiltHistory =
    [
        new("/bin/sh -c #(nop) ADD file:4f4fb700ef54461c in / ", false),
        new("/bin/sh -c #(nop)  CMD [\"bash\"]", true),
        new("RUN /bin/sh -c pip install -r requirements.txt # buildkit", false),
    ];

    private static readonly byte[] Base = new LayerBuilder().File("etc/os-release", 10).ToTar();
    private static readonly byte[] App = new LayerBuilder().File("app/main.py", 7).ToTar();

    private static Task<ImageFilesystem> Read(Stream archive) => ImageArchiveReader.ReadAsync(archive, CancellationToken.None);

    [Fact]
    public async Task Classic_config_before_the_manifest_gives_the_history_bottom_first()
    {
        var image = await Read(ArchiveBuilder.Classic(BuiltConfig, Base, App));

        Assert.Equal(BuiltHistory, image.History);
        Assert.Empty(image.Warnings);
    }

    [Fact]
    public async Task Classic_config_after_the_manifest_is_read_as_well()
    {
        var archive = new ArchiveBuilder()
            .Json("manifest.json", new[] { new { Config = "0c0ffee.json", Layers = new[] { "aaa/layer.tar", "bbb/layer.tar" } } })
            .File("aaa/layer.tar", Base)
            .File("bbb/layer.tar", App)
            .Json("0c0ffee.json", BuiltConfig)
            .ToStream();

        var image = await Read(archive);

        Assert.Equal(BuiltHistory, image.History);
        Assert.Empty(image.Warnings);
    }

    [Fact]
    public async Task Classic_manifest_naming_a_config_blob_reads_the_blob()
    {
        // Docker 25 and later write the classic manifest.json with OCI blob paths.
        var archive = new ArchiveBuilder();
        archive.Blob(ArchiveBuilder.JsonBytes(BuiltConfig), "application/vnd.oci.image.config.v1+json", out var config);
        archive.Blob(Base, "application/vnd.oci.image.layer.v1.tar", out var baseLayer);
        archive.Blob(App, "application/vnd.oci.image.layer.v1.tar", out var appLayer);
        archive.Json("manifest.json", new[] { new { Config = Blob(config), Layers = new[] { Blob(baseLayer), Blob(appLayer) } } });

        var image = await Read(archive.ToStream());

        Assert.Equal(BuiltHistory, image.History);
        Assert.Equal(2, image.Layers.Count);
    }

    [Fact]
    public async Task Oci_config_descriptor_of_the_image_manifest_gives_the_history()
    {
        var image = await Read(ArchiveBuilder.Oci(BuiltConfig, Base, App));

        Assert.Equal(BuiltHistory, image.History);
        Assert.Empty(image.Warnings);
    }

    [Fact]
    public async Task Oci_config_blob_after_the_index_is_read_as_well()
    {
        var config = ArchiveBuilder.JsonBytes(BuiltConfig);
        var configDigest = ArchiveBuilder.Digest(config);
        var archive = new ArchiveBuilder();
        var layer = archive.Blob(Base, "application/vnd.oci.image.layer.v1.tar", out _);
        var manifest = archive.Blob(
            ArchiveBuilder.JsonBytes(new { schemaVersion = 2, config = new { mediaType = "application/vnd.oci.image.config.v1+json", digest = configDigest, size = config.Length }, layers = new[] { layer } }),
            "application/vnd.oci.image.manifest.v1+json",
            out _);
        archive.Json("index.json", new { schemaVersion = 2, manifests = new[] { manifest } });
        archive.File($"blobs/sha256/{configDigest["sha256:".Length..]}", config);

        var image = await Read(archive.ToStream());

        Assert.Equal(BuiltHistory, image.History);
    }

    [Fact]
    public async Task Step_without_created_by_or_empty_layer_reads_as_empty_text_and_a_layer()
    {
        var config = new { os = "linux", history = new object[] { new { created = "2024-05-01T00:00:00Z", comment = "Imported from -" }, new { created_by = "COPY . /app", empty_layer = false } } };

        var image = await Read(ArchiveBuilder.Classic(config, Base, App));

        Assert.Equal([new HistoryEntry("", false), new HistoryEntry("COPY . /app", false)], image.History);
    }

    [Fact]
    public async Task Config_without_history_gives_an_empty_history_and_no_warning()
    {
        var image = await Read(ArchiveBuilder.Oci(Base));

        Assert.Empty(image.History);
        Assert.Empty(image.Warnings);
    }

    [Fact]
    public async Task Config_missing_from_the_archive_gives_an_empty_history_and_a_warning()
    {
        var archive = new ArchiveBuilder()
            .File("aaa/layer.tar", Base)
            .Json("manifest.json", new[] { new { Config = "cafe.json", Layers = new[] { "aaa/layer.tar" } } })
            .ToStream();

        var image = await Read(archive);

        Assert.Empty(image.History);
        Assert.True(image.Files.ContainsKey("/etc/os-release"));
        var warning = Assert.Single(image.Warnings);
        Assert.StartsWith("image config cafe.json is not in the archive", warning);
    }

    [Fact]
    public async Task Manifest_naming_no_config_gives_an_empty_history_and_a_warning()
    {
        var archive = new ArchiveBuilder()
            .File("aaa/layer.tar", Base)
            .Json("manifest.json", new[] { new { Layers = new[] { "aaa/layer.tar" } } })
            .ToStream();

        var image = await Read(archive);

        Assert.Empty(image.History);
        Assert.StartsWith("manifest.json names no image config", Assert.Single(image.Warnings));
    }

    [Theory]
    [InlineData("{\"history\": [{\"created_by\": \"RUN make\"},]")]
    [InlineData("[\"not\", \"an\", \"object\"]")]
    public async Task Unreadable_config_gives_an_empty_history_and_a_warning_naming_it(string config)
    {
        var archive = new ArchiveBuilder()
            .File("aaa/layer.tar", Base)
            .File("cafe.json", System.Text.Encoding.UTF8.GetBytes(config))
            .Json("manifest.json", new[] { new { Config = "cafe.json", Layers = new[] { "aaa/layer.tar" } } })
            .ToStream();

        var image = await Read(archive);

        Assert.Empty(image.History);
        Assert.StartsWith("image config cafe.json ", Assert.Single(image.Warnings));
    }

    private static string Blob(string digest) => $"blobs/sha256/{digest["sha256:".Length..]}";
}
