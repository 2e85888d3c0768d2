using System.Globalization;
using System.Text.RegularExpressions;
using PrImageReport.Core.Comparison;
using PrImageReport.Core.Dockerfiles;

namespace PrImageReport.Cli.Pipeline;

/// <summary>
/// Gives a classic build's failure its Dockerfile line, which the builder's log does not print: dockerd's classic builder
/// writes "Step 4/9 : RUN make", Podman's Buildah "[2/2] STEP 3/5: RUN make".
/// </summary>
public static partial class ClassicBuildSteps
{
    /// <summary>The failure with the line of its step, or unchanged when it has a line already or the step cannot be matched with certainty.</summary>
    public static BuildFailure WithLine(BuildFailure failure, DockerfileFacts dockerfile)
    {
        ArgumentNullException.ThrowIfNull(failure);
        ArgumentNullException.ThrowIfNull(dockerfile);
        if (failure.Line is not null || dockerfile.Source is not { } source)
        {
            return failure;
        }

        var stages = source.Stages.Take(dockerfile.FinalStage.Index + 1).ToList();
        Match header;
        List<Instruction> numbered;
        if (StepHeader().Match(failure.Step) is { Success: true } classic)
        {
            // The classic builder numbers every instruction in file order: the global ARGs, then each stage's FROM and
            // instructions, every stage up to the target whether the target needs it or not.
            header = classic;
            numbered = [.. source.GlobalArgs.Concat(stages.SelectMany(s => s.Instructions.Prepend(s.From)))];
        }
        else if (BuildahStepHeader().Match(failure.Step) is { Success: true } buildah)
        {
            // Buildah numbers the stages up to the target ("[2/3]", left out when there is one), and within a stage its FROM and instructions.
            var stage = buildah.Groups["stage"].Success ? Number(buildah, "stage") : 1;
            var count = buildah.Groups["stages"].Success ? Number(buildah, "stages") : 1;
            if (count != stages.Count || stage < 1 || stage > count)
            {
                return failure;
            }

            header = buildah;
            numbered = [.. stages[stage - 1].Instructions.Prepend(stages[stage - 1].From)];
        }
        else
        {
            return failure;
        }

        var number = Number(header, "number");
        var total = Number(header, "total");

        // A count that differs means the builder read the file differently from the parser: no line beats a wrong one.
        if (total != numbered.Count || number < 1 || number > total)
        {
            return failure;
        }

        var instruction = numbered[number - 1];
        return string.Equals(instruction.Keyword, header.Groups["keyword"].Value, StringComparison.OrdinalIgnoreCase)
            ? failure with { Line = instruction.StartLine }
            : failure;
    }

    /// <summary>The group's number; -1 (never a step) when it does not fit an int.</summary>
    private static int Number(Match header, string group) =>
        int.TryParse(header.Groups[group].Value, NumberStyles.None, CultureInfo.InvariantCulture, out var value) ? value : -1;

    [GeneratedRegex(@"^Step (?<number>\d+)/(?<total>\d+) : (?<keyword>\S+)")]
    private static partial Regex StepHeader();

    [GeneratedRegex(@"^(?:\[(?<stage>\d+)/(?<stages>\d+)\] )?STEP (?<number>\d+)/(?<total>\d+): (?<keyword>\S+)")]
    private static partial Regex BuildahStepHeader();
}
