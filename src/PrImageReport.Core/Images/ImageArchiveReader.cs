using System.Formats.Tar;
using System.IO.Compression;
using System.Text.Json;

namespace PrImageReport.Core.Images;

/// <summary>
/// Reads an exported image (<c>docker save</c>, or the engine's <c>GET /images/{name}/get</c>) in one forward pass:
/// the classic layout (manifest.json, &lt;id&gt;/layer.tar) or the OCI layout (index.json, blobs/sha256/&lt;digest&gt;,
/// tar or gzip layers). Entries may come in any order; each layer is scanned while it streams past and only its
/// paths, sizes and package databases are kept, then the layers are stacked in the order the manifest gives.
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
                ContentKind.Gzip => new GZipStream(stream, CompressionMode.Decompress, leaveOpen: true),
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
        catch (Exception ex) when (ex is InvalidDataException or EndOfStreamException or FormatException)
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
            case ContentKind.Gzip:
                await using (var gzip = new GZipStream(content, CompressionMode.Decompress, leaveOpen: true))
                {
                    var (inner, decompressed) = await StreamSniffer.SniffAsync(gzip, ct);
                    if (inner is ContentKind.Tar or ContentKind.Empty)
                    {
                        await ScanLayerAsync(name, decompressed, contents, ct);
                    }
                }

                break;
            case ContentKind.Zstd:
                contents.Unreadable[name] = "is zstd-compressed, which this tool cannot read; export it with gzip or uncompressed layers";
                break;
            case ContentKind.Json when name is ClassicManifest or OciIndex || name.StartsWith("blobs/", StringComparison.Ordinal):
                await BufferJsonAsync(name, content, contents, ct);
                break;
            case ContentKind.Empty:
                RecordEmptyLayer(name, contents);
                break;
        }
    }

    private static async Task ScanLayerAsync(string name, Stream tar, ArchiveContents contents, CancellationToken ct)
    {
        try
        {
            contents.Layers[name] = await LayerScanner.ScanAsync(name, tar, ct);
        }
        catch (Exception ex) when (ex is InvalidDataException or EndOfStreamException or FormatException)
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
                // Not a manifest or index; should the manifest name it anyway, resolving reports it as missing.
                return;
            }

            buffer.Write(chunk, 0, read);
        }

        contents.Json[name] = buffer.ToArray();
    }

    private static ImageFilesystem Assemble(ArchiveContents contents)
    {
        var warnings = new List<string>();
        var (manifestName, layerPaths) = contents.Json.ContainsKey(ClassicManifest)
            ? (ClassicManifest, ClassicLayers(contents, warnings))
            : contents.Json.ContainsKey(OciIndex)
                ? (OciIndex, OciLayers(contents, warnings))
                : throw new ImageArchiveException($"image archive has neither {ClassicManifest} nor {OciIndex}, so its layer order is unknown; {ExportHint}");

        var filesystem = new LayeredFilesystem();
        var layers = new List<LayerChanges>();
        foreach (var path in layerPaths)
        {
            var resolved = contents.Resolve(path);
            if (contents.Unreadable.TryGetValue(resolved, out var problem))
            {
                throw new ImageArchiveException($"image archive layer {path} {problem}");
            }

            if (!contents.Layers.TryGetValue(resolved, out var layer))
            {
                throw new ImageArchiveException($"image archive: {manifestName} lists layer {path}, but the archive holds no such layer; {ExportHint}");
            }

            warnings.AddRange(layer.Warnings);
            layers.Add(filesystem.Apply(path, layer));
        }

        var files = filesystem.Files();
        var packages = PackageDatabases.Parse(filesystem.PackageDatabases);
        return new ImageFilesystem(files, layers, packages, BuildToolDetector.Default.Detect(files.Values, packages), [.. warnings.Distinct()]);
    }

    /// <summary>manifest.json: [{"Config": "…", "RepoTags": […], "Layers": ["&lt;id&gt;/layer.tar" or "blobs/sha256/…", …]}].</summary>
    private static IReadOnlyList<string> ClassicLayers(ArchiveContents contents, List<string> warnings)
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

        return [.. layers.EnumerateArray().Select(l => ImagePaths.NormalizeArchivePath(l.GetString()!))];
    }

    private static string Describe(JsonElement image) =>
        image.ValueKind == JsonValueKind.Object
        && image.TryGetProperty("RepoTags", out var tags)
        && tags.ValueKind == JsonValueKind.Array
        && tags.GetArrayLength() > 0
        && tags[0].ValueKind == JsonValueKind.String
            ? tags[0].GetString()!
            : "untagged";

    /// <summary>index.json -> (nested indexes ->) image manifest blob -> its "layers" descriptors.</summary>
    private static IReadOnlyList<string> OciLayers(ArchiveContents contents, List<string> warnings)
    {
        var candidates = new List<(string Blob, List<string> Layers)>();
        CollectManifests(OciIndex, contents.Json[OciIndex], contents, candidates, depth: 0);
        if (candidates.Count == 0)
        {
            throw new ImageArchiveException($"image archive: {OciIndex} names no image manifest whose blob is in the archive; {ExportHint}");
        }

        if (candidates.Count > 1)
        {
            warnings.Add($"{OciIndex} names {candidates.Count} image manifests; only the first ({candidates[0].Blob}) was read");
        }

        return candidates[0].Layers;
    }

    private static void CollectManifests(string indexName, byte[] indexBytes, ArchiveContents contents, List<(string, List<string>)> candidates, int depth)
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
                candidates.Add((blob, [.. layers.EnumerateArray().Select(l => BlobPath(blob, l))]));
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
    private static string BlobPath(string owner, JsonElement descriptor)
    {
        var digest = descriptor.ValueKind == JsonValueKind.Object
                     && descriptor.TryGetProperty("digest", out var d)
                     && d.ValueKind == JsonValueKind.String
            ? d.GetString()!
            : "";
        var colon = digest.IndexOf(':');
        if (colon <= 0 || colon == digest.Length - 1 || digest.Contains('/'))
        {
            throw new ImageArchiveException($"image archive: {owner} has a descriptor without a valid \"digest\" (\"{digest}\"); {ExportHint}");
        }

        return $"blobs/{digest[..colon]}/{digest[(colon + 1)..]}";
    }

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

    /// <summary>What one pass over the archive collected, keyed by normalized archive path.</summary>
    private sealed class ArchiveContents
    {
        public Dictionary<string, LayerContents> Layers { get; } = new(StringComparer.Ordinal);

        public Dictionary<string, byte[]> Json { get; } = new(StringComparer.Ordinal);

        public Dictionary<string, string> Aliases { get; } = new(StringComparer.Ordinal);

        /// <summary>Layers seen but not readable, with the reason; an error only if the manifest uses them.</summary>
        public Dictionary<string, string> Unreadable { get; } = new(StringComparer.Ordinal);

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
