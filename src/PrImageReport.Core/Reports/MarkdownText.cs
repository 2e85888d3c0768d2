using System.Text;
using System.Text.RegularExpressions;

namespace PrImageReport.Core.Reports;

/// <summary>Turns arbitrary text (messages, build output, Dockerfile instructions) into safe GFM. Text outside code
/// is also made inert: GitHub links @mentions, issue references and bare URLs in a comment's text after rendering,
/// so no Markdown escape stops them, and the bot would ping people or cross-reference issues under its own name.</summary>
internal static partial class MarkdownText
{
    /// <summary>A word joiner: invisible, and it breaks the patterns GitHub links.</summary>
    private const string WordJoiner = "\u2060";

    /// <summary>Inline text: one line, Markdown punctuation escaped, pipes escaped so it can stand in a table cell,
    /// mentions, references and URLs made inert.</summary>
    public static string Inline(string text, int maxLength = 500)
    {
        var flat = Inert(Truncate(OneLine(text), maxLength));
        var builder = new StringBuilder(flat.Length + 8);
        for (var i = 0; i < flat.Length; i++)
        {
            var c = flat[i];
            // '&' only matters where it could start an entity reference ("&amp;", "&#35;").
            // '~' would strike text through in GFM.
            if (c is '\\' or '`' or '*' or '_' or '[' or ']' or '<' or '|' or '~'
                || (c == '&' && i + 1 < flat.Length && (char.IsAsciiLetterOrDigit(flat[i + 1]) || flat[i + 1] == '#')))
            {
                builder.Append('\\');
            }

            builder.Append(c);
        }

        return builder.ToString();
    }

    /// <summary>An inline code span for a table cell: pipes escaped, as GFM splits cells on them even inside code spans.</summary>
    public static string CodeCell(string text, int maxLength = 200) => Code(text, maxLength).Replace("|", "\\|", StringComparison.Ordinal);

    /// <summary>An inline code span (outside tables) that survives backticks in the text.</summary>
    public static string Code(string text, int maxLength = 200)
    {
        var flat = Truncate(OneLine(text), maxLength);
        if (flat.Length == 0)
        {
            return "";
        }

        var fence = new string('`', LongestRun(flat, '`') + 1);
        var pad = flat.StartsWith('`') || flat.EndsWith('`') || (flat.StartsWith(' ') && flat.EndsWith(' ')) ? " " : "";
        return fence + pad + flat + pad + fence;
    }

    /// <summary>A fenced code block whose fence no line of <paramref name="lines"/> can close.</summary>
    /// <param name="info">The info string: the language GitHub highlights ("text", "diff", "mermaid").</param>
    public static string FencedBlock(IEnumerable<string> lines, string info = "text")
    {
        var clean = lines.Select(l => Truncate(ControlCharacters().Replace(AnsiEscape().Replace(l, ""), ""), 300)).ToList();
        var fence = new string('`', Math.Max(3, clean.Select(l => LongestRun(l, '`')).DefaultIfEmpty(0).Max() + 1));
        return fence + info + "\n" + string.Concat(clean.Select(l => l + "\n")) + fence;
    }

    /// <summary>Text inside an HTML element such as &lt;summary&gt;, where Markdown is not parsed: one line, HTML-escaped,
    /// mentions, references and URLs made inert.</summary>
    public static string Html(string text, int maxLength = 200)
    {
        var flat = Inert(Truncate(OneLine(text), maxLength));
        return flat
            .Replace("&", "&amp;", StringComparison.Ordinal)
            .Replace("<", "&lt;", StringComparison.Ordinal)
            .Replace(">", "&gt;", StringComparison.Ordinal)
            .Replace("\"", "&quot;", StringComparison.Ordinal);
    }

    /// <summary>A word joiner after every '@' (mentions, teams, e-mail addresses), between '#' or "GH-" and a number
    /// (references, also owner/repo#N), inside "://" and after "www", "mailto" and "xmpp" (autolinks). Code spans
    /// and blocks need none of this: GitHub links nothing inside them.</summary>
    private static string Inert(string text) => Linkable().Replace(text, "$0" + WordJoiner);

    private static string OneLine(string text) =>
        Whitespace().Replace(ControlCharacters().Replace(AnsiEscape().Replace(text, ""), " "), " ").Trim();

    private static string Truncate(string text, int maxLength) =>
        text.Length <= maxLength ? text : text[..(maxLength - 3)].TrimEnd() + "...";

    private static int LongestRun(string text, char c)
    {
        int longest = 0, current = 0;
        foreach (var ch in text)
        {
            current = ch == c ? current + 1 : 0;
            longest = Math.Max(longest, current);
        }

        return longest;
    }

    [GeneratedRegex(@"\x1B\[[0-9;?]*[A-Za-z]")]
    private static partial Regex AnsiEscape();

    /// <summary>Control characters other than tab (newlines included, for one-line text).</summary>
    [GeneratedRegex(@"[\x00-\x08\x0A-\x1F\x7F]")]
    private static partial Regex ControlCharacters();

    [GeneratedRegex(@"@|#(?=[0-9])|\bGH-(?=[0-9])|:(?=//)|\b(?:www(?=\.)|mailto(?=:)|xmpp(?=:))", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex Linkable();

    [GeneratedRegex(@"\s+")]
    private static partial Regex Whitespace();
}
