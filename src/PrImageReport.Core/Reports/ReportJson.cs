using System.Text.Json.Serialization;

namespace PrImageReport.Core.Reports;

// The JSON report's shape (schemaVersion 3). Property order here is the order in the file.

internal sealed record ReportJson(int SchemaVersion, string Verdict, IReadOnlyList<ImageJson> Images);

internal sealed record ImageJson(
    string Dockerfile,
    string Context,
    string Verdict,
    long? SizeDeltaBytes,
    SideJson? Base,
    SideJson? Head,
    IReadOnlyList<FindingJson> Findings,
    EvidenceJson Evidence);

internal sealed record SideJson(
    string Ref,
    string? Image,
    string? ImageId,
    long? SizeBytes,
    long? CompressedSizeBytes,
    OriginJson? Origin,
    IReadOnlyList<LayerJson> Layers,
    int LayerCount,
    int? StageCount,
    IReadOnlyList<string> Stages,
    string? FinalStage,
    string? FinalBaseImage,
    IReadOnlyList<BuildToolJson> BuildTools,
    IReadOnlyList<PackageJson> Packages,
    WastedJson? Wasted,
    ErrorJson? Error);

/// <summary>What made and measured the image; a null member is unknown.</summary>
internal sealed record OriginJson(string? Engine, string? ImageStore, string? Builder);

internal sealed record PackageJson(string Manager, string Name, string Version, long? InstalledSizeBytes);

internal sealed record WastedJson(long WastedBytes, long ShippedBytes, double Efficiency, IReadOnlyList<WastedFileJson> LargestFiles);

internal sealed record WastedFileJson(string Path, long SizeBytes, int WrittenByLayer, int RemovedByLayer, bool Deleted);

internal sealed record EvidenceJson(
    IReadOnlyList<LayerDeltaJson> Layers,
    IReadOnlyList<PackageChangeJson> PackageChanges,
    IReadOnlyList<WastedCauseJson> HeadWastedFiles);

internal sealed record LayerDeltaJson(
    string Instruction, string Origin, int? BaseLine, int? HeadLine, long? BaseBytes, long? HeadBytes, long? BaseCompressedBytes, long? HeadCompressedBytes, string Change);

internal sealed record PackageChangeJson(string Manager, string Name, string? BaseVersion, string? HeadVersion, long? BaseSizeBytes, long? HeadSizeBytes, string Change);

internal sealed record WastedCauseJson(string Path, long SizeBytes, bool Deleted, LayerRowJson? WrittenBy, LayerRowJson? RemovedBy);

internal sealed record LayerRowJson(string Instruction, string Origin, int? Line, long SizeBytes, IReadOnlyList<int> ArchiveLayers, long? CompressedBytes);

internal sealed record LayerJson(string Instruction, long SizeBytes, long? CompressedSizeBytes, string CreatedBy);

internal sealed record BuildToolJson(string Name, string Evidence);

internal sealed record ErrorJson(string Step, string Message, IReadOnlyList<string> LastLines, int? Line);

internal sealed record FindingJson(string Rule, string Severity, string Message, string? Fix, int? Line, string? Suggestion);

[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    WriteIndented = true,
    NewLine = "\n",
    DefaultIgnoreCondition = JsonIgnoreCondition.Never,
    RespectNullableAnnotations = true,
    RespectRequiredConstructorParameters = true)]
[JsonSerializable(typeof(ReportJson))]
internal sealed partial class ReportJsonContext : JsonSerializerContext;
