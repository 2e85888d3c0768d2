namespace PrImageReport.Core.Comparison;

public enum Severity { Notice, Warning, Error }

public enum Verdict { Pass, Warn, Fail }

/// <summary>One thing the comparison found, with the evidence in its message.</summary>
/// <param name="Rule">Stable rule id, e.g. "fat-base-image".</param>
/// <param name="Message">One line naming the evidence.</param>
/// <param name="Fix">What to do instead, or null.</param>
/// <param name="Line">The head Dockerfile's line behind the finding, when one is known.</param>
/// <param name="Suggestion">The change to make, as a unified-diff snippet against the head Dockerfile, or null.</param>
public sealed record Finding(string Rule, Severity Severity, string Message, string? Fix = null, int? Line = null, string? Suggestion = null);

public static class Verdicts
{
    public static Verdict Of(IEnumerable<Finding> findings)
    {
        var worst = findings.Select(f => (Severity?)f.Severity).DefaultIfEmpty(null).Max();
        return worst switch
        {
            Severity.Error => Verdict.Fail,
            Severity.Warning => Verdict.Warn,
            _ => Verdict.Pass,
        };
    }

    public static Verdict Worst(IEnumerable<Verdict> verdicts) => verdicts.DefaultIfEmpty(Verdict.Pass).Max();
}
