using System.Globalization;
using System.Text;
using PrImageReport.Core.Comparison;

namespace PrImageReport.Core.Reports;

/// <summary>
/// A Mermaid chart of the largest layer rows, base vs head, as GitHub renders it: <c>xychart-beta</c> (Mermaid
/// 10.5+; plain <c>xychart</c> needs 11). Two bar series would be drawn over each other, so the head is the bars
/// and the base a line.
/// </summary>
internal static class LayerChart
{
    public const int MaxRows = 6;

    private const int MaxLabelLength = 20;

    /// <summary>A fenced mermaid block, or "" when a side was not built, no layer changed or every layer is under 0.05 MB.</summary>
    public static string Build(ImageComparison image)
    {
        var layers = EvidenceModel.OrderedLayers(image.Evidence.Layers);
        if (image.Base?.Image is null || image.Head?.Image is null || layers.All(l => l.Kind == LayerChangeKind.Unchanged))
        {
            return "";
        }

        // Rows under 0.05 MB would be empty bars.
        var largest = layers
            .Select((layer, index) => (layer, index))
            .Where(p => Megabytes(Math.Max(p.layer.BaseBytes ?? 0, p.layer.HeadBytes ?? 0)) > 0)
            .OrderByDescending(p => Math.Max(p.layer.BaseBytes ?? 0, p.layer.HeadBytes ?? 0))
            .Take(MaxRows)
            .OrderBy(p => p.index)
            .Select(p => p.layer)
            .ToList();
        if (largest.Count == 0)
        {
            return "";
        }

        var labels = UniqueLabels(largest.Select(Label));
        var heads = largest.Select(l => Megabytes(l.HeadBytes ?? 0)).ToList();
        var bases = largest.Select(l => Megabytes(l.BaseBytes ?? 0)).ToList();

        var chart = new StringBuilder()
            .Append("xychart-beta\n")
            .Append("    title \"Largest layers in MB: bars = head, line = base\"\n")
            .Append("    x-axis [").Append(string.Join(", ", labels.Select(l => $"\"{l}\""))).Append("]\n")
            // Without a range the axis starts at the smallest value, which would make that bar look empty.
            .Append("    y-axis \"MB\" 0 --> ").Append(Number(AxisMaximum(heads.Concat(bases).Max()))).Append('\n')
            .Append("    bar [").Append(string.Join(", ", heads.Select(Number))).Append("]\n")
            .Append("    line [").Append(string.Join(", ", bases.Select(Number))).Append(']');
        return MarkdownText.FencedBlock(chart.ToString().Split('\n'), "mermaid");
    }

    /// <summary>"base image", "RUN line 7", or "RUN base line 7" for a row only the base has.</summary>
    private static string Label(LayerDelta layer)
    {
        if (layer.Origin == LayerOrigin.BaseImage)
        {
            return "base image";
        }

        var keyword = new string(layer.Instruction.TakeWhile(char.IsAsciiLetter).ToArray()).ToUpperInvariant();
        var text = (layer.HeadLine, layer.BaseLine) switch
        {
            ({ } line, _) => $"{keyword} line {line.ToString(CultureInfo.InvariantCulture)}",
            (null, { } line) => $"{keyword} base line {line.ToString(CultureInfo.InvariantCulture)}",
            _ => keyword,
        };
        return text.Trim();
    }

    /// <summary>Labels Mermaid can take inside double quotes, short and distinct (equal labels would share one bar).</summary>
    private static List<string> UniqueLabels(IEnumerable<string> labels)
    {
        var used = new HashSet<string>(StringComparer.Ordinal);
        var result = new List<string>();
        foreach (var label in labels)
        {
            var safe = new string(label.Where(c => char.IsAsciiLetterOrDigit(c) || c is ' ' or '.' or ':' or '/' or '_' or '+' or '-').ToArray()).Trim();
            safe = safe.Length == 0 ? "step" : safe[..Math.Min(safe.Length, MaxLabelLength)].TrimEnd();
            var unique = safe;
            for (var n = 2; !used.Add(unique); n++)
            {
                unique = $"{safe} {n.ToString(CultureInfo.InvariantCulture)}";
            }

            result.Add(unique);
        }

        return result;
    }

    private static decimal Megabytes(long bytes) => Math.Round(bytes / 1_000_000m, 1, MidpointRounding.AwayFromZero);

    /// <summary>The largest value rounded up to a round number: 569 to 600, 112.4 to 150, 0.3 to 1.</summary>
    private static decimal AxisMaximum(decimal largest)
    {
        if (largest <= 1)
        {
            return 1;
        }

        var step = 1m;
        while (step * 10 <= largest)
        {
            step *= 10;
        }

        step = Math.Max(1, step / 2);
        return Math.Ceiling(largest / step) * step;
    }

    private static string Number(decimal value) => value.ToString("0.#", CultureInfo.InvariantCulture);
}
