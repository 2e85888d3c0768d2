using System.Text.RegularExpressions;

namespace PrImageReport.Docker.Builds;

/// <summary>
/// Gives the base and the head each their own build cache, so that the head's <c>--cache-to</c> never overwrites the
/// cache the base branch's builds read: a <c>type=gha</c> cache gets <c>scope=&lt;key&gt;-base</c> (s3 and azblob
/// <c>name=</c>), a local one a subfolder of its src/dest, a registry one a tag suffix, unless the spec already scopes itself.
/// </summary>
public static partial class CacheScopes
{
    /// <summary>The cache key of a Dockerfile: its repository path with everything but letters, digits, '.', '_' and '-' made '-'.</summary>
    public static string Key(string dockerfile)
    {
        var key = Unsafe().Replace(dockerfile, "-").Trim('-', '.');
        return key.Length == 0 ? "Dockerfile" : key;
    }

    /// <summary>The spec for one side; types that cannot be scoped (inline) come back as given.</summary>
    /// <param name="spec">As <c>--cache-from</c>/<c>--cache-to</c> take it: "type=gha,mode=max", or a bare registry reference.</param>
    /// <param name="scope">"&lt;key&gt;-base" or "&lt;key&gt;-head".</param>
    public static string ForSide(string spec, string scope)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var fields = spec.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).ToList();
        if (fields is [var bare] && !bare.Contains('=', StringComparison.Ordinal))
        {
            // buildx reads a bare value as a registry reference.
            fields = ["type=registry", $"ref={bare}"];
        }

        var type = Value(fields, "type") ?? "registry";
        switch (type)
        {
            case "gha":
                AddUnlessPresent(fields, "scope", scope);
                break;
            case "s3" or "azblob":
                AddUnlessPresent(fields, "name", scope);
                break;
            case "local":
                Rewrite(fields, "src", folder => Path.Combine(folder, scope));
                Rewrite(fields, "dest", folder => Path.Combine(folder, scope));
                break;
            case "registry":
                Rewrite(fields, "ref", reference => Tagged(reference, scope));
                break;
        }

        return string.Join(',', fields);
    }

    private static string? Value(List<string> fields, string name) =>
        fields.Where(f => f.StartsWith(name + "=", StringComparison.Ordinal)).Select(f => f[(name.Length + 1)..]).FirstOrDefault();

    private static void AddUnlessPresent(List<string> fields, string name, string value)
    {
        if (Value(fields, name) is null)
        {
            fields.Add($"{name}={value}");
        }
    }

    private static void Rewrite(List<string> fields, string name, Func<string, string> rewrite)
    {
        for (var i = 0; i < fields.Count; i++)
        {
            if (fields[i].StartsWith(name + "=", StringComparison.Ordinal))
            {
                fields[i] = $"{name}={rewrite(fields[i][(name.Length + 1)..])}";
            }
        }
    }

    /// <summary>"ghcr.io/o/app:cache" becomes "ghcr.io/o/app:cache-&lt;scope&gt;", "ghcr.io/o/app" "ghcr.io/o/app:&lt;scope&gt;"; a digest names one image and stays.</summary>
    private static string Tagged(string reference, string scope)
    {
        if (reference.Contains('@', StringComparison.Ordinal))
        {
            return reference;
        }

        var colon = reference.LastIndexOf(':');
        var hasTag = colon > reference.LastIndexOf('/');
        var tagged = hasTag ? $"{reference}-{scope}" : $"{reference}:{scope}";
        // A tag is at most 128 characters.
        var tagStart = tagged.LastIndexOf(':') + 1;
        return tagged.Length - tagStart > 128 ? tagged[..(tagStart + 128)] : tagged;
    }

    [GeneratedRegex("[^A-Za-z0-9_.-]+")]
    private static partial Regex Unsafe();
}
