using PrImageReport.Core.Comparison;
using PrImageReport.Core.Images;

namespace PrImageReport.Core.Reports;

/// <summary>
/// The footnote of one image: what each side was built and measured with, and what differs between them, so that
/// sizes from different engines, stores or builders are never mixed without saying so.
/// </summary>
internal static class MeasurementNote
{
    public static string Build(ImageComparison image)
    {
        var (baseImage, headImage) = (image.Base?.Image, image.Head?.Image);
        var parts = new List<string>();
        if (baseImage is not null && headImage is not null)
        {
            var differences = Differences(baseImage.Origin, headImage.Origin);
            if (differences.Count > 0)
            {
                parts.Add($"Base and head differ in {Join(differences)}: base {Known(Describe(baseImage.Origin))}; head {Known(Describe(headImage.Origin))}. "
                    + "Sizes are counted from each layer's files and layers that change nothing are left out on both, so they compare.");
            }
            else if (Describe(headImage.Origin) is { Length: > 0 } both)
            {
                parts.Add($"Both built and measured on {both}.");
            }

            if ((baseImage.CompressedBytes is null) != (headImage.CompressedBytes is null))
            {
                var (known, unknown) = baseImage.CompressedBytes is null ? ("head", "base") : ("base", "head");
                parts.Add($"The compressed size is known for the {known} only: the {unknown}'s export holds uncompressed layers.");
            }
        }
        else if ((baseImage ?? headImage) is { } only && Describe(only.Origin) is { Length: > 0 } one)
        {
            parts.Add($"Built and measured on {one}.");
        }

        return MarkdownText.Inline(string.Join(" ", parts));
    }

    private static List<string> Differences(ImageOrigin before, ImageOrigin after)
    {
        var differences = new List<string>();
        if (before.Engine != after.Engine)
        {
            differences.Add("engine");
        }

        if (before.ImageStore != after.ImageStore)
        {
            differences.Add("image store");
        }

        if (before.Builder != after.Builder)
        {
            differences.Add("builder");
        }

        return differences;
    }

    private static string Known(string description) => description.Length > 0 ? description : "unknown";

    /// <summary>"engine", "engine and builder", "engine, image store and builder".</summary>
    private static string Join(List<string> items) =>
        items.Count == 1 ? items[0] : $"{string.Join(", ", items[..^1])} and {items[^1]}";

    /// <summary>"Docker 28.5.2, containerd (overlayfs) image store, BuildKit builder"; unknown parts are left out, all unknown is "".</summary>
    private static string Describe(ImageOrigin origin)
    {
        string?[] parts =
        [
            origin.Engine,
            origin.ImageStore is { } store ? $"{store} image store" : null,
            origin.Builder is { } builder ? $"{builder} builder" : null,
        ];
        return string.Join(", ", parts.OfType<string>());
    }
}
