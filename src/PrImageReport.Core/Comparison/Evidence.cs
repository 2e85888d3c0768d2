using PrImageReport.Core.Images;

namespace PrImageReport.Core.Comparison;

/// <summary>Where a layer of a built image comes from.</summary>
public enum LayerOrigin
{
    /// <summary>The image the final stage stands on: all its layers are one row.</summary>
    BaseImage,

    /// <summary>An instruction of the Dockerfile, with its line.</summary>
    Dockerfile,

    /// <summary>A history step that could not be tied to the Dockerfile (prebuilt images, ONBUILD triggers).</summary>
    Unknown,
}

/// <summary>One row of an image's layer table: a Dockerfile instruction, or the base image as a whole.</summary>
/// <param name="Instruction">The instruction as written in the Dockerfile ("RUN pip install -r requirements.txt"), "FROM python:3.11-slim" for the base image row, or the history's text when unknown.</param>
/// <param name="Line">The Dockerfile line of the instruction (of the FROM for the base image row), when known.</param>
/// <param name="SizeBytes">Bytes the row's layers add.</param>
/// <param name="ArchiveLayers">Indexes into the image archive's layers that the row covers.</param>
/// <param name="CompressedBytes">The compressed blobs of the row's layers; null unless the archive knows each.</param>
public sealed record AttributedLayer(string Instruction, LayerOrigin Origin, int? Line, long SizeBytes, IReadOnlyList<int> ArchiveLayers, long? CompressedBytes = null);

/// <summary>What happened to one layer row between base and head.</summary>
public enum LayerChangeKind { Unchanged, Changed, Added, Removed }

/// <summary>A layer row of base and head paired by instruction (not by position).</summary>
/// <param name="Instruction">The instruction text both sides share (the head's when they differ, as for the base image row).</param>
/// <param name="BaseLine">Line in the base Dockerfile, null when absent there or unknown.</param>
/// <param name="HeadLine">Line in the head Dockerfile.</param>
/// <param name="BaseBytes">Null when the base has no such layer.</param>
/// <param name="HeadBytes">Null when the head has no such layer.</param>
/// <param name="BaseCompressedBytes">The base row's compressed size; null when it has none or it is unknown.</param>
/// <param name="HeadCompressedBytes">The head row's compressed size; null when it has none or it is unknown.</param>
public sealed record LayerDelta(string Instruction, LayerOrigin Origin, int? BaseLine, int? HeadLine, long? BaseBytes, long? HeadBytes, long? BaseCompressedBytes = null, long? HeadCompressedBytes = null)
{
    public LayerChangeKind Kind => (BaseBytes, HeadBytes) switch
    {
        (null, _) => LayerChangeKind.Added,
        (_, null) => LayerChangeKind.Removed,
        var (b, h) when b == h => LayerChangeKind.Unchanged,
        _ => LayerChangeKind.Changed,
    };

    /// <summary>Head minus base bytes, an absent side counting as zero.</summary>
    public long DeltaBytes => (HeadBytes ?? 0) - (BaseBytes ?? 0);
}

/// <summary>What happened to one package between base and head.</summary>
public enum PackageChangeKind { Added, Removed, Upgraded }

/// <summary>A package added, removed or changed in version between the base and head images.</summary>
/// <param name="BaseVersion">Null when added.</param>
/// <param name="HeadVersion">Null when removed.</param>
public sealed record PackageChange(PackageManager Manager, string Name, string? BaseVersion, string? HeadVersion, long? BaseSizeBytes, long? HeadSizeBytes)
{
    public PackageChangeKind Kind => BaseVersion is null ? PackageChangeKind.Added
        : HeadVersion is null ? PackageChangeKind.Removed
        : PackageChangeKind.Upgraded;

    /// <summary>Head minus base installed size, an absent side or size counting as zero.</summary>
    public long DeltaBytes => (HeadSizeBytes ?? 0) - (BaseSizeBytes ?? 0);
}

/// <summary>A wasted path of the head image, tied to the instructions that wrote and removed it.</summary>
/// <param name="WrittenBy">The instruction whose layer still carries the bytes.</param>
/// <param name="RemovedBy">The instruction that overwrote or deleted them.</param>
public sealed record WastedFileCause(string Path, long SizeBytes, bool Deleted, AttributedLayer? WrittenBy, AttributedLayer? RemovedBy);

/// <summary>The evidence behind an image's findings, shown in the report's collapsible sections.</summary>
/// <param name="Layers">Layer rows of base and head paired by instruction, in head order, then rows only the base has.</param>
/// <param name="Packages">Package changes, largest size change first.</param>
/// <param name="BaseWasted">The base image's wasted space; null when it was not built.</param>
/// <param name="HeadWasted">The head image's wasted space; null when it was not built.</param>
/// <param name="HeadWastedFiles">The head image's largest wasted paths with their causes.</param>
public sealed record ImageEvidence(
    IReadOnlyList<LayerDelta> Layers,
    IReadOnlyList<PackageChange> Packages,
    WastedSpace? BaseWasted,
    WastedSpace? HeadWasted,
    IReadOnlyList<WastedFileCause> HeadWastedFiles)
{
    public static ImageEvidence None { get; } = new([], [], null, null, []);
}
