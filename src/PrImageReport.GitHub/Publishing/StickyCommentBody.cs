using System.Globalization;
using System.Text.RegularExpressions;

namespace PrImageReport.GitHub.Publishing;

/// <summary>The text of a sticky report comment: a hidden marker naming the report, its head commit and run, a line
/// naming the head commit for readers, then the report, shortened to GitHub's comment limit when needed.</summary>
public static partial class StickyCommentBody
{
    /// <summary>GitHub rejects comment bodies longer than this many characters.</summary>
    public const int MaxLength = 65_536;

    public const string ShortenedPointer = "... report shortened: the full report is in the job summary of this run.";

    /// <summary>The marker of <paramref name="reportKey"/> with nothing about the run, as comments from before runs
    /// were recorded carry it.</summary>
    public static string Marker(string reportKey)
    {
        CheckKey(reportKey);
        return $"<!-- pr-image-report:{reportKey} -->";
    }

    /// <summary>The hidden first line: the report key, the head commit and, when known, the run number and attempt,
    /// e.g. &lt;!-- pr-image-report:web head=0123...cdef run=12.1 --&gt;.</summary>
    public static string Marker(string reportKey, ReportRun run)
    {
        CheckKey(reportKey);
        ArgumentNullException.ThrowIfNull(run);
        CheckSha(run.HeadSha);
        var number = run.Number is { } n ? string.Create(CultureInfo.InvariantCulture, $" run={n}.{run.Attempt ?? 1}") : "";
        return $"<!-- pr-image-report:{reportKey} head={run.HeadSha}{number} -->";
    }

    /// <summary>Whether <paramref name="body"/> opens with the marker of <paramref name="reportKey"/> (with or without
    /// the run); the key must match whole, so "web" never takes the comment of "web-api".</summary>
    public static bool IsFor(string body, string reportKey) =>
        ParseMarker(body) is { } marker && marker.Groups["key"].Value == reportKey;

    /// <summary>The run the marker opening <paramref name="body"/> names; null for a marker without one.</summary>
    public static ReportRun? RunOf(string body)
    {
        if (ParseMarker(body) is not { } marker || !marker.Groups["head"].Success)
        {
            return null;
        }
        long? number = marker.Groups["run"].Success ? long.Parse(marker.Groups["run"].Value, CultureInfo.InvariantCulture) : null;
        int? attempt = marker.Groups["attempt"].Success ? int.Parse(marker.Groups["attempt"].Value, CultureInfo.InvariantCulture) : null;
        return new ReportRun(marker.Groups["head"].Value, number, attempt);
    }

    /// <summary>The comment body for <paramref name="markdown"/>, cut at a line boundary when over <see cref="MaxLength"/>.</summary>
    public static (string Body, bool Shortened) Compose(string reportKey, ReportRun run, string markdown)
    {
        ArgumentNullException.ThrowIfNull(markdown);
        var marker = Marker(reportKey, run);
        var described = run.Describe() is { Length: > 0 } runText ? $"{run.ShortSha}, {runText}" : run.ShortSha;
        // A bare short SHA: GitHub links it to the commit in this repository.
        var header = $"{marker}\nReport for head commit {described}.\n\n";
        var full = header + markdown;
        if (full.Length <= MaxLength)
        {
            return (full, false);
        }

        // Room for: kept lines, a fence closer if the cut falls inside a code block, a blank line and the pointer.
        const int fenceCloserReserve = 16;
        var budget = MaxLength - fenceCloserReserve - 1 - ShortenedPointer.Length;
        var lastNewline = full.LastIndexOf('\n', budget - 1);
        var kept = lastNewline >= header.Length
            ? full[..(lastNewline + 1)]
            : CutWithoutLineBoundary(full, budget);
        var fence = OpenFence(kept);
        if (fence is not null && fence.Length < fenceCloserReserve)
        {
            kept += fence + "\n";
        }
        return (kept + "\n" + ShortenedPointer, true);
    }

    static Match? ParseMarker(string body)
    {
        var match = MarkerLine().Match(body.TrimStart());
        return match.Success ? match : null;
    }

    [GeneratedRegex(@"\A<!-- pr-image-report:(?<key>\S+?)(?: head=(?<head>[0-9a-fA-F]{40}|[0-9a-fA-F]{64}))?(?: run=(?<run>[0-9]{1,18})\.(?<attempt>[0-9]{1,9}))? -->", RegexOptions.CultureInvariant)]
    private static partial Regex MarkerLine();

    static void CheckSha(string sha)
    {
        if (sha is null || !(sha.Length is 40 or 64) || !sha.All(char.IsAsciiHexDigit))
        {
            throw new ArgumentException($"'{sha}' is not a full commit SHA: pass the 40-character head SHA of the pull request", nameof(sha));
        }
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
