using System.Text.Json.Serialization;

namespace PrImageReport.Core.Reports;

// The JSON report's shape (schemaVersion 1). Property order here is the order in the file.

internal sealed record ReportJson(int SchemaVersion, string Verdict, IReadOnlyList<ImageJson> Images);

internal sealed record ImageJson(
    string Dockerfile,
    string Context,
    string Verdict,
    long? SizeDeltaBytes,
    SideJson? Base,
    SideJson? Head,
    IReadOnlyList<FindingJson> Findings);

internal sealed record SideJson(
    string Ref,
    string? Image,
    string? ImageId,
    long? SizeBytes,
    IReadOnlyList<LayerJson> Layers,
    int LayerCount,
    int? StageCount,
    IReadOnlyList<string> Stages,
    string? FinalStage,
    string? FinalBaseImage,
    IReadOnlyList<BuildToolJson> BuildTools,
    ErrorJson? Error);

internal sealed record LayerJson(string Instruction, long SizeBytes, string CreatedBy);

internal sealed record BuildToolJson(string Name, string Evidence);

internal sealed record ErrorJson(string Step, string Message, IReadOnlyList<string> LastLines, int? Line);

internal sealed record FindingJson(string Rule, string Severity, string Message, string? Fix, int? Line);

[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    WriteIndented = true,
    NewLine = "\n",
    DefaultIgnoreCondition = JsonIgnoreCondition.Never,
    RespectNullableAnnotations = true,
    RespectRequiredConstructorParameters = true)]
[JsonSerializable(typeof(ReportJson))]
internal sealed partial class ReportJsonContext : JsonSerializerContext;
