using System.Formats.Tar;
using System.IO.Compression;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using ZstdSharp;

namespace PrImageReport.Core.Tests.Images;

/// <summary>Writes one layer tar in memory, entry by entry, the way an engine's layer diff would hold them.</summary>
internal sealed class LayerBuilder
{
    /// <summary>Each entry gets an mtime of its own unless a test fixes one, so a rewrite of a path is a change by default.</summary>
    private static long _clock = 1_767_225_600;

    private readonly MemoryStream _tar = new();
    private readonly TarWriter _writer;
    private DateTimeOffset? _fixedTime;
    private UnixFileMode? _fixedMode;

    public LayerBuilder()
    {
        _writer = new TarWriter(_tar, TarEntryFormat.Pax, leaveOpen: true);
    }

    public LayerBuilder Directory(string name) => Add(new PaxTarEntry(TarEntryType.Directory, name));

    public LayerBuilder File(string name, int sizeBytes) => File(name, new byte[sizeBytes]);

    public LayerBuilder File(string name, string content) => File(name, Encoding.UTF8.GetBytes(content));

    public LayerBuilder File(string name, byte[] content) =>
        Add(new PaxTarEntry(TarEntryType.RegularFile, name) { DataStream = new MemoryStream(content) });

    public LayerBuilder Symlink(string name, string target) =>
        Add(new PaxTarEntry(TarEntryType.SymbolicLink, name) { LinkName = target });

    public LayerBuilder HardLink(string name, string target) =>
        Add(new PaxTarEntry(TarEntryType.HardLink, name) { LinkName = target });

    /// <summary>"usr/bin/gcc" becomes the empty file "usr/bin/.wh.gcc".</summary>
    public LayerBuilder Whiteout(string name)
    {
        var slash = name.LastIndexOf('/');
        return File($"{name[..(slash + 1)]}.wh.{name[(slash + 1)..]}", 0);
    }

    public LayerBuilder Opaque(string directory) => File($"{directory.TrimEnd('/')}/.wh..wh..opq", 0);

    public byte[] ToTar()
    {
        _writer.Dispose();
        return _tar.ToArray();
    }

    public byte[] ToGzip() => Gzip(ToTar());

    /// <summary>Compresses with the same zstd package the reader decodes with, at the level containerd uses by default.</summary>
    public static byte[] Zstd(byte[] bytes)
    {
        using var compressor = new Compressor(3);
        return compressor.Wrap(bytes).ToArray();
    }

    public static byte[] Gzip(byte[] bytes)
    {
        var output = new MemoryStream();
        using (var gzip = new GZipStream(output, CompressionLevel.Fastest, leaveOpen: true))
        {
            gzip.Write(bytes);
        }

        return output.ToArray();
    }

    /// <summary>Gives the entries added from here on this mtime and, when given, these permission bits, as a copy-up keeps them.</summary>
    public LayerBuilder Stamped(DateTimeOffset time, UnixFileMode? mode = null)
    {
        _fixedTime = time;
        _fixedMode = mode;
        return this;
    }

    private LayerBuilder Add(TarEntry entry)
    {
        entry.ModificationTime = _fixedTime ?? DateTimeOffset.FromUnixTimeSeconds(Interlocked.Increment(ref _clock));
        if (_fixedMode is { } mode)
        {
            entry.Mode = mode;
        }

        _writer.WriteEntry(entry);
        return this;
    }
}

/// <summary>Writes the outer archive of an exported image, entries in exactly the order the test adds them.</summary>
internal sealed class ArchiveBuilder
{
    private readonly MemoryStream _tar = new();
    private readonly TarWriter _writer;

    public ArchiveBuilder()
    {
        _writer = new TarWriter(_tar, TarEntryFormat.Ustar, leaveOpen: true);
    }

    public ArchiveBuilder File(string name, byte[] content)
    {
        _writer.WriteEntry(new UstarTarEntry(TarEntryType.RegularFile, name) { DataStream = new MemoryStream(content) });
        return this;
    }

    public ArchiveBuilder Json(string name, object value) => File(name, JsonBytes(value));

    public ArchiveBuilder Symlink(string name, string target)
    {
        _writer.WriteEntry(new UstarTarEntry(TarEntryType.SymbolicLink, name) { LinkName = target });
        return this;
    }

    /// <summary>Stores a blob under blobs/sha256/&lt;digest&gt; and returns its OCI descriptor.</summary>
    public object Blob(byte[] content, string mediaType, out string digest)
    {
        digest = Digest(content);
        File($"blobs/sha256/{digest["sha256:".Length..]}", content);
        return new { mediaType, digest, size = content.Length };
    }

    public byte[] ToArray()
    {
        _writer.Dispose();
        return _tar.ToArray();
    }

    /// <summary>The archive as the engine's HTTP response body: forward-only, no length, no seeking.</summary>
    public Stream ToStream() => new NonSeekableStream(ToArray());

    public static byte[] JsonBytes(object value) => JsonSerializer.SerializeToUtf8Bytes(value);

    public static string Digest(byte[] content) => "sha256:" + Convert.ToHexStringLower(SHA256.HashData(content));

    /// <summary>An image config with no history, as `docker import` makes one.</summary>
    public static object PlainConfig { get; } = new { architecture = "amd64", os = "linux" };

    /// <summary>An image config whose history has one step per (created_by, empty_layer) pair, bottom first.</summary>
    public static object Config(params (string CreatedBy, bool Empty)[] history) =>
        new { architecture = "amd64", os = "linux", history = history.Select(h => new { created_by = h.CreatedBy, empty_layer = h.Empty }).ToArray() };

    /// <summary>A classic `docker save` archive: each layer as &lt;id&gt;/layer.tar, then the config cafe.json, then the manifest.</summary>
    public static Stream Classic(params byte[][] layers) => Classic(PlainConfig, layers);

    public static Stream Classic(object config, params byte[][] layers)
    {
        var archive = new ArchiveBuilder();
        var paths = new List<string>();
        foreach (var layer in layers)
        {
            var id = Digest(layer)["sha256:".Length..];
            if (!paths.Contains($"{id}/layer.tar"))
            {
                archive.File($"{id}/VERSION", "1.0"u8.ToArray()).File($"{id}/layer.tar", layer);
            }

            paths.Add($"{id}/layer.tar");
        }

        return archive
            .Json("cafe.json", config)
            .Json("manifest.json", new[] { new { Config = "cafe.json", RepoTags = new[] { "app:test" }, Layers = paths } })
            .File("repositories", """{"app":{"test":"cafe"}}"""u8.ToArray())
            .ToStream();
    }

    /// <summary>An OCI layout archive with gzip layers, no manifest.json, and index.json as the very last entry.</summary>
    public static Stream Oci(params byte[][] layerTars) => Oci(PlainConfig, layerTars);

    public static Stream Oci(object config, params byte[][] layerTars) => Oci(config, LayerBuilder.Gzip, "gzip", layerTars);

    /// <summary>As <see cref="Oci(object, byte[][])"/>, each layer compressed by <paramref name="compress"/> and typed "tar+<paramref name="suffix"/>".</summary>
    public static Stream Oci(object config, Func<byte[], byte[]> compress, string suffix, params byte[][] layerTars)
    {
        var archive = new ArchiveBuilder();
        archive.File("oci-layout", """{"imageLayoutVersion":"1.0.0"}"""u8.ToArray());
        var descriptors = new List<object>();
        var stored = new HashSet<string>();
        foreach (var tar in layerTars)
        {
            var blob = compress(tar);
            var digest = Digest(blob);
            var mediaType = $"application/vnd.oci.image.layer.v1.tar+{suffix}";
            descriptors.Add(stored.Add(digest) ? archive.Blob(blob, mediaType, out _) : new { mediaType, digest, size = blob.Length });
        }

        var configDescriptor = archive.Blob(JsonBytes(config), "application/vnd.oci.image.config.v1+json", out _);
        var manifest = archive.Blob(
            JsonBytes(new { schemaVersion = 2, mediaType = "application/vnd.oci.image.manifest.v1+json", config = configDescriptor, layers = descriptors }),
            "application/vnd.oci.image.manifest.v1+json",
            out _);
        return archive.Json("index.json", new { schemaVersion = 2, manifests = new[] { manifest } }).ToStream();
    }
}

/// <summary>An archive in memory, served as a network response body would be.</summary>
internal sealed class NonSeekableStream(byte[] content) : ForwardOnlyStream
{
    private readonly MemoryStream _inner = new(content);

    public override int Read(Span<byte> buffer) => _inner.Read(buffer);
}
