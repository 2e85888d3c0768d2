using System.Globalization;
using PrImageReport.Core.Comparison;
using PrImageReport.Core.Reports;
using PrImageReport.GitHub;
using PrImageReport.GitHub.Api;
using PrImageReport.GitHub.Publishing;

namespace PrImageReport.Cli.GitHubActions;

/// <summary>Where a report goes on GitHub: which pull request, which comment key, which status context, and the run
/// (head commit, run number) the report comes from.</summary>
public sealed record PublishTarget(string Owner, string Repository, int PullRequest, ReportRun Run, string ReportKey, string StatusContext, Uri? RunUrl);

/// <summary>Posts a report as the sticky PR comment and the commit status; what could not be posted comes back as
/// notices. The status is set whatever became of the comment: it is what a required check reads.</summary>
public static class ReportPublisher
{
    public static async Task<IReadOnlyList<string>> PublishAsync(
        GitHubApi api, PublishTarget target, ComparisonReport report, string markdown, bool comment, FailOn failOn, CancellationToken ct)
    {
        var notices = new List<string>();
        if (comment)
        {
            try
            {
                var posted = await new StickyCommentPublisher(api.IssueComments, api.Users)
                    .PublishAsync(target.Owner, target.Repository, target.PullRequest, target.ReportKey, target.Run, markdown, ct).ConfigureAwait(false);
                if (posted.Notice is { } notice)
                {
                    notices.Add(notice);
                }
            }
            catch (GitHubApiException e)
            {
                notices.Add($"Report comment not posted: {e.Message.TrimEnd('.')}.");
            }
        }

        var state = FailsCheck(report.Verdict, failOn) ? CommitStatusState.Failure : CommitStatusState.Success;
        var status = await new CommitStatusPublisher(api.CommitStatuses)
            .SetStatusAsync(target.Owner, target.Repository, target.Run.HeadSha, state, Describe(report), target.RunUrl, target.StatusContext, ct).ConfigureAwait(false);
        if (status.Notice is { } statusNotice)
        {
            notices.Add(statusNotice);
        }

        return notices;
    }

    public static bool FailsCheck(Verdict verdict, FailOn failOn) => failOn switch
    {
        FailOn.Never => false,
        FailOn.Warning => verdict is Verdict.Fail or Verdict.Warn,
        _ => verdict is Verdict.Fail,
    };

    /// <summary>The status line: verdict, size change and finding counts, e.g. "fail: +352.1 MB (+147.7%), 4 errors".</summary>
    public static string Describe(ComparisonReport report)
    {
        var parts = new List<string>();
        var deltas = report.Images.Select(i => i.SizeDeltaBytes).OfType<long>().ToList();
        if (deltas.Count > 0)
        {
            var before = report.Images.Where(i => i.SizeDeltaBytes is not null).Sum(i => i.Base!.Image!.SizeBytes);
            parts.Add(SizeText.FormatChange(before, before + deltas.Sum()));
        }

        var findings = report.Images.SelectMany(i => i.Findings).ToList();
        foreach (var (severity, word) in new[] { (Severity.Error, "error"), (Severity.Warning, "warning") })
        {
            var count = findings.Count(f => f.Severity == severity);
            if (count > 0)
            {
                parts.Add(string.Create(CultureInfo.InvariantCulture, $"{count} {word}{(count == 1 ? "" : "s")}"));
            }
        }

        var verdict = report.Verdict.ToString().ToLowerInvariant();
        return parts.Count == 0 ? verdict : $"{verdict}: {string.Join(", ", parts)}";
    }
}
