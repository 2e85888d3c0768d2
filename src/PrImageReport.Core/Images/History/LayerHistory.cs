namespace PrImageReport.Core.Images.History;

/// <summary>Ties each step of the image config's history to the archive layer it made, and sizes it from that layer.</summary>
internal static class LayerHistory
{
    /// <summary>
    /// A step counts as a layer when it made one (not empty_layer) and that layer changes the filesystem below it:
    /// it adds, replaces or deletes a path, or changes one's kind, mode, owner, size or (for non-directories) mtime.
    /// A layer that only repeats what is below counts as none, because builders and stores disagree on keeping it:
    /// Docker's classic builder on the containerd store diffs with containerd's differ, drops a step whose diff is
    /// empty and marks it empty_layer, while BuildKit and the classic builder on overlay2 keep a layer of whatever
    /// overlayfs copied up (a `chmod` to the mode a file had, directories whose mtime moved during a RUN). Counting by
    /// change makes the layer count, the rows and their pairing the same whichever builder or store made the image.
    /// Such a layer keeps its archive index; its size is 0, as it adds no bytes (<see cref="LayerChanges.SizeBytes"/>).
    /// </summary>
    /// <param name="history">The image config's history, bottom first, with its empty_layer flags.</param>
    /// <param name="archiveLayers">The manifest's layers, bottom first, as the archive reader measured them.</param>
    public static IReadOnlyList<LayerFact> Attribute(IReadOnlyList<HistoryEntry> history, IReadOnlyList<LayerChanges> archiveLayers)
    {
        if (history.Count(entry => !entry.EmptyLayer) != archiveLayers.Count)
        {
            // Squashed, imported or edited images: a history that does not line up names its steps without layers,
            // and each archive layer stands as an unnamed step of its own, so the sizes still add up.
            return
            [
                .. history.Select(entry => Step(entry.CreatedBy, null, null)),
                .. archiveLayers.Select((layer, index) => Step("", layer, index)),
            ];
        }

        var facts = new List<LayerFact>(history.Count);
        var next = 0;
        foreach (var entry in history)
        {
            facts.Add(entry.EmptyLayer ? Step(entry.CreatedBy, null, null) : Step(entry.CreatedBy, archiveLayers[next], next++));
        }

        return facts;
    }

    private static LayerFact Step(string createdBy, LayerChanges? layer, int? index) => new(
        createdBy,
        LayerInstructions.Recover(createdBy),
        layer?.SizeBytes ?? 0,
        IsEmpty: layer is null || layer.ChangesNothing,
        ArchiveLayer: index,
        CompressedBytes: layer?.CompressedBytes);
}
