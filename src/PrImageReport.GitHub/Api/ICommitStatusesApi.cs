namespace PrImageReport.GitHub.Api;

public enum CommitStatusState { Success, Failure, Error, Pending }

/// <param name="Description">At most 140 characters (GitHub's limit).</param>
/// <param name="Context">The label that tells this status apart from other checks on the commit.</param>
public sealed record CommitStatusRequest(CommitStatusState State, string? Description, Uri? TargetUrl, string Context);

/// <summary>The commit-statuses area of the GitHub REST API. Failures throw <see cref="GitHubApiException"/>.</summary>
public interface ICommitStatusesApi
{
    /// <summary>POST /repos/{owner}/{repo}/statuses/{sha}; returns the new status's id.</summary>
    Task<long> CreateAsync(string owner, string name, string sha, CommitStatusRequest status, CancellationToken ct);
}
