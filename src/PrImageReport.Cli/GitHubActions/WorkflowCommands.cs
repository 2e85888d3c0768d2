using System.Text;

namespace PrImageReport.Cli.GitHubActions;

/// <summary>Talks to the GitHub runner: workflow commands on standard output, and the output and summary files.</summary>
public sealed class WorkflowCommands(TextWriter output, string? outputFile, string? summaryFile)
{
    /// <summary>Makes the runner replace <paramref name="secret"/> with *** in every log line after this one.</summary>
    public void AddMask(string secret) => output.WriteLine($"::add-mask::{EscapeData(secret)}");

    public void Error(string message, string? file = null, int? line = null, string? title = null) => Annotation("error", message, file, line, title);

    public void Warning(string message, string? file = null, int? line = null, string? title = null) => Annotation("warning", message, file, line, title);

    public void Notice(string message) => Annotation("notice", message, null, null, null);

    public async Task SetOutputAsync(string name, string value, CancellationToken ct)
    {
        if (outputFile is null)
        {
            return;
        }

        // The heredoc form is safe for any value, newlines included.
        var delimiter = $"pr_image_report_{Guid.NewGuid():N}";
        await File.AppendAllTextAsync(outputFile, $"{name}<<{delimiter}\n{value}\n{delimiter}\n", ct).ConfigureAwait(false);
    }

    public async Task AppendSummaryAsync(string markdown, CancellationToken ct)
    {
        if (summaryFile is not null)
        {
            await File.AppendAllTextAsync(summaryFile, markdown.EndsWith('\n') ? markdown : markdown + "\n", ct).ConfigureAwait(false);
        }
    }

    private void Annotation(string kind, string message, string? file, int? line, string? title)
    {
        var properties = new List<string>();
        if (file is not null)
        {
            properties.Add($"file={EscapeProperty(file)}");
        }

        if (line is not null)
        {
            properties.Add($"line={line}");
        }

        if (title is not null)
        {
            properties.Add($"title={EscapeProperty(title)}");
        }

        var head = properties.Count == 0 ? $"::{kind}" : $"::{kind} {string.Join(',', properties)}";
        output.WriteLine($"{head}::{EscapeData(message)}");
    }

    // The runner's own escaping rules (actions/toolkit command.ts).
    private static string EscapeData(string value) =>
        new StringBuilder(value).Replace("%", "%25").Replace("\r", "%0D").Replace("\n", "%0A").ToString();

    private static string EscapeProperty(string value) =>
        new StringBuilder(EscapeData(value)).Replace(":", "%3A").Replace(",", "%2C").ToString();
}
