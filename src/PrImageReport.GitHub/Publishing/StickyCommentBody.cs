namespace PrImageReport.GitHub.Publishing;

/// <summary>The text of a sticky report comment: a hidden marker naming the report, then the report, shortened to
/// GitHub's comment limit when needed.</summary>
public static class StickyCommentBody
{
    /// <summary>GitHub rejects comment bodies longer than this many characters.</summary>
    public const int MaxLength = 65_536;

    public const string ShortenedPointer = "... report shortened: the full report is in the job summary of this run.";

    /// <summary>The hidden first line that identifies the comment of <paramref name="reportKey"/>.</summary>
    public static string Marker(string reportKey)
    {
        CheckKey(reportKey);
        return $"<!-- pr-image-report:{reportKey} -->";
    }

    /// <summary>Whether <paramref name="body"/> is the comment of <paramref name="reportKey"/>: the marker opens it.</summary>
    public static bool IsFor(string body, string reportKey) =>
        body.AsSpan().TrimStart().StartsWith(Marker(reportKey), StringComparison.Ordinal);

    /// <summary>The comment body for <paramref name="markdown"/>, cut at a line boundary when over <see cref="MaxLength"/>.</summary>
    public static (string Body, bool Shortened) Compose(string reportKey, string markdown)
    {
        ArgumentNullException.ThrowIfNull(markdown);
        var full = Marker(reportKey) + "\n" + markdown;
        if (full.Length <= MaxLength)
        {
            return (full, false);
        }

        // Room for: kept lines, a fence closer if the cut falls inside a code block, a blank line and the pointer.
        const int fenceCloserReserve = 16;
        var budget = MaxLength - fenceCloserReserve - 1 - ShortenedPointer.Length;
        var lastNewline = full.LastIndexOf('\n', budget - 1);
        var kept = lastNewline > Marker(reportKey).Length
            ? full[..(lastNewline + 1)]
            : CutWithoutLineBoundary(full, budget);
        var fence = OpenFence(kept);
        if (fence is not null && fence.Length < fenceCloserReserve)
        {
            kept += fence + "\n";
        }
        return (kept + "\n" + ShortenedPointer, true);
    }

    /// <summary>A single line longer than the budget: cut inside it, never between the halves of a surrogate pair.</summary>
    static string CutWithoutLineBoundary(string full, int budget)
    {
        var length = budget - 1;
        if (char.IsHighSurrogate(full[length - 1]))
        {
            length--;
        }
        return full[..length] + "\n";
    }

    /// <summary>The opening fence (``` or ~~~, three or more) of a code block left open at the end of <paramref name="text"/>, or null.</summary>
    static string? OpenFence(string text)
    {
        string? open = null;
        foreach (var line in text.Split('\n'))
        {
            var trimmed = line.TrimStart(' ');
            if (line.Length - trimmed.Length > 3 || trimmed.Length < 3 || trimmed[0] is not ('`' or '~'))
            {
                continue;
            }
            var run = trimmed[..(trimmed.Length - trimmed.TrimStart(trimmed[0]).Length)];
            if (run.Length < 3)
            {
                continue;
            }
            if (open is null)
            {
                open = run;
            }
            else if (run[0] == open[0] && run.Length >= open.Length && trimmed[run.Length..].Trim().Length == 0)
            {
                open = null;
            }
        }
        return open;
    }

    static void CheckKey(string reportKey)
    {
        if (string.IsNullOrEmpty(reportKey)
            || reportKey.Any(c => char.IsWhiteSpace(c) || char.IsControl(c) || c is '<' or '>')
            || reportKey.Contains("--", StringComparison.Ordinal))
        {
            throw new ArgumentException(
                $"Report key '{reportKey}' cannot go into an HTML comment marker: use letters, digits and single '-', '_', '.', '/' or ':'",
                nameof(reportKey));
        }
    }
}
