using PrImageReport.Core.Images;

namespace PrImageReport.Docker.History;

/// <summary>One entry of the engine's history API, bottom first.</summary>
/// <param name="SizeBytes">What the engine reports for the step: its layer's size, 0 for a metadata-only step.</param>
internal sealed record EngineHistoryEntry(string? CreatedBy, long SizeBytes);

/// <summary>Ties each history step to the archive layer it made, if any.</summary>
internal static class LayerHistory
{
    /// <param name="engineHistory">The history API's entries, bottom first: sizes and created_by come from here.</param>
    /// <param name="configHistory">The image config's history, bottom first, with its empty_layer flags.</param>
    /// <param name="archiveLayerCount">How many layers the exported image's manifest lists.</param>
    public static IReadOnlyList<LayerFact> Attribute(
        IReadOnlyList<EngineHistoryEntry> engineHistory, IReadOnlyList<HistoryEntry> configHistory, int archiveLayerCount)
    {
        // The config says which steps made a layer; the history API does not, and a layer of 0 bytes (a COPY of an
        // empty file, a WORKDIR) looks there like a metadata step. Its Size rule is the fallback for configs that do not line up.
        var madeLayer = configHistory.Count == engineHistory.Count
            ? configHistory.Select(entry => !entry.EmptyLayer).ToList()
            : engineHistory.Select(entry => entry.SizeBytes != 0).ToList();

        // Steps that made a layer map in order onto the manifest's layers, but only when there are as many of each.
        var mapsOntoArchive = madeLayer.Count(made => made) == archiveLayerCount;
        var layers = new List<LayerFact>(engineHistory.Count);
        var next = 0;
        for (var i = 0; i < engineHistory.Count; i++)
        {
            var entry = engineHistory[i];
            int? archiveLayer = madeLayer[i] && mapsOntoArchive ? next : null;
            if (madeLayer[i])
            {
                next++;
            }

            layers.Add(new LayerFact(entry.CreatedBy ?? "", LayerInstructions.Recover(entry.CreatedBy), entry.SizeBytes, !madeLayer[i], archiveLayer));
        }

        return layers;
    }
}
