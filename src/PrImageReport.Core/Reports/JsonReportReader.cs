using System.Globalization;
using System.Text.Json;
using PrImageReport.Core.Comparison;
using PrImageReport.Core.Dockerfiles;
using PrImageReport.Core.Images;

namespace PrImageReport.Core.Reports;

/// <summary>
/// Reads a report written by <see cref="JsonReportWriter"/> back into a <see cref="ComparisonReport"/>.
/// The report keeps what the Markdown shows; what it does not keep comes back empty: metadata-only
/// history steps, the Dockerfile lines of stages, base images of stages other than the final one.
/// </summary>
public static class JsonReportReader
{
    /// <param name="sourceName">The file name used in error messages.</param>
    /// <exception cref="ReportFormatException">The stream is not a report of the current schemaVersion.</exception>
    public static async Task<ComparisonReport> ReadAsync(Stream input, string sourceName, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(input);
        using var buffer = new MemoryStream();
        await input.CopyToAsync(buffer, ct).ConfigureAwait(false);
        var bytes = buffer.ToArray();

        // The version first: a report of another version fails on its shape, which would hide the simple cause.
        if (SchemaVersionOf(bytes) is { } version && version != JsonReportWriter.SchemaVersion)
        {
            throw new ReportFormatException(
                $"{sourceName}: schemaVersion {version.ToString(CultureInfo.InvariantCulture)} is not supported (expected {JsonReportWriter.SchemaVersion.ToString(CultureInfo.InvariantCulture)}). {Remedy}");
        }

        ReportJson? json;
        try
        {
            json = JsonSerializer.Deserialize(bytes, ReportJsonContext.Default.ReportJson);
        }
        catch (JsonException e)
        {
            var where = e.LineNumber is { } line ? $" line {line + 1}" : "";
            throw new ReportFormatException($"{sourceName}{where}: not a PR Image Report JSON report ({FirstSentence(e.Message)}{(e.Path is null ? "" : " at " + e.Path)}). {Remedy}", e);
        }

        if (json is null)
        {
            throw new ReportFormatException($"{sourceName}: the file holds JSON null, not a report. {Remedy}");
        }

        try
        {
            return new ComparisonReport(json.Images.Select((image, index) => ToImage(image, index, sourceName)).ToList());
        }
        catch (UnknownValueException e)
        {
            throw new ReportFormatException($"{sourceName}: {e.Message}. {Remedy}", e);
        }
    }

    private const string Remedy = "Write it again with pr-image-report compare --json FILE.";

    /// <summary>The top-level integer "schemaVersion", or null when the bytes are not a JSON object that has one.</summary>
    private static int? SchemaVersionOf(byte[] bytes)
    {
        try
        {
            using var document = JsonDocument.Parse(bytes);
            return document.RootElement.ValueKind == JsonValueKind.Object
                && document.RootElement.TryGetProperty("schemaVersion", out var version)
                && version.ValueKind == JsonValueKind.Number
                && version.TryGetInt32(out var number)
                    ? number
                    : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static ImageComparison ToImage(ImageJson image, int index, string sourceName)
    {
        var findings = image.Findings
            .Select(f => new Finding(f.Rule, ParseSeverity(f.Severity, index, sourceName), f.Message, f.Fix, f.Line, f.Suggestion))
            .ToList();
        var baseSide = ToSide(image.Base, image.Dockerfile);
        var headSide = ToSide(image.Head, image.Dockerfile);
        var evidence = new ImageEvidence(
            image.Evidence.Layers.Select(l => new LayerDelta(l.Instruction, ParseOrigin(l.Origin), l.BaseLine, l.HeadLine, l.BaseBytes, l.HeadBytes, l.BaseCompressedBytes, l.HeadCompressedBytes)).ToList(),
            image.Evidence.PackageChanges.Select(p => new PackageChange(ParseManager(p.Manager), p.Name, p.BaseVersion, p.HeadVersion, p.BaseSizeBytes, p.HeadSizeBytes)).ToList(),
            baseSide?.Image?.Wasted,
            headSide?.Image?.Wasted,
            image.Evidence.HeadWastedFiles.Select(f => new WastedFileCause(f.Path, f.SizeBytes, f.Deleted, ToRow(f.WrittenBy), ToRow(f.RemovedBy))).ToList());
        return new ImageComparison(image.Dockerfile, image.Context, baseSide, headSide, findings) { Evidence = evidence };
    }

    private static AttributedLayer? ToRow(LayerRowJson? row) =>
        row is null ? null : new AttributedLayer(row.Instruction, ParseOrigin(row.Origin), row.Line, row.SizeBytes, row.ArchiveLayers, row.CompressedBytes);

    private static LayerOrigin ParseOrigin(string text) => text switch
    {
        "base-image" => LayerOrigin.BaseImage,
        "dockerfile" => LayerOrigin.Dockerfile,
        "unknown" => LayerOrigin.Unknown,
        _ => throw new UnknownValueException($"layer origin \"{text}\" is not one of base-image, dockerfile, unknown"),
    };

    private static PackageManager ParseManager(string text) => text switch
    {
        "dpkg" => PackageManager.Dpkg,
        "apk" => PackageManager.Apk,
        "python" => PackageManager.Python,
        _ => throw new UnknownValueException($"package manager \"{text}\" is not one of dpkg, apk, python"),
    };

    /// <summary>An enum value the writer never writes; the reader turns it into a <see cref="ReportFormatException"/> naming the file.</summary>
    private sealed class UnknownValueException(string message) : Exception(message);

    private static SideFacts? ToSide(SideJson? side, string dockerfilePath)
    {
        if (side is null)
        {
            return null;
        }

        var image = side.Image is null
            ? null
            : new ImageFacts(
                side.Image,
                side.ImageId ?? "",
                side.SizeBytes ?? 0,
                side.Layers.Select(l => new LayerFact(l.CreatedBy, l.Instruction, l.SizeBytes, IsEmpty: false, CompressedBytes: l.CompressedSizeBytes)).ToList(),
                side.BuildTools.Select(t => new BuildTool(t.Name, t.Evidence)).ToList())
            {
                Packages = side.Packages.Select(p => new InstalledPackage(ParseManager(p.Manager), p.Name, p.Version, p.InstalledSizeBytes)).ToList(),
                CompressedBytes = side.CompressedSizeBytes,
                Origin = side.Origin is { } o ? new ImageOrigin(o.Engine, o.ImageStore, o.Builder) : ImageOrigin.Unknown,
                Wasted = side.Wasted is { } w
                    ? new WastedSpace(w.WastedBytes, w.ShippedBytes, w.LargestFiles.Select(f => new WastedFile(f.Path, f.SizeBytes, f.WrittenByLayer, f.RemovedByLayer, f.Deleted)).ToList())
                    : WastedSpace.None,
            };
        var failure = side.Error is { } e ? new BuildFailure(e.Step, e.Message, e.LastLines, e.Line) : null;
        return new SideFacts(side.Ref, ToDockerfile(side, dockerfilePath), image, failure);
    }

    private static DockerfileFacts? ToDockerfile(SideJson side, string path)
    {
        if (side.StageCount is null || side.Stages.Count == 0)
        {
            return null;
        }

        var finalIndex = side.FinalStage is null ? -1 : IndexOf(side.Stages, side.FinalStage);
        if (finalIndex < 0)
        {
            finalIndex = side.Stages.Count - 1;
        }

        var finalBase = side.FinalBaseImage ?? "";
        var stages = side.Stages
            .Select((name, i) => UnnamedStageIndex(name) is { } index
                ? new StageSummary(index, null, i == finalIndex ? finalBase : "", Line: 0)
                : new StageSummary(i, name, i == finalIndex ? finalBase : "", Line: 0))
            .ToList();
        return new DockerfileFacts(path, stages, stages[finalIndex], stages, finalBase, FinalBaseLine: 0, BuildKitReason: null);
    }

    private static int IndexOf(IReadOnlyList<string> names, string name)
    {
        for (var i = 0; i < names.Count; i++)
        {
            if (names[i] == name)
            {
                return i;
            }
        }

        return -1;
    }

    private static Severity ParseSeverity(string text, int imageIndex, string sourceName) => text switch
    {
        "error" => Severity.Error,
        "warning" => Severity.Warning,
        "notice" => Severity.Notice,
        _ => throw new ReportFormatException(
            $"{sourceName}: images[{imageIndex.ToString(CultureInfo.InvariantCulture)}] has a finding with severity \"{text}\"; expected error, warning or notice. {Remedy}"),
    };

    /// <summary>The serializer's reason without the position details it appends (the caller reports those).</summary>
    private static string FirstSentence(string message)
    {
        var end = message.IndexOf(" Path:", StringComparison.Ordinal);
        return (end < 0 ? message : message[..end]).Trim().TrimEnd('.');
    }

    /// <summary>An unnamed stage is written as its display name, stage-N.</summary>
    private static int? UnnamedStageIndex(string name) =>
        name.StartsWith("stage-", StringComparison.Ordinal) && int.TryParse(name.AsSpan(6), NumberStyles.None, CultureInfo.InvariantCulture, out var index)
            ? index
            : null;
}

/// <summary>A JSON report that cannot be read: the message names the file, the place and the fix.</summary>
public sealed class ReportFormatException(string message, Exception? inner = null) : Exception(message, inner);
