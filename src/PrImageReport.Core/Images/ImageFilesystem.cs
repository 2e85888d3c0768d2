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
/// <param name="Layer">Index into <see cref="ImageFilesystem.Layers"/> of the layer that wrote this version of the path.</param>
public sealed record ImageFile(string Path, FileKind Kind, long SizeBytes, string? LinkTarget, int Layer = 0);

/// <summary>How one layer changed the filesystem below it, in the order the image applies its layers.</summary>
/// <param name="ArchivePath">The layer as the manifest names it, e.g. "blobs/sha256/4f4f…" or "1123…/layer.tar".</param>
/// <param name="EntryCount">Entries in the layer, whiteouts included.</param>
/// <param name="AddedBytes">Content bytes the layer carries (hard links add none).</param>
/// <param name="OverwrittenBytes">Bytes of lower-layer files this layer replaced: they still ship in the lower layer.</param>
/// <param name="DeletedBytes">Bytes of lower-layer files this layer's whiteouts removed: they still ship in the lower layer.</param>
public sealed record LayerChanges(string ArchivePath, int EntryCount, long AddedBytes, long OverwrittenBytes, long DeletedBytes)
{
    /// <summary>
    /// The bytes of the files the layer adds: its size as `docker history` shows it on overlay2 (regular file bytes,
    /// each hard-linked file once, symlink target lengths; directories and whiteouts nothing, see <see cref="LayerScanner"/>)
    /// less <see cref="RepeatedBytes"/>, so that the same step measures the same whichever builder and store made it.
    /// </summary>
    public long SizeBytes { get; init; }

    /// <summary>
    /// Bytes of entries that repeat the path below with the same kind, mode, owner, size and mtime (a second COPY of
    /// the same file, an overlayfs copy-up). overlay2's layer holds and counts them; containerd's differ leaves them out.
    /// </summary>
    public long RepeatedBytes { get; init; }

    /// <summary>The stored blob's length when the archive keeps the layer compressed (gzip or zstd); null for a plain tar.</summary>
    public long? CompressedBytes { get; init; }

    /// <summary>
    /// Every entry repeats what the layers below hold (or there are none): the layer changes nothing, though it may
    /// carry bytes. Such layers come and go with the builder and store, so they do not count as layers.
    /// </summary>
    public bool ChangesNothing { get; init; }
}

/// <summary>The package database a package was read from.</summary>
public enum PackageManager
{
    Dpkg,
    Apk,

    /// <summary>A Python distribution: a <c>*.dist-info/METADATA</c> in a site-packages or dist-packages directory.</summary>
    Python,
}

/// <summary>A package the final image's package database lists as installed.</summary>
/// <param name="InstalledSizeBytes">The size the database records (dpkg keeps KiB, converted here; for Python the sum of the sizes in RECORD), null when it records none.</param>
public sealed record InstalledPackage(PackageManager Manager, string Name, string Version, long? InstalledSizeBytes);

/// <summary>One step of the image config's history, bottom first.</summary>
/// <param name="EmptyLayer">The step changed only metadata and made no layer.</param>
public sealed record HistoryEntry(string CreatedBy, bool EmptyLayer);

/// <summary>A file whose bytes ship in a lower layer although a later layer replaced or deleted it.</summary>
/// <param name="Path">The file; a deleted directory gives one record per file in it. Of a file and its hard links, the last path that reached the bytes.</param>
/// <param name="SizeBytes">The file's unreachable bytes.</param>
/// <param name="WrittenByLayer">Index into <see cref="ImageFilesystem.Layers"/> of the layer whose copy is unreachable.</param>
/// <param name="RemovedByLayer">Index of the layer that overwrote or deleted it.</param>
/// <param name="Deleted">True when deleted (a whiteout or an opaque directory), false when overwritten, also by a non-directory put where its directory was.</param>
public sealed record WastedFile(string Path, long SizeBytes, int WrittenByLayer, int RemovedByLayer, bool Deleted);

/// <summary>
/// Space the image ships but cannot use: bytes of files that a later layer overwrites or deletes, as dive counts
/// them, except that the copy still in use is not counted as waste, nor is a deleted file's content while a hard
/// link to it remains.
/// </summary>
/// <param name="WastedBytes">Bytes of lower-layer files made unreachable by later layers.</param>
/// <param name="ShippedBytes">Bytes all layers carry, the unreachable ones included.</param>
/// <param name="LargestFiles">The 20 largest wasted files, largest first, ties by path; <see cref="WastedBytes"/> counts them all.</param>
public sealed record WastedSpace(long WastedBytes, long ShippedBytes, IReadOnlyList<WastedFile> LargestFiles)
{
    public static WastedSpace None { get; } = new(0, 0, []);

    /// <summary>Share of shipped bytes the final filesystem can reach, 1 when nothing is wasted.</summary>
    public double Efficiency => ShippedBytes <= 0 ? 1 : 1 - ((double)WastedBytes / ShippedBytes);
}

/// <summary>The final filesystem of an exported image and what was found in it.</summary>
/// <param name="Files">Every path of the final filesystem, keyed by its absolute path.</param>
/// <param name="Layers">One entry per layer reference of the image, bottom first; a layer referenced twice appears twice.</param>
/// <param name="Packages">Installed dpkg, apk and Python packages, sorted by manager then name.</param>
/// <param name="BuildTools">Compilers, build systems and development packages left in the final filesystem.</param>
/// <param name="Warnings">Things the reader could not take into account, e.g. an oversized package database.</param>
public sealed record ImageFilesystem(
    IReadOnlyDictionary<string, ImageFile> Files,
    IReadOnlyList<LayerChanges> Layers,
    IReadOnlyList<InstalledPackage> Packages,
    IReadOnlyList<BuildTool> BuildTools,
    IReadOnlyList<string> Warnings)
{
    /// <summary>The image config's history, bottom first; empty when the archive's config could not be read.</summary>
    public IReadOnlyList<HistoryEntry> History { get; init; } = [];

    /// <summary>What the layers ship that the final filesystem cannot reach.</summary>
    public WastedSpace Wasted { get; init; } = WastedSpace.None;

    /// <summary>The image config's digest ("sha256:…"), the image's id on the classic store; null when the manifest names no config.</summary>
    public string? ConfigDigest { get; init; }
}

/// <summary>The exported image archive cannot be read; the message names the entry and what to do.</summary>
public sealed class ImageArchiveException(string message, Exception? inner = null) : Exception(message, inner);
