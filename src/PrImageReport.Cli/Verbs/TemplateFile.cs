using PrImageReport.Core.Reports;

namespace PrImageReport.Cli.Verbs;

/// <summary>The report template a user names with --template (or the action's template input).</summary>
public static class TemplateFile
{
    /// <param name="path">The file as the user named it; null for the built-in template.</param>
    /// <param name="option">How the user named it, for the message: "--template" or the action input "template".</param>
    /// <param name="folder">The folder a relative <paramref name="path"/> is in (the action's workspace); null for the working directory.</param>
    /// <exception cref="ReportTemplateException">The file does not parse; the message names it and the line.</exception>
    public static async Task<ReportTemplate> LoadAsync(string? path, string option, string? folder, CancellationToken ct)
    {
        if (path is null)
        {
            return ReportTemplate.Default;
        }

        var file = folder is null ? path : Path.Combine(folder, path);
        if (!File.Exists(file))
        {
            throw new UsageException($"{option} {path}: no such file; give the path of a Scriban template (docs/report-template.md shows the built-in one to start from)");
        }

        var text = await File.ReadAllTextAsync(file, ct).ConfigureAwait(false);
        return ReportTemplate.Parse(text, path);
    }
}
