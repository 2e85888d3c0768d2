using System.Globalization;
using System.Text.RegularExpressions;
using PrImageReport.Core.Comparison;
using PrImageReport.Docker.Endpoints;

namespace PrImageReport.Docker.Builds;

/// <summary>
/// Follows <c>docker build --progress=plain</c> output with BuildKit, in the format of the engine's own BuildKit
/// (docker 20.10) and of buildx: "#7 [builder 2/4] RUN make" opens a step, "#7 0.412 text" is its output,
/// "#7 ERROR: message" ends it badly, and a failure is summed up after the steps (buildx adds "Dockerfile:12").
/// </summary>
internal sealed partial class BuildKitLog(IProgress<BuildProgress>? progress)
{
    private readonly Dictionary<string, string> steps = new(StringComparer.Ordinal);
    private readonly Dictionary<string, RecentLines> stepOutput = new(StringComparer.Ordinal);
    private readonly RecentLines recent = new();
    private string? failedId;
    private string? stepError;
    private string? lastLine;
    private string? previousLine;
    private int? dockerfileLine;

    /// <summary>The CLI's line saying it could not reach the engine, when it printed one.</summary>
    public string? UnreachableEngine { get; private set; }

    /// <summary>The engine's refusal of the CLI's API version, when it printed one.</summary>
    public (string Client, string Minimum)? RefusedApi { get; private set; }

    public void Add(string rawLine)
    {
        var line = BuildLogs.StripAnsi(rawLine.TrimEnd('\r'));
        recent.Add(line);
        if (!string.IsNullOrWhiteSpace(line))
        {
            lastLine = line;
        }

        if (line.StartsWith("Cannot connect to the Docker daemon", StringComparison.Ordinal) || line.StartsWith("error during connect", StringComparison.Ordinal))
        {
            UnreachableEngine = line;
        }

        RefusedApi ??= EngineErrors.RefusedApi(line);

        if (SourceExcerptRule().IsMatch(line) && previousLine is not null && SourceLocation().Match(previousLine) is { Success: true } location)
        {
            dockerfileLine ??= int.Parse(location.Groups["line"].Value, CultureInfo.InvariantCulture);
        }

        previousLine = line;
        if (StepLine().Match(line) is not { Success: true } m)
        {
            return;
        }

        var id = m.Groups["id"].Value;
        var rest = m.Groups["rest"].Value;
        if (!steps.ContainsKey(id))
        {
            steps[id] = rest;
            progress?.Report(new BuildProgress($"#{id} {rest}"));
        }
        else if (rest.StartsWith("ERROR: ", StringComparison.Ordinal))
        {
            failedId ??= id;
            stepError ??= rest["ERROR: ".Length..].Trim();
        }
        else if (OutputLine().Match(rest) is { Success: true } output)
        {
            if (!stepOutput.TryGetValue(id, out var lines))
            {
                stepOutput[id] = lines = new RecentLines();
            }

            lines.Add(output.Groups["text"].Value);
        }
    }

    /// <summary>The failure of a build whose CLI exited with <paramref name="exitCode"/>.</summary>
    public BuildFailure Failure(int exitCode)
    {
        var message = stepError ?? StripErrorPrefix(lastLine) ?? $"docker build exited with code {exitCode} and printed nothing";
        var lastLines = failedId is not null && stepOutput.TryGetValue(failedId, out var output) && !output.IsEmpty ? output.ToList() : recent.ToList();
        var step = failedId is null ? BuildLogs.BeforeFirstStep : steps[failedId];
        return new BuildFailure(step, message, lastLines, dockerfileLine ?? BuildLogs.ParseErrorLine(message));
    }

    private static string? StripErrorPrefix(string? line) =>
        line is null ? null : line.StartsWith("ERROR: ", StringComparison.Ordinal) ? line["ERROR: ".Length..].Trim() : line.Trim();

    [GeneratedRegex(@"^#(?<id>\d+) (?<rest>.*)$")]
    private static partial Regex StepLine();

    [GeneratedRegex(@"^\d+\.\d+(?: (?<text>.*))?$")]
    private static partial Regex OutputLine();

    /// <summary>buildx prints the failing Dockerfile's name and line, then the excerpt between dashed rules.</summary>
    [GeneratedRegex(@"^(?<file>[^\s:]+):(?<line>\d+)$")]
    private static partial Regex SourceLocation();

    [GeneratedRegex(@"^-{20}$")]
    private static partial Regex SourceExcerptRule();
}
