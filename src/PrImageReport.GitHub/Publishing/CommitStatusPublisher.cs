using PrImageReport.GitHub.Api;

namespace PrImageReport.GitHub.Publishing;

/// <summary>What setting the commit status did.</summary>
/// <param name="Notice">Why the status was not set, as one line for the job log; null when set.</param>
public sealed record StatusResult(bool Posted, string? Notice);

/// <summary>Sets the tool's commit status on the pull request's head commit.</summary>
public sealed class CommitStatusPublisher(ICommitStatusesApi statuses, RetryPolicy? retry = null)
{
    public const string DefaultContext = "pr-image-report";

    readonly ICommitStatusesApi statuses = statuses ?? throw new ArgumentNullException(nameof(statuses));
    readonly RetryPolicy retry = retry ?? RetryPolicy.Default;

    /// <summary>Sets the status. A description over GitHub's 140 characters is shortened with an ellipsis. 403 and
    /// 404 give a not-posted result; other failures throw <see cref="GitHubApiException"/>.</summary>
    public async Task<StatusResult> SetStatusAsync(
        string owner,
        string name,
        string sha,
        CommitStatusState state,
        string description,
        Uri? targetUrl = null,
        string context = DefaultContext,
        CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(description);
        var request = new CommitStatusRequest(state, Shorten(description), targetUrl, context);
        try
        {
            await Retrying.RunAsync(retry, attemptCt => statuses.CreateAsync(owner, name, sha, request, attemptCt), ct).ConfigureAwait(false);
            return new StatusResult(true, null);
        }
        catch (GitHubApiException e) when (e.Kind == GitHubFailureKind.NoAccess)
        {
            return new StatusResult(false, Notices.NotPosted("Commit status not set", e));
        }
    }

    static string Shorten(string description) =>
        description.Length <= CommitStatusesApi.MaxDescriptionLength
            ? description
            : description[..(CommitStatusesApi.MaxDescriptionLength - 1)].TrimEnd() + "…";
}
