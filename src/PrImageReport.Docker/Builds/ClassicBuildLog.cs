using System.Text;
using System.Text.RegularExpressions;
using PrImageReport.Core.Comparison;

namespace PrImageReport.Docker.Builds;

/// <summary>
/// Follows the output of the Engine API's build ("Step 3/8 : RUN make" then the step's lines; Podman's Buildah writes
/// "[2/2] STEP 3/5: RUN make", stage then step) and keeps what a failure report needs.
/// </summary>
internal sealed partial class ClassicBuildLog(IProgress<BuildProgress>? progress)
{
    private readonly StringBuilder pending = new();
    private readonly RecentLines recent = new();
    private string? step;

    /// <summary>Takes a chunk of the build's output stream; chunks may end mid-line.</summary>
    public void Append(string text)
    {
        pending.Append(text);
        var content = pending.ToString();
        var end = content.LastIndexOf('\n');
        if (end < 0)
        {
            return;
        }

        pending.Remove(0, end + 1);
        foreach (var line in content[..end].Split('\n'))
        {
            Line(line.TrimEnd('\r'));
        }
    }

    /// <summary>The failure for the error the engine reported, in the stream or as the response to the build request.</summary>
    public BuildFailure Failure(string message)
    {
        if (pending.Length > 0)
        {
            Line(pending.ToString().TrimEnd('\r'));
            pending.Clear();
        }

        var text = message.Trim();
        return new BuildFailure(step ?? BuildLogs.BeforeFirstStep, text, recent.ToList(), BuildLogs.ParseErrorLine(text));
    }

    private void Line(string raw)
    {
        var line = BuildLogs.StripAnsi(raw);
        if (StepHeader().IsMatch(line))
        {
            step = line.Trim();
            progress?.Report(new BuildProgress(step));
        }

        // The builder's own bookkeeping (" ---> 3927f3b26416", "Removing intermediate container ...", Buildah's "--> 32beac42a05") says nothing about a failure.
        if (!line.StartsWith(" ---> ", StringComparison.Ordinal) && !line.StartsWith("Removing intermediate container ", StringComparison.Ordinal)
            && !line.StartsWith("--> ", StringComparison.Ordinal))
        {
            recent.Add(line);
        }
    }

    [GeneratedRegex(@"^(?:Step \d+/\d+ : |(?:\[\d+/\d+\] )?STEP \d+/\d+: )")]
    private static partial Regex StepHeader();
}
