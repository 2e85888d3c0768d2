using System.Globalization;
using System.Text.RegularExpressions;
using PrImageReport.Core.Comparison;
using PrImageReport.Core.Dockerfiles;

namespace PrImageReport.Cli.Pipeline;

/// <summary>Gives a classic build's failure its Dockerfile line, which the classic builder's log does not print ("Step 4/9 : RUN make").</summary>
public static partial class ClassicBuildSteps
{
    /// <summary>The failure with the line of its step, or unchanged when it has a line already or the step cannot be matched with certainty.</summary>
    public static BuildFailure WithLine(BuildFailure failure, DockerfileFacts dockerfile)
    {
        ArgumentNullException.ThrowIfNull(failure);
        ArgumentNullException.ThrowIfNull(dockerfile);
        if (failure.Line is not null
            || dockerfile.Source is not { } source
            || StepHeader().Match(failure.Step) is not { Success: true } header
            || !int.TryParse(header.Groups["number"].Value, NumberStyles.None, CultureInfo.InvariantCulture, out var number)
            || !int.TryParse(header.Groups["total"].Value, NumberStyles.None, CultureInfo.InvariantCulture, out var total))
        {
            return failure;
        }

        // The classic builder numbers every instruction in file order: the global ARGs, then each stage's FROM and
        // instructions, every stage up to the target whether the target needs it or not.
        var numbered = source.GlobalArgs
            .Concat(source.Stages.Take(dockerfile.FinalStage.Index + 1).SelectMany(s => s.Instructions.Prepend(s.From)))
            .ToList();

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

    [GeneratedRegex(@"^Step (?<number>\d+)/(?<total>\d+) : (?<keyword>\S+)")]
    private static partial Regex StepHeader();
}
