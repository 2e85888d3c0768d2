using System.Globalization;

namespace PrImageReport.Core.Comparison;

/// <summary>A base image reference as the catalogue reads it.</summary>
/// <param name="Repository">Lower case, without Docker Hub's registry and "library/" prefixes: "python", "mcr.microsoft.com/dotnet/sdk".</param>
/// <param name="Tag">Lower case; null when absent, empty or "latest". A digest is dropped.</param>
internal sealed record ImageName(string Repository, string? Tag)
{
    private static readonly string[] DockerHubRegistries = ["docker.io/", "index.docker.io/", "registry-1.docker.io/"];

    /// <summary>The tag split at '-': "3.11-slim-bookworm" is 3.11, slim, bookworm.</summary>
    public IReadOnlyList<string> Words => Tag?.Split('-') ?? [];

    public static ImageName Parse(string reference)
    {
        var text = reference.Trim();
        var at = text.IndexOf('@', StringComparison.Ordinal);
        if (at >= 0)
        {
            text = text[..at];
        }

        var colon = text.LastIndexOf(':');
        string? tag = null;
        if (colon > text.LastIndexOf('/'))
        {
            tag = text[(colon + 1)..].ToLowerInvariant();
            text = text[..colon];
        }

        var repository = text.ToLowerInvariant();
        foreach (var registry in DockerHubRegistries)
        {
            if (repository.StartsWith(registry, StringComparison.Ordinal))
            {
                repository = repository[registry.Length..];
            }
        }

        if (repository.StartsWith("library/", StringComparison.Ordinal))
        {
            repository = repository["library/".Length..];
        }

        return new(repository, tag is "latest" or "" ? null : tag);
    }
}

/// <summary>
/// One family of base images: how its references are recognised, which of them are lean, and for the fat ones what
/// they carry and what to use instead. <see cref="FatExamples"/> and <see cref="LeanExamples"/> are checked by the
/// catalogue's tests, so every entry proves its own rules.
/// </summary>
internal sealed record BaseImageFamily
{
    public required string Id { get; init; }

    /// <summary>Where the family's variants are documented.</summary>
    public required string Source { get; init; }

    /// <summary>
    /// Repositories as <see cref="ImageName.Repository"/> spells them. A Docker Hub official name ("python") also
    /// matches behind a mirror that keeps the library/ path ("public.ecr.aws/docker/library/python"); a name ending
    /// in '/' matches every repository under it ("gcr.io/distroless/").
    /// </summary>
    public required IReadOnlyList<string> Repositories { get; init; }

    /// <summary>Repositories whose every tag is lean: the runtime-only members of a family whose fat member is another repository.</summary>
    public IReadOnlyList<string> LeanRepositories { get; init; } = [];

    /// <summary>Tag words that make a reference lean; "alpine" also matches "alpine3.20".</summary>
    public IReadOnlyList<string> LeanTags { get; init; } = [];

    /// <summary>What the fat images carry and what to use instead; null for a family with no fat member.</summary>
    public FatVariant? Fat { get; init; }

    /// <summary>References this entry must classify as fat, each with the counterpart it must suggest.</summary>
    public IReadOnlyList<FatExample> FatExamples { get; init; } = [];

    /// <summary>References this entry must classify as lean.</summary>
    public required IReadOnlyList<string> LeanExamples { get; init; }

    public bool Names(string repository) => Repositories.Any(r => Matches(r, repository));

    public bool IsLean(ImageName name) =>
        LeanRepositories.Any(r => Matches(r, name.Repository))
        || name.Words.Any(word => LeanTags.Any(lean => IsVariant(word, lean)));

    private static bool Matches(string pattern, string repository) =>
        pattern.EndsWith('/')
            ? repository.StartsWith(pattern, StringComparison.Ordinal)
            : repository == pattern
              || (!pattern.Contains('/', StringComparison.Ordinal) && repository.EndsWith("/library/" + pattern, StringComparison.Ordinal));

    /// <summary>"alpine" or "alpine3.20" for "alpine", but not "slimmer" for "slim".</summary>
    private static bool IsVariant(string word, string variant) =>
        word.StartsWith(variant, StringComparison.Ordinal) && word[variant.Length..].All(c => char.IsAsciiDigit(c) || c == '.');
}

/// <param name="Description">What the fat images carry, as the finding names it: "the full Python image (Debian with compilers and headers)".</param>
/// <param name="Fix">The advice, with {0} for the counterpart.</param>
/// <param name="Counterpart">The lean image to use instead of a given fat one; null when the reference does not say which (no version to carry over).</param>
/// <param name="NoCounterpart">What the advice names when there is no counterpart.</param>
internal sealed record FatVariant(string Description, string Fix, Func<ImageName, string?> Counterpart, string NoCounterpart = "a lean variant of the same image")
{
    public string FixFor(string? counterpart) => string.Format(CultureInfo.InvariantCulture, Fix, counterpart ?? NoCounterpart);
}

/// <param name="Counterpart">The counterpart the catalogue must suggest; null when it must suggest none.</param>
internal sealed record FatExample(string Reference, string? Counterpart);
