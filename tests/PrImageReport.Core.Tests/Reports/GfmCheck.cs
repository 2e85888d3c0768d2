using System.Text.RegularExpressions;
using Markdig;
using Markdig.Extensions.Tables;
using Markdig.Syntax;
using Markdig.Syntax.Inlines;
using PrImageReport.Core.Reports;

namespace PrImageReport.Core.Tests.Reports;

/// <summary>
/// Parses a report as GitHub does (CommonMark with the GFM extensions) and checks what would break a PR comment:
/// a table that did not parse or has ragged rows, an unbalanced &lt;details&gt;, an unclosed code fence, raw HTML
/// that came from the data rather than the template, a report over the comment limit.
/// </summary>
internal static partial class GfmCheck
{
    public static readonly MarkdownPipeline Gfm = new MarkdownPipelineBuilder().UseAdvancedExtensions().Build();

    /// <summary>GitHub rejects a comment longer than this.</summary>
    public const int GitHubCommentLimit = 65_536;

    public static MarkdownDocument AssertWellFormed(string markdown)
    {
        Assert.True(markdown.Length <= MarkdownReportRenderer.MaxLength, $"{markdown.Length} characters, over {MarkdownReportRenderer.MaxLength}");
        Assert.True(markdown.Length < GitHubCommentLimit, $"{markdown.Length} characters, over GitHub's comment limit");
        var document = Markdown.Parse(markdown, Gfm);

        // Every delimiter row the template wrote must have become a table.
        var tables = document.Descendants<Table>().ToList();
        Assert.Equal(markdown.Split('\n').Count(l => DelimiterRow().IsMatch(l)), tables.Count);
        Assert.All(tables, AssertRectangular);

        Assert.All(document.Descendants<FencedCodeBlock>(), code => Assert.True(
            code.ClosingFencedCharCount >= code.OpeningFencedCharCount,
            $"the code block at line {code.Line + 1} is not closed"));

        var depth = 0;
        foreach (var html in document.Descendants<HtmlBlock>())
        {
            var lines = html.Lines.Lines.Take(html.Lines.Count).Select(l => l.ToString()).ToList();
            Assert.True(
                lines.Count == 1 && lines[0] == "</details>" || lines.Count == 2 && lines[0] == "<details>" && Summary().IsMatch(lines[1]),
                $"unexpected HTML at line {html.Line + 1}: {string.Join("\\n", lines)}");
            depth += lines[0] == "<details>" ? 1 : -1;
            Assert.InRange(depth, 0, 1);
        }

        Assert.Equal(0, depth);
        Assert.Empty(document.Descendants<HtmlInline>());
        Assert.Empty(document.Descendants<AutolinkInline>());
        return document;
    }

    public static void AssertRectangular(Table table)
    {
        var header = (TableRow)table[0];
        Assert.True(header.IsHeader);
        Assert.All(table.Cast<TableRow>(), row => Assert.Equal(header.Count, row.Count));
    }

    /// <summary>A cell's text with code spans in backticks, as a reader sees it.</summary>
    public static string CellText(TableCell cell)
    {
        var paragraph = (ParagraphBlock)cell[0];
        return string.Concat(paragraph.Inline!.Descendants<LeafInline>().Select(i => i switch
        {
            // GitHub (cmark-gfm) unescapes "\|" in a table cell's code span; Markdig keeps the backslash.
            CodeInline code => "`" + code.Content.Replace("\\|", "|", StringComparison.Ordinal) + "`",
            LiteralInline literal => literal.Content.ToString(),
            _ => "",
        }));
    }

    /// <summary>The rows of the table whose header's first cell reads <paramref name="firstHeader"/>, header left out.</summary>
    public static List<TableRow> Rows(MarkdownDocument document, string firstHeader) =>
        document.Descendants<Table>()
            .Single(t => CellText((TableCell)((TableRow)t[0])[0]) == firstHeader)
            .Skip(1).Cast<TableRow>().ToList();

    [GeneratedRegex(@"^\| *:?-{3,}:? *\|")]
    private static partial Regex DelimiterRow();

    /// <summary>The summary line as the template writes it: text only, nothing that could open a tag.</summary>
    [GeneratedRegex(@"^<summary>[^<>]+</summary>$")]
    private static partial Regex Summary();
}
