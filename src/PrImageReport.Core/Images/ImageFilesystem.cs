namespace PrImageReport.Core.Images;

/// <summary>What kind of filesystem entry a path is in the final image.</summary>
public enum FileKind
{
    File,

    /// <summary>A hard link: a file of its own that shares its content with <see cref="ImageFile.LinkTarget"/>.</summary>
    HardLink,

    Directory,
    Symlink,

    /// <summary>Devices, FIFOs and other special files.</summary>
    Other,
}

/// <summary>One path of the final image's filesystem, after all layers are applied.</summary>
/// <param name="Path">Absolute path, e.g. "/usr/bin/gcc-12".</param>
/// <param name="SizeBytes">Content size; for a hard link the size of the file it links to, 0 for directories and symlinks.</param>
/// <param name="LinkTarget">Where a symlink points (as written), or the absolute path a hard link was made from; null otherwise.</param>
public sealed record ImageFile(string Path, FileKind Kind, long SizeBytes, string? LinkTarget);

/// <summary>How one layer changed the filesystem below it, in the order the image applies its layers.</summary>
/// <param name="ArchivePath">The layer as the manifest names it, e.g. "blobs/sha256/4f4f…" or "1123…/layer.tar".</param>
/// <param name="EntryCount">Entries in the layer, whiteouts included.</param>
/// <param name="AddedBytes">Content bytes the layer carries (hard links add none).</param>
/// <param name="OverwrittenBytes">Bytes of lower-layer files this layer replaced: they still ship in the lower layer.</param>
/// <param name="DeletedBytes">Bytes of lower-layer files this layer's whiteouts removed: they still ship in the lower layer.</param>
public sealed record LayerChanges(string ArchivePath, int EntryCount, long AddedBytes, long OverwrittenBytes, long DeletedBytes);

/// <summary>The package database a package was read from.</summary>
public enum PackageManager
{
    Dpkg,
    Apk,
}

/// <summary>A package the final image's package database lists as installed.</summary>
/// <param name="InstalledSizeBytes">The size the database records (dpkg keeps KiB, converted here), null when it records none.</param>
public sealed record InstalledPackage(PackageManager Manager, string Name, string Version, long? InstalledSizeBytes);

/// <summary>The final filesystem of an exported image and what was found in it.</summary>
/// <param name="Files">Every path of the final filesystem, keyed by its absolute path.</param>
/// <param name="Layers">One entry per layer reference of the image, bottom first; a layer referenced twice appears twice.</param>
/// <param name="Packages">Installed dpkg and apk packages, sorted by manager then name.</param>
/// <param name="BuildTools">Compilers, build systems and development packages left in the final filesystem.</param>
/// <param name="Warnings">Things the reader could not take into account, e.g. an oversized package database.</param>
public sealed record ImageFilesystem(
    IReadOnlyDictionary<string, ImageFile> Files,
    IReadOnlyList<LayerChanges> Layers,
    IReadOnlyList<InstalledPackage> Packages,
    IReadOnlyList<BuildTool> BuildTools,
    IReadOnlyList<string> Warnings);

/// <summary>The exported image archive cannot be read; the message names the entry and what to do.</summary>
public sealed class ImageArchiveException(string message, Exception? inner = null) : Exception(message, inner);
