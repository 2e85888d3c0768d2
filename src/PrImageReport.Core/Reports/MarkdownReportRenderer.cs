using PrImageReport.Core.Comparison;
using Scriban;
using Scriban.Syntax;

namespace PrImageReport.Core.Reports;

/// <summary>Renders a <see cref="ComparisonReport"/> as one GitHub-flavoured Markdown comment.</summary>
public static class MarkdownReportRenderer
{
    /// <summary>
    /// The longest report rendered: GitHub rejects comments over 65,536 characters, and the adapter that posts
    /// the comment adds a marker of its own.
    /// </summary>
    public const int MaxLength = 60_000;

    public static string Render(ComparisonReport report) => Render(report, ReportTemplate.Default);

    /// <summary>
    /// Renders with <paramref name="template"/>. A report too long for a comment is rendered again compact (the
    /// template leaves out the collapsible sections, charts and build logs), then with the most severe images only.
    /// </summary>
    public static string Render(ComparisonReport report, ReportTemplate template)
    {
        ArgumentNullException.ThrowIfNull(report);
        ArgumentNullException.ThrowIfNull(template);

        var full = RenderModel(template, report, report.Images, compact: false);
        if (full.Length <= MaxLength)
        {
            return full;
        }

        // Keep the most severe images when some must go, but show the kept ones in the report's order.
        var bySeverity = report.Images
            .Select((image, index) => (image, index))
            .OrderByDescending(p => p.image.Verdict)
            .ToList();
        // Every image kept lengthens the output, so a binary search finds the most that fit.
        string? best = null;
        int low = 0, high = bySeverity.Count;
        while (low <= high)
        {
            var keep = (low + high + 1) / 2;
            var shown = bySeverity.Take(keep).OrderBy(p => p.index).Select(p => p.image).ToList();
            var compact = RenderModel(template, report, shown, compact: true);
            if (compact.Length <= MaxLength)
            {
                best = compact;
                low = keep + 1;
            }
            else
            {
                high = keep - 1;
            }
        }

        if (best is not null)
        {
            return best;
        }

        throw new ReportTemplateException($"{template.Name}: even the verdict alone renders longer than {MaxLength} characters; shorten the template.");
    }

    private static string RenderModel(ReportTemplate template, ComparisonReport report, IReadOnlyList<ImageComparison> shown, bool compact)
    {
        var context = new TemplateContext
        {
            NewLine = "\n",
            StrictVariables = true,
            // Scriban counts nested iterations together; allow a generous budget per image, but still stop a runaway custom template.
            LoopLimit = 10_000 + (100 * shown.Count),
        };
        context.PushGlobal(ReportModel.Build(report, shown, compact));
        try
        {
            return template.Compiled.Render(context);
        }
        catch (ScriptRuntimeException e)
        {
            throw new ReportTemplateException(
                ReportTemplate.At(template.Name, e.Span.Start.Line, e.OriginalMessage, "fix the template on that line (docs/report-template.md lists the variables it receives)"),
                e);
        }
    }
}
