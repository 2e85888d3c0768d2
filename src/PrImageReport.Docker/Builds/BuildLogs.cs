using System.Globalization;
using System.Text.RegularExpressions;

namespace PrImageReport.Docker.Builds;

/// <summary>What both builders' logs share.</summary>
internal static partial class BuildLogs
{
    /// <summary>The step named in a failure that happened before any step ran (a Dockerfile the builder cannot parse, a bad context).</summary>
    public const string BeforeFirstStep = "(before the first step)";

    /// <summary>The Dockerfile line of a parse error: "dockerfile parse error line 6: unknown instruction: ECHO" (newer: "on line 6").</summary>
    public static int? ParseErrorLine(string message) =>
        ParseError().Match(message) is { Success: true } m ? int.Parse(m.Groups["line"].Value, CultureInfo.InvariantCulture) : null;

    /// <summary>Drops terminal colour codes: the classic builder paints a step's standard error red.</summary>
    public static string StripAnsi(string line) => AnsiEscape().Replace(line, "");

    [GeneratedRegex(@"\x1b\[[0-9;?]*[A-Za-z]")]
    private static partial Regex AnsiEscape();

    [GeneratedRegex(@"dockerfile parse error (?:on )?line (?<line>\d+)", RegexOptions.IgnoreCase)]
    private static partial Regex ParseError();
}

/// <summary>The last lines of a log, blank ones skipped.</summary>
internal sealed class RecentLines
{
    public const int Capacity = 20;

    private readonly Queue<string> lines = new();

    public void Add(string line)
    {
        if (string.IsNullOrWhiteSpace(line))
        {
            return;
        }

        if (lines.Count == Capacity)
        {
            lines.Dequeue();
        }

        lines.Enqueue(line);
    }

    public bool IsEmpty => lines.Count == 0;

    public IReadOnlyList<string> ToList() => [.. lines];
}
