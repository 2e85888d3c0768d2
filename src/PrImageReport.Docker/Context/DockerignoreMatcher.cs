using System.Text;
using System.Text.RegularExpressions;

namespace PrImageReport.Docker.Context;

/// <summary>A .dockerignore line that Docker would reject as well.</summary>
internal sealed class DockerignoreException(string message) : Exception(message);

/// <summary>
/// The patterns of a .dockerignore with Docker's meaning (moby/patternmatcher): paths are relative to the context
/// root with '/' separators, <c>*</c> and <c>?</c> stop at '/', <c>**</c> spans directories, <c>!</c> re-includes,
/// the last matching pattern wins, and a pattern that matches a directory excludes everything under it.
/// </summary>
internal sealed class DockerignoreMatcher
{
    private readonly IReadOnlyList<Pattern> patterns;

    private DockerignoreMatcher(IReadOnlyList<Pattern> patterns) => this.patterns = patterns;

    public static DockerignoreMatcher Empty { get; } = new([]);

    /// <summary>Reads a .dockerignore the way the docker CLI does; <paramref name="fileName"/> only names it in errors.</summary>
    public static DockerignoreMatcher Parse(string text, string fileName)
    {
        var parsed = new List<Pattern>();
        var lines = text.TrimStart('\uFEFF').Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            // Only a '#' in the first column starts a comment; " #x" is a pattern, as in Docker.
            if (lines[i].StartsWith('#'))
            {
                continue;
            }

            var line = lines[i].Trim();
            if (line.Length == 0)
            {
                continue;
            }

            var exclusion = line[0] == '!';
            var path = exclusion ? line[1..].Trim() : line;
            if (path.Length == 0)
            {
                throw new DockerignoreException($"{fileName} line {i + 1}: \"{line}\" re-includes nothing; write the path after the '!' or delete the line");
            }

            path = Clean(path);
            if (path.Length > 1 && path[0] == '/')
            {
                path = path[1..];
            }

            parsed.Add(Pattern.Compile(path, exclusion, $"{fileName} line {i + 1}"));
        }

        return new DockerignoreMatcher(parsed);
    }

    /// <summary>A copy that always keeps <paramref name="relativePath"/>, as the docker CLI keeps the Dockerfile and .dockerignore.</summary>
    public DockerignoreMatcher Keeping(string relativePath) =>
        IsExcluded(relativePath) ? new DockerignoreMatcher([.. patterns, Pattern.Compile(Clean(relativePath), exclusion: true, "kept file")]) : this;

    /// <summary>Whether the path (relative, '/'-separated) is left out of the context: it or one of its parent directories matches.</summary>
    public bool IsExcluded(string relativePath)
    {
        var path = Clean(relativePath);
        var lastSlash = path.LastIndexOf('/');
        var parents = lastSlash < 0 ? [] : path[..lastSlash].Split('/');
        var excluded = false;
        foreach (var pattern in patterns)
        {
            // An inclusion cannot change an excluded path, nor an exclusion a kept one.
            if (pattern.Exclusion != excluded)
            {
                continue;
            }

            var match = pattern.Matches(path);
            for (var i = 0; !match && i < parents.Length; i++)
            {
                match = pattern.Matches(string.Join('/', parents, 0, i + 1));
            }

            if (match)
            {
                excluded = !pattern.Exclusion;
            }
        }

        return excluded;
    }

    /// <summary>
    /// Whether an excluded directory must still be walked because a '!' pattern names something under it. Like Docker,
    /// this looks at the pattern text only, so "!**/keep" does not reopen an excluded directory.
    /// </summary>
    public bool MayKeepSomethingUnder(string excludedDirectory)
    {
        var prefix = Clean(excludedDirectory) + "/";
        return patterns.Any(p => p.Exclusion && (p.Text + "/").StartsWith(prefix, StringComparison.Ordinal));
    }

    /// <summary>Go's path.Clean: one '/' between elements, no "." elements, ".." resolved where it can be.</summary>
    internal static string Clean(string path)
    {
        if (path.Length == 0)
        {
            return ".";
        }

        var rooted = path[0] == '/';
        var parts = new List<string>();
        foreach (var part in path.Split('/'))
        {
            if (part.Length == 0 || part == ".")
            {
                continue;
            }

            if (part == ".." && parts.Count > 0 && parts[^1] != "..")
            {
                parts.RemoveAt(parts.Count - 1);
            }
            else if (part != ".." || !rooted)
            {
                parts.Add(part);
            }
        }

        var joined = string.Join('/', parts);
        return rooted ? "/" + joined : joined.Length == 0 ? "." : joined;
    }

    private enum MatchKind { Exact, Prefix, Suffix, Regex }

    private sealed record Pattern(string Text, bool Exclusion, MatchKind Kind, Regex? Expression)
    {
        public bool Matches(string path) => Kind switch
        {
            MatchKind.Exact => path == Text,
            MatchKind.Prefix => path.StartsWith(Text[..^2], StringComparison.Ordinal),
            MatchKind.Suffix => path.EndsWith(Text[2..], StringComparison.Ordinal) || (Text.Length > 2 && Text[2] == '/' && path == Text[3..]),
            _ => Expression!.IsMatch(path),
        };

        /// <summary>patternmatcher's translation to a regular expression, and its shortcuts for the simple shapes.</summary>
        public static Pattern Compile(string text, bool exclusion, string where)
        {
            var regex = new StringBuilder("^");
            var kind = MatchKind.Exact;
            for (var i = 0; i < text.Length; i++)
            {
                var first = i == 0;
                var c = text[i];
                if (c == '*' && i + 1 < text.Length && text[i + 1] == '*')
                {
                    i++;
                    if (i + 1 < text.Length && text[i + 1] == '/')
                    {
                        i++;
                    }

                    if (i + 1 == text.Length)
                    {
                        // A trailing "**" takes everything, as in .gitignore.
                        if (kind == MatchKind.Exact)
                        {
                            kind = MatchKind.Prefix;
                        }
                        else
                        {
                            regex.Append(".*");
                            kind = MatchKind.Regex;
                        }
                    }
                    else
                    {
                        regex.Append("(.*/)?");
                        kind = MatchKind.Regex;
                    }

                    if (first)
                    {
                        kind = MatchKind.Suffix;
                    }
                }
                else if (c == '*')
                {
                    regex.Append("[^/]*");
                    kind = MatchKind.Regex;
                }
                else if (c == '?')
                {
                    regex.Append("[^/]");
                    kind = MatchKind.Regex;
                }
                else if (".+()|{}$".Contains(c))
                {
                    regex.Append('\\').Append(c);
                }
                else if (c == '\\')
                {
                    if (i + 1 < text.Length)
                    {
                        regex.Append('\\').Append(text[++i]);
                        kind = MatchKind.Regex;
                    }
                    else
                    {
                        regex.Append(@"\\");
                    }
                }
                else if (c is '[' or ']')
                {
                    regex.Append(c);
                    kind = MatchKind.Regex;
                }
                else
                {
                    regex.Append(c);
                }
            }

            if (kind != MatchKind.Regex)
            {
                return new Pattern(text, exclusion, kind, null);
            }

            try
            {
                return new Pattern(text, exclusion, kind, new Regex(regex.Append(@"\z").ToString(), RegexOptions.CultureInvariant));
            }
            catch (ArgumentException)
            {
                throw new DockerignoreException($"{where}: \"{text}\" is not a valid pattern; close every '[' with ']' or escape it as '\\['");
            }
        }
    }
}
