using PrImageReport.Core.Images.History;

namespace PrImageReport.Core.Images;

/// <summary>
/// The facts of an image from its exported archive alone: history from the image config, sizes from the layer scan,
/// no engine calls. Every engine and builder that can write a <c>docker save</c> or OCI archive gives the same facts
/// for the same layers this way.
/// </summary>
public static class ArchiveFacts
{
    /// <summary>Reads the archive as it streams past and makes its facts.</summary>
    /// <param name="reference">How the report names the image, e.g. its tag.</param>
    public static async Task<ImageFacts> ReadAsync(string reference, Stream archive, CancellationToken ct) =>
        FromFilesystem(reference, await ImageArchiveReader.ReadAsync(archive, ct).ConfigureAwait(false));

    /// <param name="reference">How the report names the image, e.g. its tag.</param>
    /// <param name="id">The engine's id for the image; null takes the config digest, the id on the classic store.</param>
    public static ImageFacts FromFilesystem(string reference, ImageFilesystem filesystem, string? id = null)
    {
        ArgumentNullException.ThrowIfNull(filesystem);
        var layers = LayerHistory.Attribute(filesystem.History, filesystem.Layers);

        // The sum of the layers that count, so the layers table adds up to it on every store and builder. overlay2's
        // own figure also sums the layers that change nothing; the containerd store's is its snapshots' disk use.
        var size = layers.Where(l => !l.IsEmpty).Sum(l => l.SizeBytes);

        // Every blob, as a pull fetches them all.
        var compressed = filesystem.Layers.All(l => l.CompressedBytes is not null) ? filesystem.Layers.Sum(l => l.CompressedBytes!.Value) : (long?)null;
        return new ImageFacts(reference, id ?? filesystem.ConfigDigest ?? "", size, layers, filesystem.BuildTools)
        {
            Packages = filesystem.Packages,
            Wasted = filesystem.Wasted,
            CompressedBytes = compressed,
            Origin = new ImageOrigin(null, null, BuilderStyle.Detect(filesystem.History)),
        };
    }
}
