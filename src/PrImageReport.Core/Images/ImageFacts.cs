namespace PrImageReport.Core.Images;

/// <summary>One entry of the image's history: a filesystem layer, or a metadata-only step when <see cref="IsEmpty"/>.</summary>
/// <param name="CreatedBy">The history's created_by text, as the engine reports it.</param>
/// <param name="Instruction">The Dockerfile instruction recovered from <paramref name="CreatedBy"/>, e.g. "RUN pip install -r requirements.txt".</param>
/// <param name="SizeBytes">Bytes of the files the step's layer adds, as `docker history` shows them on overlay2 (<see cref="LayerChanges.SizeBytes"/>).</param>
/// <param name="IsEmpty">The step made no layer, or one that changes nothing below it: it does not count as a layer.</param>
/// <param name="ArchiveLayer">Index into <see cref="ImageFilesystem.Layers"/> of the layer this step made; null for metadata-only steps or when unknown.</param>
/// <param name="CompressedBytes">The layer's compressed blob size, what a pull transfers; null when the archive holds it uncompressed.</param>
public sealed record LayerFact(string CreatedBy, string Instruction, long SizeBytes, bool IsEmpty, int? ArchiveLayer = null, long? CompressedBytes = null);

/// <summary>What made and measured an image, so that a report can name what differs between its sides.</summary>
/// <param name="Engine">e.g. "Docker 20.10.24+dfsg1"; null when the facts come from an archive alone.</param>
/// <param name="ImageStore">e.g. "overlay2", "containerd (overlayfs)"; null when unknown.</param>
/// <param name="Builder">"BuildKit" or "classic", as the image config's history spells it; null when it does not tell.</param>
public sealed record ImageOrigin(string? Engine, string? ImageStore, string? Builder)
{
    public static ImageOrigin Unknown { get; } = new(null, null, null);
}

/// <summary>A build tool found in the final image's filesystem, with the path or package that proves it.</summary>
/// <param name="Name">What it is: "gcc", "make", "build-essential", "dotnet-sdk".</param>
/// <param name="Evidence">Where it was found: "/usr/bin/gcc" or "dpkg: build-essential 12.9".</param>
/// <param name="Layer">
/// Index into <see cref="ImageFilesystem.Layers"/> of the layer that put the evidence there, the lowest when the
/// evidence spans several; null when unknown. For a dpkg package it is the layer that wrote its info/*.list; for an
/// apk package only approximate: the layer that last wrote the installed database.
/// </param>
public sealed record BuildTool(string Name, string Evidence, int? Layer = null);

/// <summary>What the tool measured of one built image.</summary>
/// <param name="SizeBytes">The sum of <see cref="LayerFact.SizeBytes"/> over the layers that count (not <see cref="LayerFact.IsEmpty"/>), on every store.</param>
public sealed record ImageFacts(
    string Reference,
    string Id,
    long SizeBytes,
    IReadOnlyList<LayerFact> Layers,
    IReadOnlyList<BuildTool> BuildTools)
{
    /// <summary>Installed packages of every package database in the image (dpkg, apk, Python distributions).</summary>
    public IReadOnlyList<InstalledPackage> Packages { get; init; } = [];

    /// <summary>Bytes the image ships but its final filesystem cannot reach.</summary>
    public WastedSpace Wasted { get; init; } = WastedSpace.None;

    /// <summary>The sum of all compressed layer blobs, what a deploy pulls; null unless every layer's is known.</summary>
    public long? CompressedBytes { get; init; }

    public ImageOrigin Origin { get; init; } = ImageOrigin.Unknown;

    /// <summary>Layers that change the filesystem; metadata-only steps and layers that change nothing are not counted (see <see cref="LayerFact.IsEmpty"/>).</summary>
    public int LayerCount => Layers.Count(l => !l.IsEmpty);
}
