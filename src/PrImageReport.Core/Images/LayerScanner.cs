using System.Formats.Tar;
using System.Text;

namespace PrImageReport.Core.Images;

internal enum LayerEntryKind
{
    File,
    HardLink,
    Directory,
    Symlink,
    Other,

    /// <summary>".wh.name": deletes <see cref="LayerEntry.Path"/> from the layers below.</summary>
    Whiteout,

    /// <summary>".wh..wh..opq": hides everything the layers below have inside the directory <see cref="LayerEntry.Path"/>.</summary>
    OpaqueDirectory,
}

/// <param name="Path">Absolute path in the image; for whiteouts the path they delete or make opaque.</param>
/// <param name="LinkTarget">Symlink target as written, or the absolute path a hard link was made from.</param>
internal readonly record struct LayerEntry(string Path, LayerEntryKind Kind, long Size, string? LinkTarget, EntryStat Stat = default);

/// <summary>The metadata that tells a rewrite of a path from a change: permission bits, owner, and mtime in whole seconds.</summary>
internal readonly record struct EntryStat(int Mode, int Uid, int Gid, long ModifiedSeconds);

/// <summary>The small facts one layer blob holds, gathered while it streams past.</summary>
internal sealed class LayerContents(string archivePath)
{
    public string ArchivePath { get; } = archivePath;

    public List<LayerEntry> Entries { get; } = [];

    /// <summary>What the layer writes of package database files, keyed by absolute path.</summary>
    public Dictionary<string, DatabaseFile> PackageDatabases { get; } = new(StringComparer.Ordinal);

    public List<string> Warnings { get; } = [];

    /// <summary>The bytes this layer's files take once unpacked, counted as <see cref="LayerScanner"/> describes.</summary>
    public long SizeBytes { get; set; }

    /// <summary>The blob's length when the archive stores it compressed (what a pull transfers); null for a plain tar.</summary>
    public long? CompressedBytes { get; set; }
}

/// <summary>
/// Reads one layer tar entry by entry, keeping paths, sizes and package databases but no other content.
/// A layer's size is what Docker's overlay2 driver reports for it (moby daemon/graphdriver/overlay2 ApplyDiff, then
/// pkg/directory Size over the unpacked diff directory): the lstat size of every non-directory, each inode once.
/// So a regular file counts its content, a hard link nothing beyond the file it shares, a symlink the length of its
/// target; directories, devices and whiteouts (0:0 character devices, opaque markers as xattrs) count nothing, and a
/// path the tar writes twice counts its last entry. This is the size `docker history` shows on overlay2, whatever
/// store or compression the image comes from.
/// </summary>
internal static class LayerScanner
{
    /// <summary>Real dpkg status files stay far below this; anything bigger is not read into memory.</summary>
    public const int PackageDatabaseLimit = 16 * 1024 * 1024;

    private const string WhiteoutPrefix = ".wh.";
    private const string OpaqueMarker = ".wh..wh..opq";

    public static async Task<LayerContents> ScanAsync(string archivePath, Stream tar, CancellationToken ct)
    {
        var layer = new LayerContents(archivePath);
        var sizes = new Dictionary<string, long>(StringComparer.Ordinal);
        await using var reader = new TarReader(tar, leaveOpen: true);
        while (await reader.GetNextEntryAsync(copyData: false, ct) is { } entry)
        {
            var path = ImagePaths.Normalize(entry.Name);
            if (path is null || entry.EntryType == TarEntryType.GlobalExtendedAttributes)
            {
                continue;
            }

            sizes[path] = DiskSize(entry);

            var slash = path.LastIndexOf('/');
            var directory = slash == 0 ? "/" : path[..slash];
            var name = path[(slash + 1)..];
            if (name.StartsWith(WhiteoutPrefix, StringComparison.Ordinal))
            {
                AddWhiteout(layer, directory, name);
                continue;
            }

            var stat = new EntryStat((int)entry.Mode, entry.Uid, entry.Gid, entry.ModificationTime.ToUnixTimeSeconds());
            switch (entry.EntryType)
            {
                case TarEntryType.RegularFile or TarEntryType.V7RegularFile or TarEntryType.ContiguousFile or TarEntryType.SparseFile:
                    layer.Entries.Add(new LayerEntry(path, LayerEntryKind.File, entry.Length, null, stat));
                    await CapturePackageDatabaseAsync(layer, path, entry, ct);

                    break;
                case TarEntryType.HardLink:
                    layer.Entries.Add(new LayerEntry(path, LayerEntryKind.HardLink, 0, ImagePaths.Normalize(entry.LinkName), stat));
                    break;
                case TarEntryType.Directory:
                    layer.Entries.Add(new LayerEntry(path, LayerEntryKind.Directory, 0, null, stat));
                    break;
                case TarEntryType.SymbolicLink:
                    layer.Entries.Add(new LayerEntry(path, LayerEntryKind.Symlink, 0, entry.LinkName, stat));
                    break;
                case TarEntryType.CharacterDevice or TarEntryType.BlockDevice or TarEntryType.Fifo:
                    layer.Entries.Add(new LayerEntry(path, LayerEntryKind.Other, 0, null, stat));
                    break;
                default:
                    // Global PAX headers and other metadata-only entries put nothing on disk.
                    break;
            }
        }

        layer.SizeBytes = sizes.Values.Sum();
        return layer;
    }

    private static long DiskSize(TarEntry entry) => entry.EntryType switch
    {
        TarEntryType.RegularFile or TarEntryType.V7RegularFile or TarEntryType.ContiguousFile or TarEntryType.SparseFile => entry.Length,
        TarEntryType.SymbolicLink => Encoding.UTF8.GetByteCount(entry.LinkName),
        _ => 0,
    };

    private static void AddWhiteout(LayerContents layer, string directory, string name)
    {
        if (name == OpaqueMarker)
        {
            layer.Entries.Add(new LayerEntry(directory, LayerEntryKind.OpaqueDirectory, 0, null));
        }
        else if (!name.StartsWith(WhiteoutPrefix + WhiteoutPrefix, StringComparison.Ordinal))
        {
            // Other ".wh..wh.*" names are aufs bookkeeping, not deletions.
            var deleted = directory == "/" ? "/" + name[WhiteoutPrefix.Length..] : $"{directory}/{name[WhiteoutPrefix.Length..]}";
            layer.Entries.Add(new LayerEntry(deleted, LayerEntryKind.Whiteout, 0, null));
        }
    }

    private static async Task CapturePackageDatabaseAsync(LayerContents layer, string path, TarEntry entry, CancellationToken ct)
    {
        var kind = PackageDatabases.KindOf(path);
        if (kind == DatabaseKind.None)
        {
            return;
        }

        if (entry.DataStream is null)
        {
            layer.PackageDatabases[path] = new DatabaseFile("");
            return;
        }

        switch (kind)
        {
            case DatabaseKind.PythonMetadata:
                layer.PackageDatabases[path] = new DatabaseFile(await PackageDatabases.ReadPythonMetadataAsync(entry.DataStream, ct));
                return;
            case DatabaseKind.PythonRecord:
                layer.PackageDatabases[path] = new DatabaseFile("", await PackageDatabases.SumRecordSizesAsync(entry.DataStream, ct));
                return;
        }

        if (entry.Length > PackageDatabaseLimit)
        {
            layer.Warnings.Add(
                $"layer {layer.ArchivePath}: {path} is {entry.Length} bytes, over the {PackageDatabaseLimit / (1024 * 1024)} MB limit for package databases; its packages are not listed");
            return;
        }

        var buffer = new byte[entry.Length];
        var read = await StreamSniffer.ReadAtMostAsync(entry.DataStream, buffer, ct);
        layer.PackageDatabases[path] = new DatabaseFile(Encoding.UTF8.GetString(buffer, 0, read));
    }
}

/// <summary>Spelling of paths inside layers ("./usr/bin/", "usr/bin") and inside the exported archive.</summary>
internal static class ImagePaths
{
    /// <summary>"./usr/bin/" becomes "/usr/bin"; the root itself becomes null.</summary>
    public static string? Normalize(string name)
    {
        var segments = Resolve([], name);
        return segments.Count == 0 ? null : "/" + string.Join('/', segments);
    }

    /// <summary>An archive entry name without leading "./" or "/", e.g. "blobs/sha256/ab12".</summary>
    public static string NormalizeArchivePath(string name) => string.Join('/', Resolve([], name));

    /// <summary>Where an archive symlink at <paramref name="linkPath"/> pointing to <paramref name="target"/> leads.</summary>
    public static string ResolveArchiveLink(string linkPath, string target)
    {
        var directory = Resolve([], linkPath);
        if (directory.Count > 0)
        {
            directory.RemoveAt(directory.Count - 1);
        }

        return string.Join('/', target.StartsWith('/') ? Resolve([], target) : Resolve(directory, target));
    }

    private static List<string> Resolve(List<string> start, string path)
    {
        foreach (var segment in path.Split('/'))
        {
            switch (segment)
            {
                case "" or ".":
                    break;
                case "..":
                    if (start.Count > 0)
                    {
                        start.RemoveAt(start.Count - 1);
                    }

                    break;
                default:
                    start.Add(segment);
                    break;
            }
        }

        return start;
    }
}
