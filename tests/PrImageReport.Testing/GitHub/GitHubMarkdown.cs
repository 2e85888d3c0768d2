using System.Net;
using System.Text.RegularExpressions;
using Markdig;
using Markdig.Syntax;
using Markdig.Syntax.Inlines;
using Xunit;

namespace PrImageReport.Testing.GitHub;

/// <summary>What GitHub would turn into a notification or a link in a comment. GitHub renders GFM (Markdig with the
/// advanced extensions stands in for it here), then runs its mention, issue-reference and autolink filters over the
/// HTML's text outside code, pre and links: backslash escapes and entities are already gone by then.</summary>
public static partial class GitHubMarkdown
{
    static readonly MarkdownPipeline Gfm = new MarkdownPipelineBuilder().UseAdvancedExtensions().Build();

    /// <summary>Fails when <paramref name="markdown"/> has a link or image, or text that GitHub's filters would make
    /// a mention (@user, @org/team, an e-mail), a reference (#1, owner/repo#1, GH-1) or an autolinked URL.</summary>
    public static void AssertInert(string markdown)
    {
        var html = Markdown.ToHtml(markdown, Gfm);
        Assert.DoesNotContain("<a ", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("<img ", html, StringComparison.OrdinalIgnoreCase);
        var document = Markdown.Parse(markdown, Gfm);
        Assert.Empty(document.Descendants<LinkInline>());
        Assert.Empty(document.Descendants<AutolinkInline>());
        var texts = document.Descendants<LiteralInline>().Select(l => l.Content.ToString())
            .Concat(document.Descendants<HtmlBlock>().Select(h => WebUtility.HtmlDecode(Tag().Replace(h.Lines.ToString(), " "))));
        foreach (var text in texts)
        {
            Assert.False(Live().IsMatch(text), $"GitHub would link or notify from this text: {text}");
        }
    }

    /// <summary>The text as a reader sees it: without the invisible word joiners that keep it inert.</summary>
    public static string Visible(string text) => text.Replace("\u2060", "", StringComparison.Ordinal);

    [GeneratedRegex("<[^>]*>")]
    private static partial Regex Tag();

    [GeneratedRegex(@"@[A-Za-z0-9]|#[0-9]|\bGH-[0-9]|://|\bwww\.", RegexOptions.IgnoreCase)]
    private static partial Regex Live();
}
