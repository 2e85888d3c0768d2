using PrImageReport.Core.Dockerfiles;

namespace PrImageReport.Core.Comparison;

/// <summary>
/// The change a finding recommends, as lines of a unified diff against the head Dockerfile ("+" added, "-" removed,
/// " " context), without hunk headers: the report shows them in a diff block.
/// </summary>
internal static class Suggestions
{
    /// <summary>
    /// Brings back the base branch's builder stages and the COPY --from lines that took their artifacts, and the
    /// base's final FROM in place of the head's: the smallest change that restores the multi-stage build.
    /// </summary>
    public static string? RestoreBuilders(DockerfileFacts baseFile, DockerfileFacts headFile)
    {
        if (baseFile.Source is not { } baseSource || headFile.Source is not { } headSource)
        {
            return null;
        }

        var finalIndex = baseFile.FinalStage.Index;
        var builders = baseFile.StagesBuilt.Where(s => s.Index != finalIndex).Select(s => baseSource.Stages[s.Index]).ToList();
        var lines = new List<string>();
        foreach (var stage in builders)
        {
            lines.Add("+" + LayerAttribution.OneLine(stage.From.Original));
            lines.AddRange(stage.Instructions.Select(i => "+" + LayerAttribution.OneLine(i.Original)));
            lines.Add("+");
        }

        var baseFinal = baseSource.Stages[finalIndex];
        var headFrom = headSource.Stages[headFile.FinalStage.Index].From.Original;
        if (headFrom == baseFinal.From.Original)
        {
            lines.Add(" " + headFrom);
        }
        else
        {
            lines.Add("-" + headFrom);
            lines.Add("+" + baseFinal.From.Original);
        }

        var builderNames = builders
            .SelectMany(s => new[] { s.Name, s.Index.ToString(System.Globalization.CultureInfo.InvariantCulture) })
            .Where(n => n is not null)
            .ToHashSet(StringComparer.OrdinalIgnoreCase);
        lines.AddRange(baseFinal.Instructions
            .Where(i => i.Keyword is "COPY" or "ADD" && i.FlagValue("from") is { } from && builderNames.Contains(from))
            .Select(i => "+" + LayerAttribution.OneLine(i.Original)));
        return string.Join('\n', lines);
    }

    /// <summary>The head's FROM with <paramref name="counterpart"/> in place of its base image, when the FROM names it literally.</summary>
    public static string? ReplaceBaseImage(DockerfileFacts headFile, string counterpart)
    {
        var from = headFile.FinalInstructions.FirstOrDefault(i => i.Keyword == "FROM" && i.StartLine == headFile.FinalBaseLine);
        if (from is null || from.Words.Count == 0 || from.Words[0] != headFile.FinalBaseImage)
        {
            return null;
        }

        var at = from.Original.IndexOf(from.Words[0], StringComparison.Ordinal);
        var replaced = from.Original[..at] + counterpart + from.Original[(at + from.Words[0].Length)..];
        return $"-{from.Original}\n+{replaced}";
    }

    /// <summary>Removes one instruction.</summary>
    public static string Remove(string instruction) => "-" + instruction;
}
