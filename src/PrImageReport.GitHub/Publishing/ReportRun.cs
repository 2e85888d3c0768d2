using System.Globalization;

namespace PrImageReport.GitHub.Publishing;

/// <summary>The run a report comes from: the head commit it describes and the workflow run that made it.</summary>
/// <param name="HeadSha">The pull request's head commit the report describes, 40 (or 64) hex digits.</param>
/// <param name="Number">GITHUB_RUN_NUMBER of the workflow that built the report; null outside GitHub Actions.</param>
/// <param name="Attempt">GITHUB_RUN_ATTEMPT: 1, then one more for each re-run of the same run.</param>
public sealed record ReportRun(string HeadSha, long? Number = null, int? Attempt = null)
{
    public string ShortSha => HeadSha.Length > 7 ? HeadSha[..7] : HeadSha;

    /// <summary>Whether this run came after <paramref name="other"/>: a higher run number, or the same run re-run
    /// more times. Run numbers only grow within one workflow, and one report key belongs to one workflow; without
    /// both numbers the order is unknown and the answer is false.</summary>
    public bool IsNewerThan(ReportRun other) =>
        Number is { } mine && other.Number is { } theirs
        && (mine != theirs ? mine > theirs : (Attempt ?? 1) > (other.Attempt ?? 1));

    /// <summary>"run 12" or "run 12, attempt 2"; "" without a run number.</summary>
    public string Describe() => Number switch
    {
        null => "",
        { } n when Attempt is > 1 => string.Create(CultureInfo.InvariantCulture, $"run {n}, attempt {Attempt}"),
        { } n => string.Create(CultureInfo.InvariantCulture, $"run {n}"),
    };
}
