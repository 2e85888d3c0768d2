using System.Text;
using System.Text.Json;
using PrImageReport.Core.Comparison;
using PrImageReport.Core.Reports;
using PrImageReport.Testing;
using Xunit.Sdk;

namespace PrImageReport.Cli.IntegrationTests.Infrastructure;

/// <summary>
/// One run of <c>pr-image-report compare</c> as a real process, with the Markdown (--output) and JSON (--json)
/// reports it wrote, read back: the JSON both as written (<see cref="Json"/>) and as the report model (<see cref="Report"/>).
/// </summary>
internal sealed class CompareRun
{
    private CompareRun(ProcessResult process, string? markdown, string? jsonText, ComparisonReport? report, IReadOnlyList<string> temporaryLeftovers)
    {
        Process = process;
        TemporaryLeftovers = temporaryLeftovers;
        Markdown = markdown;
        JsonText = jsonText;
        Report = report;
    }

    public ProcessResult Process { get; }

    public int ExitCode => Process.ExitCode;

    public string? Markdown { get; }

    public string? JsonText { get; }

    public ComparisonReport? Report { get; }

    /// <summary>What the process left in its own temporary folder (TMPDIR), relative to it.</summary>
    public IReadOnlyList<string> TemporaryLeftovers { get; }

    /// <summary>The JSON report's root; fails the test when the run wrote none.</summary>
    public JsonElement Json => JsonDocument.Parse(JsonText ?? throw Failure("no JSON report was written")).RootElement;

    /// <summary>The report's only image; fails the test when there is not exactly one.</summary>
    public ImageComparison Image
    {
        get
        {
            var report = Report ?? throw Failure("no JSON report was written");
            return report.Images.Count == 1 ? report.Images[0] : throw Failure($"expected one image in the report, found {report.Images.Count}");
        }
    }

    /// <summary>
    /// Runs compare with <paramref name="arguments"/> plus --json, --output and --no-color into a scratch folder, which is
    /// also its working directory; its TMPDIR is a folder of its own, so what it leaves there can be checked.
    /// </summary>
    public static async Task<CompareRun> RunAsync(IEnumerable<string> arguments, IReadOnlyDictionary<string, string?>? environment = null)
    {
        using var output = new TempDirectory("pr-image-report-out-");
        var jsonPath = output.Combine("report.json");
        var markdownPath = output.Combine("report.md");
        var temporary = output.CreateDirectory("tmp");
        var variables = new Dictionary<string, string?>(environment ?? new Dictionary<string, string?>(), StringComparer.Ordinal)
        {
            ["TMPDIR"] = temporary,
        };
        var process = await CliTool.RunAsync(
            ["compare", .. arguments, "--json", jsonPath, "--output", markdownPath, "--no-color"], output.Path, variables).ConfigureAwait(false);
        var leftovers = Directory.EnumerateFileSystemEntries(temporary, "*", SearchOption.AllDirectories)
            .Select(entry => Path.GetRelativePath(temporary, entry))
            .ToList();

        var markdown = File.Exists(markdownPath) ? await File.ReadAllTextAsync(markdownPath).ConfigureAwait(false) : null;
        string? jsonText = null;
        ComparisonReport? report = null;
        if (File.Exists(jsonPath))
        {
            jsonText = await File.ReadAllTextAsync(jsonPath).ConfigureAwait(false);
            await using var json = File.OpenRead(jsonPath);
            report = await JsonReportReader.ReadAsync(json, jsonPath, CancellationToken.None).ConfigureAwait(false);
        }

        return new CompareRun(process, markdown, jsonText, report, leftovers);
    }

    public void AssertExitCode(int expected)
    {
        if (ExitCode != expected)
        {
            throw Failure($"expected exit code {expected}, got {ExitCode}");
        }
    }

    /// <summary>Fails unless the only image has a finding of <paramref name="rule"/> with <paramref name="severity"/>.</summary>
    public Finding AssertFinding(string rule, Severity severity) =>
        Image.Findings.FirstOrDefault(f => f.Rule == rule && f.Severity == severity)
        ?? throw Failure($"expected a {severity} finding of rule {rule}");

    /// <summary>Fails unless <paramref name="text"/> is in the Markdown report.</summary>
    public void AssertMarkdownContains(string text)
    {
        if (Markdown is null || !Markdown.Contains(text, StringComparison.Ordinal))
        {
            throw Failure($"expected the Markdown report to contain \"{text}\"");
        }
    }

    /// <summary>Fails unless standard error is exactly one line, and returns it.</summary>
    public string AssertOneLineError()
    {
        var lines = Process.StandardError.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        return lines.Length == 1 ? lines[0] : throw Failure($"expected one line on standard error, got {lines.Length}");
    }

    /// <summary>Fails unless the process removed everything it put in its temporary folder (the exported source trees).</summary>
    public void AssertNoTemporaryLeftovers()
    {
        if (TemporaryLeftovers.Count > 0)
        {
            throw Failure($"the run left {TemporaryLeftovers.Count} entries in its temporary folder: {string.Join(", ", TemporaryLeftovers.Take(10))}");
        }
    }

    /// <summary>A test failure that shows everything the run printed and wrote.</summary>
    public XunitException Failure(string what)
    {
        var text = new StringBuilder(what).Append('\n').Append(Process.Describe());
        if (Report is not null)
        {
            text.Append("\n--- findings ---\n");
            foreach (var image in Report.Images)
            {
                foreach (var finding in image.Findings)
                {
                    text.Append(image.Dockerfile).Append(": ").Append(finding.Severity).Append(' ').Append(finding.Rule).Append(": ").Append(finding.Message).Append('\n');
                }
            }
        }

        text.Append("\n--- markdown ---\n").Append(Markdown ?? "(none written)");
        return new XunitException(text.ToString());
    }
}
