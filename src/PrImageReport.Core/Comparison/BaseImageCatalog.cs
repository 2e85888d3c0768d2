using System.Text.RegularExpressions;

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
public sealed record BaseImageClass(BaseImageKind Kind, string? Description = null, string? Fix = null)
{
    public bool IsFat => Kind == BaseImageKind.Fat;
}

/// <summary>A small catalogue of official image families and their lean counterparts.</summary>
public static partial class BaseImageCatalog
{
    private static readonly HashSet<string> DebianCodenames = ["buster", "bullseye", "bookworm", "trixie", "forky", "sid", "stable", "oldstable", "testing"];
    private static readonly HashSet<string> UbuntuCodenames = ["bionic", "focal", "jammy", "noble", "oracular", "plucky"];
    private static readonly string[] LeanMarkers = ["slim", "alpine", "distroless", "busybox", "runtime-deps"];
    private const string GenericJre = "an eclipse-temurin JRE image (for example eclipse-temurin:21-jre)";

    public static BaseImageClass Classify(string reference)
    {
        var (repository, tag) = Split(reference);
        if (repository == "scratch")
        {
            return new(BaseImageKind.Lean);
        }

        var text = repository + ":" + tag;
        if (text.Contains("windowsservercore", StringComparison.Ordinal) || text.Contains("nanoserver", StringComparison.Ordinal))
        {
            return new(BaseImageKind.Unknown);
        }

        if (LeanMarkers.Any(m => text.Contains(m, StringComparison.Ordinal)))
        {
            return new(BaseImageKind.Lean);
        }

        if (IsOfficial(repository, "ubuntu") || DotnetImage(repository) is "runtime" or "aspnet")
        {
            return new(BaseImageKind.Lean);
        }

        if (IsOfficial(repository, "python"))
        {
            return Fat("the full Python image (Debian with compilers and headers)", UseFor("python:" + SlimTag(tag, codenameLast: true)));
        }

        if (IsOfficial(repository, "node"))
        {
            return Fat("the full Node.js image (Debian with compilers and headers)", UseFor("node:" + SlimTag(tag, codenameLast: false)));
        }

        if (IsOfficial(repository, "golang"))
        {
            return Fat("the Go toolchain image",
                "Build in a golang stage and COPY --from=builder only the compiled binary onto gcr.io/distroless/static-debian12 or scratch.");
        }

        if (IsOfficial(repository, "rust"))
        {
            return Fat("the Rust toolchain image",
                "Build in a rust stage and COPY --from=builder only the compiled binary onto debian:bookworm-slim or gcr.io/distroless/cc-debian12.");
        }

        if (IsOfficial(repository, "eclipse-temurin") || IsOfficial(repository, "openjdk"))
        {
            return tag is not null && tag.Contains("jre", StringComparison.Ordinal)
                ? new(BaseImageKind.Lean)
                : Fat("a JDK image (compiler and build tools)", UseFor(Jre(repository, tag)));
        }

        if (IsOfficial(repository, "maven") || IsOfficial(repository, "gradle"))
        {
            var tool = IsOfficial(repository, "maven") ? "maven" : "gradle";
            return Fat($"the {(tool == "maven" ? "Maven" : "Gradle")} build image (with a JDK)",
                $"Build in a {tool} stage and run the artifact on {JavaRuntimeFor(tag)}.");
        }

        if (DotnetImage(repository) == "sdk")
        {
            var version = tag ?? "latest";
            return Fat("the .NET SDK image",
                $"Use mcr.microsoft.com/dotnet/aspnet:{version} (or runtime:{version}, or runtime-deps:{version} for a self-contained app) for the final stage; publish in an sdk stage.");
        }

        if (IsOfficial(repository, "buildpack-deps"))
        {
            var codename = tag?.Split('-')[0];
            var lean = codename switch
            {
                not null when DebianCodenames.Contains(codename) => $"debian:{codename}-slim",
                not null when UbuntuCodenames.Contains(codename) => $"ubuntu:{codename}",
                _ => "debian:stable-slim",
            };
            return Fat("a build-dependencies image (compilers, headers, version control)", UseFor(lean));
        }

        if (IsOfficial(repository, "debian"))
        {
            return Fat("the full Debian image", UseFor("debian:" + (tag is null or "latest" ? "stable-slim" : tag + "-slim")));
        }

        return new(BaseImageKind.Unknown);
    }

    /// <summary>Two references name the same image once registry defaults and digests are set aside.</summary>
    public static bool SameImage(string a, string b) => Split(a) == Split(b);

    private static BaseImageClass Fat(string description, string fix) => new(BaseImageKind.Fat, description, fix);

    private static string UseFor(string image) => $"Use {image} for the final stage; build in a separate stage if you need the toolchain.";

    /// <summary>python puts the codename after "slim" (3.11-slim-bookworm), node before it (20-bookworm-slim).</summary>
    private static string SlimTag(string? tag, bool codenameLast)
    {
        if (tag is null or "latest")
        {
            return "slim";
        }

        var parts = tag.Split('-');
        var codename = parts.FirstOrDefault(DebianCodenames.Contains);
        var rest = string.Join('-', parts.Where(p => p != codename));
        return codename is null ? rest + "-slim"
            : codenameLast ? $"{rest}-slim-{codename}"
            : $"{rest}-{codename}-slim";
    }

    private static string Jre(string repository, string? tag)
    {
        var version = tag is null ? null : LeadingVersion().Match(tag);
        if (version is null || !version.Success)
        {
            return GenericJre;
        }

        // openjdk has no current JRE tags; its successor eclipse-temurin does.
        if (IsOfficial(repository, "openjdk"))
        {
            return $"eclipse-temurin:{version.Groups[1].Value}-jre";
        }

        return "eclipse-temurin:" + (tag!.Contains("jdk", StringComparison.Ordinal) ? tag.Replace("jdk", "jre", StringComparison.Ordinal) : tag + "-jre");
    }

    private static string JavaRuntimeFor(string? tag)
    {
        var java = tag is null ? null : JavaVersion().Match(tag);
        return java is { Success: true } ? $"eclipse-temurin:{java.Groups[1].Value}-jre" : GenericJre;
    }

    /// <summary>"sdk", "runtime", "aspnet" for Microsoft's .NET images (current and dotnet/core paths), else null.</summary>
    private static string? DotnetImage(string repository)
    {
        foreach (var prefix in (string[])["mcr.microsoft.com/dotnet/core/", "mcr.microsoft.com/dotnet/"])
        {
            if (repository.StartsWith(prefix, StringComparison.Ordinal))
            {
                return repository[prefix.Length..];
            }
        }

        return null;
    }

    /// <summary>Docker Hub's official image, also through mirrors that keep the library/ path.</summary>
    private static bool IsOfficial(string repository, string name) =>
        repository == name || repository.EndsWith("/library/" + name, StringComparison.Ordinal);

    /// <summary>Repository (lower case, Docker Hub defaults removed) and tag (null when absent); the digest is ignored.</summary>
    private static (string Repository, string? Tag) Split(string reference)
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
        foreach (var registry in (string[])["docker.io/", "index.docker.io/", "registry-1.docker.io/"])
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

        return (repository, tag is "latest" ? null : tag);
    }

    [GeneratedRegex(@"^(\d+)")]
    private static partial Regex LeadingVersion();

    [GeneratedRegex(@"(?:temurin|jdk|openjdk|corretto|graal|sapmachine)-?(\d+)")]
    private static partial Regex JavaVersion();
}
