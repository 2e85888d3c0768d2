namespace PrImageReport.Core.Dockerfiles;

/// <summary>What in a Dockerfile the classic builder (dockerd 20.10) cannot build.</summary>
internal static class BuildKitFeatures
{
    // The only flags the classic builder parses; any other flag fails its whole build.
    private static readonly Dictionary<string, HashSet<string>> ClassicFlags = new(StringComparer.Ordinal)
    {
        ["FROM"] = ["platform"],
        ["COPY"] = ["from", "chown"],
        ["ADD"] = ["chown"],
        ["HEALTHCHECK"] = ["interval", "timeout", "start-period", "retries"],
    };

    /// <summary>The earliest reason by line, or null when the classic builder can build the file.</summary>
    /// <param name="fromReasons">Reasons found while resolving FROM lines (automatic platform ARGs), with their lines.</param>
    public static string? FirstReason(Dockerfile file, IEnumerable<(int Line, string Reason)> fromReasons)
    {
        var reasons = file.Directives
            .Where(d => d.Name == "syntax")
            .Select(d => (d.Line, Reason: $"# syntax={d.Value} directive at line {d.Line}"))
            .Concat(file.Instructions.SelectMany(InstructionReasons))
            .Concat(fromReasons);
        return reasons.OrderBy(r => r.Line).Select(r => r.Reason).FirstOrDefault();
    }

    private static IEnumerable<(int Line, string Reason)> InstructionReasons(Instruction instruction)
    {
        var line = instruction.StartLine;
        foreach (var heredoc in instruction.Heredocs)
        {
            yield return (line, $"heredoc <<{heredoc.Name} at line {line}");
        }
        var classic = ClassicFlags.GetValueOrDefault(instruction.Keyword) ?? [];
        foreach (var flag in instruction.Flags.Where(f => !classic.Contains(f.Name)))
        {
            yield return (line, $"{instruction.Keyword} --{flag.Name} at line {line}");
        }
        if (instruction.Keyword == "ADD" && instruction.Words.SkipLast(1).Any(IsGitSource))
        {
            yield return (line, $"ADD from a git repository at line {line}");
        }
    }

    private static bool IsGitSource(string source)
    {
        if (source.StartsWith("git@", StringComparison.Ordinal) || source.StartsWith("git://", StringComparison.Ordinal)
            || source.StartsWith("ssh://", StringComparison.Ordinal))
        {
            return true;
        }
        if (!source.StartsWith("https://", StringComparison.Ordinal) && !source.StartsWith("http://", StringComparison.Ordinal))
        {
            return false;
        }
        var path = source.Split('#', '?')[0];
        return path.EndsWith(".git", StringComparison.Ordinal);
    }
}
