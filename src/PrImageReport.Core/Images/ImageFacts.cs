namespace PrImageReport.Core.Images;

/// <summary>One entry of the image's history: a filesystem layer, or a metadata-only step when <see cref="IsEmpty"/>.</summary>
/// <param name="CreatedBy">The history's created_by text, as the engine reports it.</param>
/// <param name="Instruction">The Dockerfile instruction recovered from <paramref name="CreatedBy"/>, e.g. "RUN pip install -r requirements.txt".</param>
/// <param name="ArchiveLayer">Index into <see cref="ImageFilesystem.Layers"/> of the layer this step made; null for metadata-only steps or when unknown.</param>
public sealed record LayerFact(string CreatedBy, string Instruction, long SizeBytes, bool IsEmpty, int? ArchiveLayer = null);

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

    /// <summary>Layers that hold files; history steps that only set metadata are not counted.</summary>
    public int LayerCount => Layers.Count(l => !l.IsEmpty);
}
