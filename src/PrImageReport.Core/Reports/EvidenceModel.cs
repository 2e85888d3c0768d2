using System.Globalization;
using PrImageReport.Core.Comparison;
using PrImageReport.Core.Images;
using Scriban.Runtime;

namespace PrImageReport.Core.Reports;

/// <summary>
/// The report's collapsible sections (layers, packages, wasted space) as template variables: every string
/// ready-to-print Markdown, or HTML-escaped text for a &lt;summary&gt;. Long lists are capped so one image
/// cannot fill a comment.
/// </summary>
internal static class EvidenceModel
{
    public const int MaxLayerRows = 30;
    public const int MaxPackageRows = 50;
    public const int MaxWastedFiles = 10;

    /// <summary>The variables of one image's sections, added to <paramref name="target"/>.</summary>
    public static void Add(ScriptObject target, ImageComparison image)
    {
        var evidence = image.Evidence;
        // Beside a failed build, the other side's layers would all read as new or removed.
        var layers = image.Base?.Failure is null && image.Head?.Failure is null ? OrderedLayers(evidence.Layers) : [];
        var shownLayers = Capped(layers, MaxLayerRows, l => Math.Max(l.BaseBytes ?? 0, l.HeadBytes ?? 0));
        target["layers"] = ReportModel.Array(shownLayers.Select(l => Layer(l, image)));
        target["layers_omitted"] = layers.Count - shownLayers.Count;
        target["layers_summary"] = MarkdownText.Html(LayersSummary(layers));
        target["layers_compressed"] = layers.Any(l => l.BaseCompressedBytes is not null || l.HeadCompressedBytes is not null);

        // A stable sort keeps the comparer's order among packages of equal change.
        var packages = evidence.Packages.OrderByDescending(p => Math.Abs(p.DeltaBytes)).ToList();
        target["packages"] = ReportModel.Array(packages.Take(MaxPackageRows).Select(Package));
        target["packages_omitted"] = Math.Max(0, packages.Count - MaxPackageRows);
        target["packages_summary"] = MarkdownText.Html($"Packages: {PackageChangeText(packages)}");

        target["wasted"] = Wasted(image);
    }

    /// <summary>"+3 / -1 / 2 upgraded": packages added, removed and upgraded between base and head.</summary>
    public static string PackageChangeText(IReadOnlyList<PackageChange> changes) =>
        string.Create(
            CultureInfo.InvariantCulture,
            $"+{changes.Count(c => c.Kind == PackageChangeKind.Added)} / -{changes.Count(c => c.Kind == PackageChangeKind.Removed)} / {changes.Count(c => c.Kind == PackageChangeKind.Upgraded)} upgraded");

    /// <summary>"612.4 kB (efficiency 99.8%)", or "not measured".</summary>
    public static string WastedText(WastedSpace? wasted) =>
        Measured(wasted) is { } w ? $"{SizeText.Format(w.WastedBytes)} (efficiency {Percent(w.Efficiency)})" : "not measured";

    /// <summary>"+65.5 MB, efficiency -8.9 points", or "" unless both sides were measured.</summary>
    public static string WastedChange(WastedSpace? before, WastedSpace? after) =>
        (Measured(before), Measured(after)) is ({ } b, { } a)
            ? $"{SizeText.FormatDelta(a.WastedBytes - b.WastedBytes)}, efficiency {PointsChange(b.Efficiency, a.Efficiency)}"
            : "";

    /// <summary>The base image row first, the rest as the comparer ordered them (head order, then rows only the base has).</summary>
    public static List<LayerDelta> OrderedLayers(IReadOnlyList<LayerDelta> layers) =>
        [.. layers.Where(l => l.Origin == LayerOrigin.BaseImage), .. layers.Where(l => l.Origin != LayerOrigin.BaseImage)];

    /// <summary>"`Dockerfile:14`", or "" when the line is unknown.</summary>
    public static string Location(string? dockerfile, int? line) =>
        dockerfile is { Length: > 0 } && line is { } l ? MarkdownText.CodeCell($"{dockerfile}:{l.ToString(CultureInfo.InvariantCulture)}") : "";

    private static ScriptObject Layer(LayerDelta layer, ImageComparison image)
    {
        // Rows only the base has point into the base Dockerfile, which may share the head's name.
        var location = layer.HeadLine is not null
            ? Location(image.Head?.Dockerfile?.Path ?? image.Dockerfile, layer.HeadLine)
            : Location(image.Base?.Dockerfile?.Path ?? image.Dockerfile, layer.BaseLine) is { Length: > 0 } inBase ? "base " + inBase : "";
        return new ScriptObject
        {
            ["instruction"] = LayerInstruction(layer, image),
            ["location"] = location,
            ["base"] = layer.BaseBytes is { } b ? SizeText.Format(b) : "-",
            ["head"] = layer.HeadBytes is { } h ? SizeText.Format(h) : "-",
            ["change"] = layer.Kind switch
            {
                LayerChangeKind.Added => "new, " + SizeText.FormatDelta(layer.DeltaBytes),
                LayerChangeKind.Removed => "removed, " + SizeText.FormatDelta(layer.DeltaBytes),
                LayerChangeKind.Unchanged => "unchanged",
                _ => SizeText.FormatChange(layer.BaseBytes!.Value, layer.HeadBytes!.Value),
            },
            ["kind"] = KindText(layer.Kind),
            ["compressed"] = $"{Compressed(layer.BaseBytes, layer.BaseCompressedBytes)} / {Compressed(layer.HeadBytes, layer.HeadCompressedBytes)}",
        };
    }

    /// <summary>"-" where the side has no such row, "unknown" where its archive held the layers uncompressed.</summary>
    private static string Compressed(long? bytes, long? compressed) =>
        bytes is null ? "-" : compressed is { } c ? SizeText.Format(c) : "unknown";

    /// <summary>The base image row names both sides' images when they differ: that is the change a reviewer looks for.</summary>
    private static string LayerInstruction(LayerDelta layer, ImageComparison image)
    {
        if (layer.Origin != LayerOrigin.BaseImage)
        {
            return MarkdownText.CodeCell(layer.Instruction, 120);
        }

        var before = image.Base?.Dockerfile?.FinalBaseImage;
        var after = image.Head?.Dockerfile?.FinalBaseImage;
        return before is not null && after is not null && !BaseImageCatalog.SameImage(before, after)
            ? $"base image {MarkdownText.CodeCell(before)} -> {MarkdownText.CodeCell(after)}"
            : $"base image {MarkdownText.CodeCell(after ?? before ?? layer.Instruction)}";
    }

    private static string LayersSummary(IReadOnlyList<LayerDelta> layers)
    {
        var counts = new[] { LayerChangeKind.Added, LayerChangeKind.Removed, LayerChangeKind.Changed }
            .Select(k => (Count: layers.Count(l => l.Kind == k), Text: KindText(k)))
            .Where(c => c.Count > 0)
            .Select(c => string.Create(CultureInfo.InvariantCulture, $"{c.Count} {c.Text}"))
            .ToList();
        return counts.Count == 0 ? "Layers: no change" : $"Layers: {string.Join(", ", counts)}";
    }

    private static string KindText(LayerChangeKind kind) => kind switch
    {
        LayerChangeKind.Added => "new",
        LayerChangeKind.Removed => "removed",
        LayerChangeKind.Changed => "changed",
        _ => "unchanged",
    };

    private static ScriptObject Package(PackageChange package) => new()
    {
        ["name"] = MarkdownText.CodeCell(package.Name),
        ["manager"] = ManagerText(package.Manager),
        ["kind"] = package.Kind switch
        {
            PackageChangeKind.Added => "added",
            PackageChangeKind.Removed => "removed",
            _ => "upgraded",
        },
        ["base"] = Installed(package.BaseVersion, package.BaseSizeBytes),
        ["head"] = Installed(package.HeadVersion, package.HeadSizeBytes),
        ["change"] = (package.BaseSizeBytes, package.HeadSizeBytes) switch
        {
            (null, null) => "",
            ({ } b, { } h) when package.Kind == PackageChangeKind.Upgraded => SizeText.FormatChange(b, h),
            _ => SizeText.FormatDelta(package.DeltaBytes),
        },
    };

    private static string ManagerText(PackageManager manager) => manager switch
    {
        PackageManager.Dpkg => "dpkg",
        PackageManager.Apk => "apk",
        _ => "python",
    };

    private static string Installed(string? version, long? sizeBytes) => version switch
    {
        null => "-",
        _ when sizeBytes is { } size => $"{MarkdownText.CodeCell(version, 60)}, {SizeText.Format(size)}",
        _ => MarkdownText.CodeCell(version, 60),
    };

    /// <summary>Base and head totals and the head's largest wasted paths; null when nothing was measured or nothing is wasted.</summary>
    private static ScriptObject? Wasted(ImageComparison image)
    {
        var evidence = image.Evidence;
        var (before, after) = (Measured(evidence.BaseWasted), Measured(evidence.HeadWasted));
        if ((before?.WastedBytes ?? 0) == 0 && (after?.WastedBytes ?? 0) == 0)
        {
            return null;
        }

        var headFile = image.Head?.Dockerfile?.Path ?? image.Dockerfile;
        var files = evidence.HeadWastedFiles.OrderByDescending(f => f.SizeBytes).ToList();
        var summary = string.Join(", ", new[] { ("head", after), ("base", before) }
            .Where(s => s.Item2 is not null)
            .Select(s => $"{s.Item1} {SizeText.Format(s.Item2!.WastedBytes)}"));
        return new ScriptObject
        {
            ["summary"] = MarkdownText.Html($"Wasted space: {summary}"),
            ["rows"] = ReportModel.Array(WastedRows(before, after)),
            ["files"] = ReportModel.Array(files.Take(MaxWastedFiles).Select(f => new ScriptObject
            {
                ["path"] = MarkdownText.CodeCell(f.Path, 120),
                ["size"] = SizeText.Format(f.SizeBytes),
                ["written_by"] = Cause(f.WrittenBy, headFile),
                ["removed_by"] = (f.Deleted ? "deleted by " : "overwritten by ") + Cause(f.RemovedBy, headFile),
            })),
            ["files_omitted"] = Math.Max(0, files.Count - MaxWastedFiles),
        };
    }

    private static IEnumerable<ScriptObject> WastedRows(WastedSpace? before, WastedSpace? after)
    {
        yield return ReportModel.Row(
            "Wasted",
            before is null ? "-" : SizeText.Format(before.WastedBytes),
            after is null ? "-" : SizeText.Format(after.WastedBytes),
            before is not null && after is not null ? SizeText.FormatDelta(after.WastedBytes - before.WastedBytes) : "");
        yield return ReportModel.Row(
            "Efficiency",
            before is null ? "-" : Percent(before.Efficiency),
            after is null ? "-" : Percent(after.Efficiency),
            before is not null && after is not null ? PointsChange(before.Efficiency, after.Efficiency) : "");
    }

    private static string Cause(AttributedLayer? layer, string dockerfile) => layer switch
    {
        null => "an unknown step",
        _ => (layer.Origin == LayerOrigin.BaseImage ? "base image " : "")
            + MarkdownText.CodeCell(layer.Instruction, 80)
            + (Location(dockerfile, layer.Line) is { Length: > 0 } location ? " at " + location : ""),
    };

    /// <summary>Null when not measured: every built image ships bytes, so none shipped means a report from before wasted space was measured.</summary>
    private static WastedSpace? Measured(WastedSpace? wasted) => wasted is { ShippedBytes: > 0 } ? wasted : null;

    private static string Percent(double share) =>
        Math.Round((decimal)share * 100, 1, MidpointRounding.AwayFromZero).ToString("0.0", CultureInfo.InvariantCulture) + "%";

    private static string PointsChange(double before, double after)
    {
        var points = Math.Round((decimal)(after - before) * 100, 1, MidpointRounding.AwayFromZero);
        return (points > 0 ? "+" : "") + points.ToString("0.0", CultureInfo.InvariantCulture) + " points";
    }

    /// <summary>The <paramref name="max"/> largest items by <paramref name="size"/>, kept in their order.</summary>
    private static List<T> Capped<T>(IReadOnlyList<T> items, int max, Func<T, long> size)
    {
        if (items.Count <= max)
        {
            return [.. items];
        }

        var kept = items.Select((item, index) => (item, index))
            .OrderByDescending(p => size(p.item))
            .Take(max)
            .Select(p => p.index)
            .ToHashSet();
        return [.. items.Where((_, index) => kept.Contains(index))];
    }
}
