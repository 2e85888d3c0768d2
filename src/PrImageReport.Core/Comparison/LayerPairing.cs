namespace PrImageReport.Core.Comparison;

/// <summary>
/// Pairs the layer rows of base and head by instruction, not by position, so that an inserted step does not
/// shift every row after it: the base image rows pair with each other, then identical instructions, then
/// instructions of the same kind whose words mostly agree (an edited RUN is a changed layer, not a new one).
/// </summary>
public static class LayerPairing
{
    /// <summary>Share of words two instructions must have in common to count as one edited instruction.</summary>
    private const double EditedInstructionSimilarity = 0.5;

    /// <summary>Head rows in head order, each with its base partner when it has one, then the base rows left over.</summary>
    public static IReadOnlyList<LayerDelta> Pair(IReadOnlyList<AttributedLayer> baseRows, IReadOnlyList<AttributedLayer> headRows)
    {
        ArgumentNullException.ThrowIfNull(baseRows);
        ArgumentNullException.ThrowIfNull(headRows);
        var partner = new int?[headRows.Count];
        var taken = new bool[baseRows.Count];

        Match(baseRows, headRows, partner, taken, (b, h) => b.Origin == LayerOrigin.BaseImage && h.Origin == LayerOrigin.BaseImage);
        Match(baseRows, headRows, partner, taken, (b, h) => b.Origin == h.Origin && Normalize(b.Instruction) == Normalize(h.Instruction));
        Match(baseRows, headRows, partner, taken, (b, h) => b.Origin == h.Origin && h.Origin != LayerOrigin.BaseImage && Similar(b.Instruction, h.Instruction));

        var deltas = new List<LayerDelta>();
        for (var i = 0; i < headRows.Count; i++)
        {
            var head = headRows[i];
            var match = partner[i] is { } b ? baseRows[b] : null;
            deltas.Add(new LayerDelta(
                match is not null && head.Origin == LayerOrigin.BaseImage && Normalize(match.Instruction) != Normalize(head.Instruction)
                    ? $"{match.Instruction} -> {head.Instruction}"
                    : head.Instruction,
                head.Origin,
                match?.Line,
                head.Line,
                match?.SizeBytes,
                head.SizeBytes,
                match?.CompressedBytes,
                head.CompressedBytes));
        }

        deltas.AddRange(baseRows
            .Where((_, b) => !taken[b])
            .Select(row => new LayerDelta(row.Instruction, row.Origin, row.Line, null, row.SizeBytes, null, row.CompressedBytes, null)));
        return deltas;
    }

    private static void Match(
        IReadOnlyList<AttributedLayer> baseRows,
        IReadOnlyList<AttributedLayer> headRows,
        int?[] partner,
        bool[] taken,
        Func<AttributedLayer, AttributedLayer, bool> pairs)
    {
        for (var h = 0; h < headRows.Count; h++)
        {
            if (partner[h] is not null)
            {
                continue;
            }

            for (var b = 0; b < baseRows.Count; b++)
            {
                if (!taken[b] && pairs(baseRows[b], headRows[h]))
                {
                    partner[h] = b;
                    taken[b] = true;
                    break;
                }
            }
        }
    }

    private static string Normalize(string instruction) => LayerAttribution.OneLine(instruction);

    /// <summary>Same keyword, and at least half of all distinct words shared (Jaccard similarity).</summary>
    private static bool Similar(string a, string b)
    {
        var wordsA = Normalize(a).Split(' ');
        var wordsB = Normalize(b).Split(' ');
        if (!string.Equals(wordsA[0], wordsB[0], StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        var setA = wordsA.ToHashSet(StringComparer.Ordinal);
        var setB = wordsB.ToHashSet(StringComparer.Ordinal);
        var shared = setA.Count(setB.Contains);
        return shared >= EditedInstructionSimilarity * (setA.Count + setB.Count - shared);
    }
}
