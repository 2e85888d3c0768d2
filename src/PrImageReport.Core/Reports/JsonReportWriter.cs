using System.Text.Encodings.Web;
using System.Text.Json;
using PrImageReport.Core.Comparison;
using PrImageReport.Core.Images;

namespace PrImageReport.Core.Reports;

/// <summary>Writes the machine-readable report (schemaVersion 3, camelCase, indented).</summary>
public static class JsonReportWriter
{
    public const int SchemaVersion = 3;

    // The report is read by tools and people, never embedded in HTML: keep "&&" and "<none>" readable.
    private static readonly ReportJsonContext Context = new(new JsonSerializerOptions(ReportJsonContext.Default.Options)
    {
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    });

    public static async Task WriteAsync(ComparisonReport report, Stream output, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(report);
        ArgumentNullException.ThrowIfNull(output);
        await JsonSerializer.SerializeAsync(output, ToJson(report), Context.ReportJson, ct).ConfigureAwait(false);
    }

    internal static string Text(Verdict verdict) => verdict switch
    {
        Verdict.Fail => "fail",
        Verdict.Warn => "warn",
        _ => "pass",
    };

    internal static string Text(Severity severity) => severity switch
    {
        Severity.Error => "error",
        Severity.Warning => "warning",
        _ => "notice",
    };

    private static ReportJson ToJson(ComparisonReport report) =>
        new(SchemaVersion, Text(report.Verdict), report.Images.Select(ToJson).ToList());

    private static ImageJson ToJson(ImageComparison image) => new(
        image.Dockerfile,
        image.Context,
        Text(image.Verdict),
        image.SizeDeltaBytes,
        image.Base is null ? null : ToJson(image.Base),
        image.Head is null ? null : ToJson(image.Head),
        image.Findings.Select(f => new FindingJson(f.Rule, Text(f.Severity), f.Message, f.Fix, f.Line, f.Suggestion)).ToList(),
        ToJson(image.Evidence));

    internal static string Text(LayerOrigin origin) => origin switch
    {
        LayerOrigin.BaseImage => "base-image",
        LayerOrigin.Dockerfile => "dockerfile",
        _ => "unknown",
    };

    internal static string Text(PackageManager manager) => manager.ToString().ToLowerInvariant();

    private static EvidenceJson ToJson(ImageEvidence evidence) => new(
        evidence.Layers.Select(l => new LayerDeltaJson(l.Instruction, Text(l.Origin), l.BaseLine, l.HeadLine, l.BaseBytes, l.HeadBytes, l.BaseCompressedBytes, l.HeadCompressedBytes, l.Kind.ToString().ToLowerInvariant())).ToList(),
        evidence.Packages.Select(p => new PackageChangeJson(Text(p.Manager), p.Name, p.BaseVersion, p.HeadVersion, p.BaseSizeBytes, p.HeadSizeBytes, p.Kind.ToString().ToLowerInvariant())).ToList(),
        evidence.HeadWastedFiles.Select(f => new WastedCauseJson(f.Path, f.SizeBytes, f.Deleted, ToJson(f.WrittenBy), ToJson(f.RemovedBy))).ToList());

    private static LayerRowJson? ToJson(AttributedLayer? row) =>
        row is null ? null : new LayerRowJson(row.Instruction, Text(row.Origin), row.Line, row.SizeBytes, row.ArchiveLayers, row.CompressedBytes);

    private static WastedJson ToJson(WastedSpace wasted) => new(
        wasted.WastedBytes,
        wasted.ShippedBytes,
        Math.Round(wasted.Efficiency, 4),
        wasted.LargestFiles.Select(f => new WastedFileJson(f.Path, f.SizeBytes, f.WrittenByLayer, f.RemovedByLayer, f.Deleted)).ToList());

    /// <summary>Stages are the stages the image is built from (the final stage and what it needs), not every stage in the file.</summary>
    private static SideJson ToJson(SideFacts side) => new(
        side.Ref,
        side.Image?.Reference,
        side.Image?.Id,
        side.Image?.SizeBytes,
        side.Image?.CompressedBytes,
        side.Image?.Origin is { } origin ? new OriginJson(origin.Engine, origin.ImageStore, origin.Builder) : null,
        side.Image?.Layers.Where(l => !l.IsEmpty).Select(l => new LayerJson(l.Instruction, l.SizeBytes, l.CompressedBytes, l.CreatedBy)).ToList() ?? [],
        side.Image?.LayerCount ?? 0,
        side.Dockerfile?.StagesBuilt.Count,
        side.Dockerfile?.StagesBuilt.Select(s => s.DisplayName).ToList() ?? [],
        side.Dockerfile?.FinalStage.DisplayName,
        side.Dockerfile?.FinalBaseImage,
        side.Image?.BuildTools.Select(t => new BuildToolJson(t.Name, t.Evidence)).ToList() ?? [],
        side.Image?.Packages.Select(p => new PackageJson(Text(p.Manager), p.Name, p.Version, p.InstalledSizeBytes)).ToList() ?? [],
        side.Image is { } image ? ToJson(image.Wasted) : null,
        side.Failure is { } f ? new ErrorJson(f.Step, f.Message, f.LastLines, f.Line) : null);
}
