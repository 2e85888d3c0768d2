using System.Formats.Tar;
using System.IO.Compression;
using System.Security.Cryptography;
using System.Text.Json;
using ZstdSharp;

namespace PrImageReport.Core.Images;

/// <summary>
/// Reads an exported image (<c>docker save</c>, or the engine's <c>GET /images/{name}/get</c>) in one forward pass:
/// the classic layout (manifest.json, &lt;id&gt;/layer.tar) or the OCI layout (index.json, blobs/sha256/&lt;digest&gt;,
/// tar, gzip or zstd layers). Entries may come in any order; each layer is scanned while it streams past and only its
/// paths, sizes and package databases are kept, then the layers are stacked in the order the manifest gives.
/// The image config is read for its history; an archive without a readable config still gives its filesystem.
/// </summary>
public static class ImageArchiveReader
{
    /// <summary>Manifests, indexes and configs are small; a JSON blob above this is not one the reader needs.</summary>
    private const int JsonLimit = 16 * 1024 * 1024;

    private const string ClassicManifest = "manifest.json";
    private const string OciIndex = "index.json";
    private const string ExportHint = "export the image again with `docker save <image>` or GET /images/{name}/get";

    public static async Task<ImageFilesystem> ReadAsync(Stream archive, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(archive);
        var contents = new ArchiveContents();
        var current = "(start of archive)";
        try
        {
            // TarReader skips unread entry data in small reads; buffering turns them into few large reads of the source.
            var (kind, stream) = await StreamSniffer.SniffAsync(new BufferedStream(archive, 1 << 20), ct);
            await using var tar = kind switch
            {
                ContentKind.Tar => stream,
                ContentKind.Gzip or ContentKind.Zstd => Decompress(kind, stream),
                ContentKind.Empty => throw new ImageArchiveException($"image archive is empty; {ExportHint}"),
                _ => throw new ImageArchiveException($"image archive is not a tar archive; {ExportHint}"),
            };
            await using var reader = new TarReader(tar, leaveOpen: true);
            while (await reader.GetNextEntryAsync(copyData: false, ct) is { } entry)
            {
                current = entry.Name;
                await ReadEntryAsync(entry, contents, ct);
            }
        }
        catch (Exception ex) when (ex is InvalidDataException or EndOfStreamException or FormatException or ZstdException)
        {
            throw new ImageArchiveException($"image archive entry {current}: {ex.Message} The archive is truncated or corrupt; {ExportHint}", ex);
        }

        return Assemble(contents);
    }

    private static async Task ReadEntryAsync(TarEntry entry, ArchiveContents contents, CancellationToken ct)
    {
        var name = ImagePaths.NormalizeArchivePath(entry.Name);
        switch (entry.EntryType)
        {
            case TarEntryType.SymbolicLink:
                // Classic `docker save` writes a layer that appears twice once and links the second <id>/layer.tar to it.
                contents.Aliases[name] = ImagePaths.ResolveArchiveLink(name, entry.LinkName);
                return;
            case TarEntryType.HardLink:
                contents.Aliases[name] = ImagePaths.NormalizeArchivePath(entry.LinkName);
                return;
            case not (TarEntryType.RegularFile or TarEntryType.V7RegularFile or TarEntryType.ContiguousFile):
                return;
        }

        if (entry.DataStream is null)
        {
            RecordEmptyLayer(name, contents);
            return;
        }

        var (kind, content) = await StreamSniffer.SniffAsync(entry.DataStream, ct);
        switch (kind)
        {
            case ContentKind.Tar:
                await ScanLayerAsync(name, content, contents, ct);
                break;
            case ContentKind.Gzip or ContentKind.Zstd:
                await using (var decompressed = Decompress(kind, content))
                {
                    var (inner, layerTar) = await StreamSniffer.SniffAsync(decompressed, ct);
                    if (inner is ContentKind.Tar or ContentKind.Empty)
                    {
                        await ScanLayerAsync(name, layerTar, contents, ct);
                        if (contents.Layers.TryGetValue(name, out var layer))
                        {
                            // The blob as stored is what a registry serves, so its length is what a pull transfers.
                            layer.CompressedBytes = entry.Length;
                        }
                    }
                }

                break;
            case ContentKind.Json when name is ClassicManifest or OciIndex || name.StartsWith("blobs/", StringComparison.Ordinal) || IsClassicConfig(name):
                await BufferJsonAsync(name, content, contents, ct);
                break;
            case ContentKind.Empty:
                RecordEmptyLayer(name, contents);
                break;
        }
    }

    /// <summary>gzip and zstd are the layer compressions of the OCI image spec and of Docker's containerd image store.</summary>
    private static Stream Decompress(ContentKind kind, Stream compressed) => kind == ContentKind.Zstd
        ? new DecompressionStream(compressed, leaveOpen: true)
        : new GZipStream(compressed, CompressionMode.Decompress, leaveOpen: true);

    /// <summary>The classic layout keeps the image config as "&lt;id&gt;.json" at the archive root.</summary>
    private static bool IsClassicConfig(string name) => !name.Contains('/') && name.EndsWith(".json", StringComparison.Ordinal);

    private static async Task ScanLayerAsync(string name, Stream tar, ArchiveContents contents, CancellationToken ct)
    {
        try
        {
            contents.Layers[name] = await LayerScanner.ScanAsync(name, tar, ct);
        }
        catch (Exception ex) when (ex is InvalidDataException or EndOfStreamException or FormatException or ZstdException)
        {
            throw new ImageArchiveException($"image archive layer {name}: {ex.Message} The layer is truncated or corrupt; {ExportHint}", ex);
        }
    }

    private static void RecordEmptyLayer(string name, ArchiveContents contents)
    {
        if (name.EndsWith("layer.tar", StringComparison.Ordinal) || name.StartsWith("blobs/", StringComparison.Ordinal))
        {
            contents.Layers[name] = new LayerContents(name);
        }
    }

    private static async Task BufferJsonAsync(string name, Stream content, ArchiveContents contents, CancellationToken ct)
    {
        var buffer = new MemoryStream();
        var chunk = new byte[81920];
        int read;
        while ((read = await content.ReadAsync(chunk, ct)) > 0)
        {
            if (buffer.Length + read > JsonLimit)
            {
                // Not a manifest, index or config; should the manifest name it anyway, resolving reports it as missing.
                return;
            }

            buffer.Write(chunk, 0, read);
        }

        contents.Json[name] = buffer.ToArray();
    }

    private static ImageFilesystem Assemble(ArchiveContents contents)
    {
        var warnings = new List<string>();
        var (manifestName, (layerPaths, config)) = contents.Json.ContainsKey(ClassicManifest)
            ? (ClassicManifest, ClassicLayers(contents, warnings))
            : contents.Json.ContainsKey(OciIndex)
                ? (OciIndex, OciLayers(contents, warnings))
                : throw new ImageArchiveException($"image archive has neither {ClassicManifest} nor {OciIndex}, so its layer order is unknown; {ExportHint}");

        var filesystem = new LayeredFilesystem();
        var layers = new List<LayerChanges>();
        foreach (var path in layerPaths)
        {
            var resolved = contents.Resolve(path);
            if (!contents.Layers.TryGetValue(resolved, out var layer))
            {
                throw new ImageArchiveException($"image archive: {manifestName} lists layer {path}, but the archive holds no such layer; {ExportHint}");
            }

            warnings.AddRange(layer.Warnings);
            layers.Add(filesystem.Apply(path, layer));
        }

        var files = filesystem.Files();
        var listed = PackageDatabases.Parse(filesystem.PackageDatabases);
        var packageLayers = PackageDatabases.Layers(listed, files);
        var packages = listed.Select(l => l.Package).ToList();
        var buildTools = BuildToolDetector.Default.Detect(files.Values, packages, p => packageLayers.TryGetValue(p, out var layer) ? layer : null);
        var history = History(manifestName, config, contents, warnings);
        return new ImageFilesystem(files, layers, packages, buildTools, [.. warnings.Distinct()])
        {
            History = history,
            Wasted = filesystem.Wasted(),
            ConfigDigest = config is not null && contents.Json.TryGetValue(contents.Resolve(config), out var configBytes)
                ? "sha256:" + Convert.ToHexStringLower(SHA256.HashData(configBytes))
                : null,
        };
    }

    /// <summary>The config's "history": [{"created_by": "…", "empty_layer": true}, …], bottom first; empty with a warning when the config cannot be read.</summary>
    private static IReadOnlyList<HistoryEntry> History(string manifestName, string? config, ArchiveContents contents, List<string> warnings)
    {
        const string unknown = "the layers cannot be tied to the steps that made them";
        if (config is null)
        {
            warnings.Add($"{manifestName} names no image config; {unknown}");
            return [];
        }

        if (!contents.Json.TryGetValue(contents.Resolve(config), out var bytes))
        {
            warnings.Add($"image config {config} is not in the archive or is over {JsonLimit / (1024 * 1024)} MB; {unknown}");
            return [];
        }

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(bytes);
        }
        catch (JsonException ex)
        {
            warnings.Add($"image config {config} line {(ex.LineNumber ?? 0) + 1}: invalid JSON; {unknown}");
            return [];
        }

        using (document)
        {
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                warnings.Add($"image config {config} is not a JSON object; {unknown}");
                return [];
            }

            if (!document.RootElement.TryGetProperty("history", out var history) || history.ValueKind != JsonValueKind.Array)
            {
                // The OCI spec makes history optional; images made by `docker import` or some tools carry none.
                return [];
            }

            return
            [
                .. history.EnumerateArray()
                    .Where(step => step.ValueKind == JsonValueKind.Object)
                    .Select(step => new HistoryEntry(
                        step.TryGetProperty("created_by", out var createdBy) && createdBy.ValueKind == JsonValueKind.String ? createdBy.GetString()! : "",
                        step.TryGetProperty("empty_layer", out var empty) && empty.ValueKind == JsonValueKind.True)),
            ];
        }
    }

    /// <summary>manifest.json: [{"Config": "…", "RepoTags": […], "Layers": ["&lt;id&gt;/layer.tar" or "blobs/sha256/…", …]}].</summary>
    private static (IReadOnlyList<string> Layers, string? Config) ClassicLayers(ArchiveContents contents, List<string> warnings)
    {
        using var manifest = ParseJson(ClassicManifest, contents.Json[ClassicManifest]);
        if (manifest.RootElement.ValueKind != JsonValueKind.Array || manifest.RootElement.GetArrayLength() == 0)
        {
            throw new ImageArchiveException($"image archive: {ClassicManifest} is not a non-empty list of images; {ExportHint}");
        }

        var image = manifest.RootElement[0];
        if (manifest.RootElement.GetArrayLength() > 1)
        {
            warnings.Add($"{ClassicManifest} lists {manifest.RootElement.GetArrayLength()} images; only the first ({Describe(image)}) was read");
        }

        if (image.ValueKind != JsonValueKind.Object
            || !image.TryGetProperty("Layers", out var layers)
            || layers.ValueKind != JsonValueKind.Array
            || layers.EnumerateArray().Any(l => l.ValueKind != JsonValueKind.String))
        {
            throw new ImageArchiveException($"image archive: {ClassicManifest} has no \"Layers\" list of paths for its first image; {ExportHint}");
        }

        var config = image.TryGetProperty("Config", out var c) && c.ValueKind == JsonValueKind.String ? ImagePaths.NormalizeArchivePath(c.GetString()!) : null;
        return ([.. layers.EnumerateArray().Select(l => ImagePaths.NormalizeArchivePath(l.GetString()!))], config);
    }

    private static string Describe(JsonElement image) =>
        image.ValueKind == JsonValueKind.Object
        && image.TryGetProperty("RepoTags", out var tags)
        && tags.ValueKind == JsonValueKind.Array
        && tags.GetArrayLength() > 0
        && tags[0].ValueKind == JsonValueKind.String
            ? tags[0].GetString()!
            : "untagged";

    /// <summary>index.json -> (nested indexes ->) image manifest blob -> its "layers" and "config" descriptors.</summary>
    private static (IReadOnlyList<string> Layers, string? Config) OciLayers(ArchiveContents contents, List<string> warnings)
    {
        var candidates = new List<OciImage>();
        CollectManifests(OciIndex, contents.Json[OciIndex], contents, candidates, depth: 0);
        if (candidates.Count == 0)
        {
            throw new ImageArchiveException($"image archive: {OciIndex} names no image manifest whose blob is in the archive; {ExportHint}");
        }

        if (candidates.Count > 1)
        {
            warnings.Add($"{OciIndex} names {candidates.Count} image manifests; only the first ({candidates[0].Blob}) was read");
        }

        return (candidates[0].Layers, candidates[0].Config);
    }

    private static void CollectManifests(string indexName, byte[] indexBytes, ArchiveContents contents, List<OciImage> candidates, int depth)
    {
        // Indexes nest (multi-platform images) but never deeply; the bound stops a self-referencing archive.
        if (depth > 8)
        {
            throw new ImageArchiveException($"image archive: {indexName} nests image indexes more than 8 deep; {ExportHint}");
        }

        using var index = ParseJson(indexName, indexBytes);
        if (!index.RootElement.TryGetProperty("manifests", out var manifests) || manifests.ValueKind != JsonValueKind.Array)
        {
            throw new ImageArchiveException($"image archive: {indexName} has no \"manifests\" list; {ExportHint}");
        }

        foreach (var descriptor in manifests.EnumerateArray())
        {
            if (IsAttestationOrUnknownPlatform(descriptor))
            {
                continue;
            }

            var blob = BlobPath(indexName, descriptor);
            if (!contents.Json.TryGetValue(contents.Resolve(blob), out var bytes))
            {
                // Multi-platform indexes name platforms whose blobs were not exported.
                continue;
            }

            using var document = ParseJson(blob, bytes);
            if (document.RootElement.TryGetProperty("manifests", out _))
            {
                CollectManifests(blob, bytes, contents, candidates, depth + 1);
            }
            else if (document.RootElement.TryGetProperty("layers", out var layers) && layers.ValueKind == JsonValueKind.Array)
            {
                var config = document.RootElement.TryGetProperty("config", out var configDescriptor) && TryBlobPath(configDescriptor, out var configBlob) ? configBlob : null;
                candidates.Add(new OciImage(blob, [.. layers.EnumerateArray().Select(l => BlobPath(blob, l))], config));
            }
        }
    }

    private static bool IsAttestationOrUnknownPlatform(JsonElement descriptor) =>
        (descriptor.TryGetProperty("annotations", out var annotations)
         && annotations.ValueKind == JsonValueKind.Object
         && annotations.TryGetProperty("vnd.docker.reference.type", out var type)
         && type.ValueKind == JsonValueKind.String
         && type.GetString() == "attestation-manifest")
        || (descriptor.TryGetProperty("platform", out var platform)
            && platform.ValueKind == JsonValueKind.Object
            && platform.TryGetProperty("os", out var os)
            && os.ValueKind == JsonValueKind.String
            && os.GetString() == "unknown");

    /// <summary>"sha256:ab12…" is stored as blobs/sha256/ab12….</summary>
    private static string BlobPath(string owner, JsonElement descriptor) =>
        TryBlobPath(descriptor, out var path)
            ? path
            : throw new ImageArchiveException($"image archive: {owner} has a descriptor without a valid \"digest\" (\"{Digest(descriptor)}\"); {ExportHint}");

    private static bool TryBlobPath(JsonElement descriptor, out string path)
    {
        var digest = Digest(descriptor);
        var colon = digest.IndexOf(':');
        var valid = colon > 0 && colon < digest.Length - 1 && !digest.Contains('/');
        path = valid ? $"blobs/{digest[..colon]}/{digest[(colon + 1)..]}" : "";
        return valid;
    }

    private static string Digest(JsonElement descriptor) =>
        descriptor.ValueKind == JsonValueKind.Object
        && descriptor.TryGetProperty("digest", out var d)
        && d.ValueKind == JsonValueKind.String
            ? d.GetString()!
            : "";

    private static JsonDocument ParseJson(string name, byte[] bytes)
    {
        try
        {
            return JsonDocument.Parse(bytes);
        }
        catch (JsonException ex)
        {
            throw new ImageArchiveException($"image archive: {name} line {(ex.LineNumber ?? 0) + 1}: invalid JSON ({ex.Message}); {ExportHint}", ex);
        }
    }

    /// <summary>An image manifest of an OCI index: its blob, its layers and its config, as archive paths.</summary>
    private sealed record OciImage(string Blob, IReadOnlyList<string> Layers, string? Config);

    /// <summary>What one pass over the archive collected, keyed by normalized archive path.</summary>
    private sealed class ArchiveContents
    {
        public Dictionary<string, LayerContents> Layers { get; } = new(StringComparer.Ordinal);

        public Dictionary<string, byte[]> Json { get; } = new(StringComparer.Ordinal);

        public Dictionary<string, string> Aliases { get; } = new(StringComparer.Ordinal);

        /// <summary>Follows archive symlinks and hard links; the bound stops a link cycle.</summary>
        public string Resolve(string path)
        {
            for (var hops = 0; hops < 16 && Aliases.TryGetValue(path, out var target); hops++)
            {
                path = target;
            }

            return path;
        }
    }
}
