using System.Globalization;
using PrImageReport.Core.Comparison;
using PrImageReport.Core.Images;
using Scriban.Runtime;

namespace PrImageReport.Core.Reports;

/// <summary>
/// The variables a report template sees. Every string is ready-to-print Markdown (escaped, code-spanned),
/// so a template only arranges them.
/// </summary>
internal static class ReportModel
{
    private const int LastLineCount = 30;

    public static ScriptObject Build(ComparisonReport report, IReadOnlyList<ImageComparison> shown, bool compact)
    {
        var model = new ScriptObject
        {
            ["verdict"] = VerdictText(report.Verdict),
            ["verdict_line"] = VerdictLine(report),
            ["units_note"] = SizeText.UnitsNote + " Changes are head minus base, signed, with the percentage of the base.",
            ["compact"] = compact,
            ["omitted_images"] = report.Images.Count - shown.Count,
        };
        model["images"] = Array(shown.Select(Image));
        return model;
    }

    private static ScriptObject Image(ImageComparison image)
    {
        var baseSide = image.Base;
        var headSide = image.Head;
        // Finding lines point into the head Dockerfile.
        var headFile = headSide?.Dockerfile?.Path ?? image.Dockerfile;
        var model = new ScriptObject
        {
            // Prebuilt images have no Dockerfile: they are named by their references.
            ["heading"] = image.Dockerfile.Length > 0
                ? MarkdownText.Code(image.Dockerfile)
                : $"{MarkdownText.Code(baseSide?.Ref ?? "")} -> {MarkdownText.Code(headSide?.Ref ?? "")}",
            ["verdict"] = VerdictText(image.Verdict),
            ["status"] = Status(image),
            ["context"] = image.Context.Length > 0 ? MarkdownText.Code(image.Context) : "none, prebuilt images",
            ["base_header"] = Header("Base", baseSide),
            ["head_header"] = Header("Head", headSide),
            ["rows"] = Array(Rows(image)),
            ["findings"] = Array(image.Findings.Select(f => Finding(f, headFile))),
            ["failures"] = Array(Failures(image)),
            ["chart"] = LayerChart.Build(image),
            ["footnote"] = MeasurementNote.Build(image),
        };
        EvidenceModel.Add(model, image);
        return model;
    }

    private static string VerdictLine(ComparisonReport report)
    {
        var parts = new List<string>();
        if (report.Images.Count == 1)
        {
            var image = report.Images[0];
            parts.Add(image.Base?.Image is { } b && image.Head?.Image is { } h
                ? "head image " + SizeText.FormatChange(b.SizeBytes, h.SizeBytes)
                : $"{MarkdownText.Code(image.Dockerfile)}: {Status(image)}");
        }
        else
        {
            var largest = report.Images
                .Where(i => i.SizeDeltaBytes is not null)
                .OrderByDescending(i => Math.Abs(i.SizeDeltaBytes!.Value))
                .FirstOrDefault();
            var count = $"{report.Images.Count} images";
            parts.Add(largest is null
                ? count
                : $"{count}, largest change {MarkdownText.Code(largest.Dockerfile)} {SizeText.FormatChange(largest.Base!.Image!.SizeBytes, largest.Head!.Image!.SizeBytes)}");
        }

        parts.Add(Counts(report.Images.SelectMany(i => i.Findings).ToList()));
        return $"**PR Image Report: {VerdictText(report.Verdict)}** -- {string.Join("; ", parts)}";
    }

    private static string Counts(IReadOnlyList<Finding> findings)
    {
        if (findings.Count == 0)
        {
            return "no findings";
        }

        var counts = new[] { (Severity.Error, "error"), (Severity.Warning, "warning"), (Severity.Notice, "notice") }
            .Select(s => (Count: findings.Count(f => f.Severity == s.Item1), Noun: s.Item2))
            .Where(c => c.Count > 0)
            .Select(c => $"{c.Count} {c.Noun}{(c.Count == 1 ? "" : "s")}");
        return string.Join(", ", counts);
    }

    private static string? Status(ImageComparison image) => (image.Base, image.Head) switch
    {
        (null, null) => "no image on either side",
        (null, { Failure: not null }) => "added in this PR, build failed",
        (null, _) => "added in this PR",
        (_, null) => "removed in this PR",
        ({ Failure: not null }, { Failure: not null }) => "both builds failed",
        (_, { Failure: not null }) => "head build failed",
        ({ Failure: not null }, _) => "base build failed",
        _ => null,
    };

    private static string Header(string label, SideFacts? side) =>
        side is null ? label : $"{label} {MarkdownText.CodeCell(side.Ref)}";

    private static IEnumerable<ScriptObject> Rows(ImageComparison image)
    {
        var baseSide = image.Base;
        var headSide = image.Head;
        var baseImage = baseSide?.Image;
        var headImage = headSide?.Image;
        var both = baseImage is not null && headImage is not null;

        yield return Row("Size",
            ImageCell(baseSide, SizeCell),
            ImageCell(headSide, SizeCell),
            both ? SizeText.FormatChange(baseImage!.SizeBytes, headImage!.SizeBytes) : "");

        yield return Row("Layers",
            ImageCell(baseSide, i => Number(i.LayerCount)),
            ImageCell(headSide, i => Number(i.LayerCount)),
            both ? Signed(headImage!.LayerCount - baseImage!.LayerCount) : "");

        var baseFile = baseSide?.Dockerfile;
        var headFile = headSide?.Dockerfile;
        yield return Row("Stages",
            FileCell(baseSide, f => StagesText(f.StagesBuilt.Select(s => s.DisplayName).ToList())),
            FileCell(headSide, f => StagesText(f.StagesBuilt.Select(s => s.DisplayName).ToList())),
            baseFile is not null && headFile is not null ? Signed(headFile.StagesBuilt.Count - baseFile.StagesBuilt.Count) : "");

        yield return Row("Base image",
            FileCell(baseSide, f => MarkdownText.CodeCell(f.FinalBaseImage)),
            FileCell(headSide, f => MarkdownText.CodeCell(f.FinalBaseImage)),
            baseFile is not null && headFile is not null
                ? BaseImageCatalog.SameImage(baseFile.FinalBaseImage, headFile.FinalBaseImage) ? "same" : "changed"
                : "");

        yield return Row("Build tools",
            ImageCell(baseSide, i => ToolsText(i.BuildTools)),
            ImageCell(headSide, i => ToolsText(i.BuildTools)),
            both ? ToolsChange(baseImage!.BuildTools, headImage!.BuildTools) : "");

        var packages = image.Evidence.Packages;
        yield return Row("Packages",
            ImageCell(baseSide, i => Number(i.Packages.Count)),
            ImageCell(headSide, i => Number(i.Packages.Count)),
            !both ? ""
            : packages.Count > 0 ? EvidenceModel.PackageChangeText(packages)
            : Signed(headImage!.Packages.Count - baseImage!.Packages.Count));

        var (baseWasted, headWasted) = (image.Evidence.BaseWasted, image.Evidence.HeadWasted);
        yield return Row("Wasted space",
            ImageCell(baseSide, _ => EvidenceModel.WastedText(baseWasted)),
            ImageCell(headSide, _ => EvidenceModel.WastedText(headWasted)),
            EvidenceModel.WastedChange(baseWasted, headWasted));
    }

    /// <summary>The files' bytes, and what a pull transfers where the export knows it.</summary>
    private static string SizeCell(ImageFacts image) =>
        image.CompressedBytes is { } compressed ? $"{SizeText.Format(image.SizeBytes)} ({SizeText.Format(compressed)} compressed)" : SizeText.Format(image.SizeBytes);

    public static ScriptObject Row(string label, string baseCell, string headCell, string change) => new()
    {
        ["label"] = label,
        ["base"] = baseCell,
        ["head"] = headCell,
        ["change"] = change,
    };

    private static string ImageCell(SideFacts? side, Func<ImageFacts, string> value) => side switch
    {
        null => "-",
        { Image: { } image } => value(image),
        { Failure: not null } => "build failed",
        _ => "not built",
    };

    private static string FileCell(SideFacts? side, Func<Dockerfiles.DockerfileFacts, string> value) => side switch
    {
        null => "-",
        { Dockerfile: { } file } => value(file),
        _ => "n/a",
    };

    private static string StagesText(IReadOnlyList<string> names) =>
        names.Count == 1 ? "1" : $"{names.Count}: {MarkdownText.Inline(string.Join(", ", names))}";

    private static string ToolsText(IReadOnlyList<BuildTool> tools) =>
        tools.Count == 0 ? "none" : MarkdownText.Inline(string.Join(", ", tools.Select(t => t.Name).Distinct(StringComparer.Ordinal)));

    private static string ToolsChange(IReadOnlyList<BuildTool> before, IReadOnlyList<BuildTool> after)
    {
        var beforeNames = before.Select(t => t.Name).Distinct(StringComparer.Ordinal).ToList();
        var afterNames = after.Select(t => t.Name).Distinct(StringComparer.Ordinal).ToList();
        var added = afterNames.Except(beforeNames, StringComparer.Ordinal).ToList();
        var removed = beforeNames.Except(afterNames, StringComparer.Ordinal).ToList();
        var parts = new List<string>();
        if (added.Count > 0)
        {
            parts.Add("added " + string.Join(", ", added));
        }

        if (removed.Count > 0)
        {
            parts.Add("removed " + string.Join(", ", removed));
        }

        return parts.Count == 0 ? "same" : MarkdownText.Inline(string.Join("; ", parts));
    }

    private static ScriptObject Finding(Finding finding, string dockerfile) => new()
    {
        ["severity"] = finding.Severity switch
        {
            Severity.Error => "error",
            Severity.Warning => "warning",
            _ => "notice",
        },
        ["rule"] = MarkdownText.CodeCell(finding.Rule),
        ["line"] = finding.Line is { } line ? Number(line) : "",
        ["location"] = EvidenceModel.Location(dockerfile, finding.Line),
        ["message"] = MarkdownText.Inline(finding.Message),
        ["fix"] = finding.Fix is null ? "" : MarkdownText.Inline(finding.Fix),
        ["suggestion"] = finding.Suggestion is { Length: > 0 } diff ? MarkdownText.FencedBlock(diff.ReplaceLineEndings("\n").Split('\n'), "diff") : "",
    };

    private static IEnumerable<ScriptObject> Failures(ImageComparison image)
    {
        foreach (var (side, facts) in new[] { ("Base", image.Base), ("Head", image.Head) })
        {
            if (facts?.Failure is not { } failure)
            {
                continue;
            }

            var lines = failure.LastLines.Skip(Math.Max(0, failure.LastLines.Count - LastLineCount)).ToList();
            yield return new ScriptObject
            {
                ["side"] = side,
                ["ref"] = MarkdownText.Code(facts.Ref),
                ["step"] = MarkdownText.Code(failure.Step),
                ["line"] = failure.Line is { } line ? Number(line) : "",
                ["message"] = MarkdownText.Inline(failure.Message),
                ["log"] = lines.Count == 0 ? "" : MarkdownText.FencedBlock(lines),
            };
        }
    }

    private static string VerdictText(Verdict verdict) => verdict switch
    {
        Verdict.Fail => "FAIL",
        Verdict.Warn => "WARN",
        _ => "PASS",
    };

    private static string Number(int value) => value.ToString(CultureInfo.InvariantCulture);

    private static string Signed(int value) => value > 0 ? "+" + Number(value) : Number(value);

    public static ScriptArray Array(IEnumerable<object> items)
    {
        var array = new ScriptArray();
        foreach (var item in items)
        {
            array.Add(item);
        }

        return array;
    }
}
