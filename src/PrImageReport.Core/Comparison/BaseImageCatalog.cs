namespace PrImageReport.Core.Comparison;

public enum BaseImageKind
{
    /// <summary>Not in the catalogue: judged by what the built image contains.</summary>
    Unknown,

    /// <summary>A slim, alpine, distroless, runtime-only or otherwise small base: never reported.</summary>
    Lean,

    /// <summary>A full variant of an official family, or a toolchain image.</summary>
    Fat,
}

/// <summary>What the catalogue knows about a base image.</summary>
/// <param name="Description">For a fat image, what it carries: "the full Python image (Debian with compilers and headers)".</param>
/// <param name="Fix">For a fat image, the lean counterpart to use instead: "Use python:3.11-slim for the final stage; ...".</param>
/// <param name="Counterpart">For a fat image, the one image reference to use instead ("python:3.11-slim"), so its size can be measured; null when the fix is not one image.</param>
public sealed record BaseImageClass(BaseImageKind Kind, string? Description = null, string? Fix = null, string? Counterpart = null)
{
    public bool IsFat => Kind == BaseImageKind.Fat;
}

/// <summary>Judges a base image by name against the families in <see cref="BaseImageFamilies"/>.</summary>
public static class BaseImageCatalog
{
    private static readonly BaseImageClass Unknown = new(BaseImageKind.Unknown);
    private static readonly BaseImageClass Lean = new(BaseImageKind.Lean);

    /// <summary>Windows variants have no Linux counterpart to suggest.</summary>
    private static readonly string[] WindowsWords = ["windowsservercore", "nanoserver"];

    public static BaseImageClass Classify(string reference)
    {
        if (Unresolved(reference))
        {
            return Unknown;
        }

        var name = ImageName.Parse(reference);
        var family = BaseImageFamilies.All.FirstOrDefault(f => f.Names(name.Repository));
        if (family is null || name.Words.Any(w => WindowsWords.Any(windows => w.StartsWith(windows, StringComparison.Ordinal))))
        {
            return Unknown;
        }

        if (family.Fat is not { } fat || family.IsLean(name))
        {
            return Lean;
        }

        var counterpart = fat.Counterpart(name);
        return new(BaseImageKind.Fat, fat.Description, fat.FixFor(counterpart), counterpart);
    }

    /// <summary>Two references name the same image once registry defaults and digests are set aside.</summary>
    public static bool SameImage(string a, string b) => ImageName.Parse(a) == ImageName.Parse(b);

    /// <summary>A build argument the resolver could not expand: the image is not known yet.</summary>
    private static bool Unresolved(string reference) => reference.Contains('$', StringComparison.Ordinal);
}
