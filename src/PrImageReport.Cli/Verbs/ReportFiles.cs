using PrImageReport.Core.Comparison;
using PrImageReport.Core.Reports;

namespace PrImageReport.Cli.Verbs;

/// <summary>Writes the Markdown report (to a file or standard output) and the JSON result.</summary>
public static class ReportFiles
{
    public static async Task WriteAsync(ComparisonReport report, ReportTemplate template, string? markdownPath, string? jsonPath, TextWriter output, CancellationToken ct)
    {
        var markdown = MarkdownReportRenderer.Render(report, template);
        if (markdownPath is null)
        {
            await output.WriteAsync(markdown).ConfigureAwait(false);
        }
        else
        {
            await File.WriteAllTextAsync(markdownPath, markdown, ct).ConfigureAwait(false);
        }

        if (jsonPath is not null)
        {
            await using var json = File.Create(jsonPath);
            await JsonReportWriter.WriteAsync(report, json, ct).ConfigureAwait(false);
        }
    }
}
