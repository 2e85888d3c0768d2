using PrImageReport.Core.Images;

namespace PrImageReport.Docker.History;

/// <summary>The facts of an image known only from its archive (a builder that streamed it instead of loading it into the engine).</summary>
internal static class ArchiveFacts
{
    /// <summary>History and its empty_layer flags come from the image config; a layer's size is the file bytes it adds.</summary>
    public static ImageFacts From(string reference, ImageFilesystem filesystem)
    {
        var next = 0;
        var history = filesystem.History
            .Select(step => new EngineHistoryEntry(step.CreatedBy, step.EmptyLayer || next >= filesystem.Layers.Count ? 0 : filesystem.Layers[next++].AddedBytes))
            .ToList();
        var layers = LayerHistory.Attribute(history, filesystem.History, filesystem.Layers.Count);
        return new ImageFacts(reference, filesystem.ConfigDigest ?? "", filesystem.Layers.Sum(layer => layer.AddedBytes), layers, filesystem.BuildTools)
        {
            Packages = filesystem.Packages,
            Wasted = filesystem.Wasted,
        };
    }
}
