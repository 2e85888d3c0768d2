using Octokit;

namespace PrImageReport.GitHub.Api;

internal sealed class CommitStatusesApi(IConnection connection, GitHubCall call) : ICommitStatusesApi
{
    public const int MaxDescriptionLength = 140;

    public async Task<long> CreateAsync(string owner, string name, string sha, CommitStatusRequest status, CancellationToken ct)
    {
        RepositoryNames.Check(owner, name);
        RepositoryNames.CheckSha(sha);
        ArgumentNullException.ThrowIfNull(status);
        if (status.Description is { Length: > MaxDescriptionLength })
        {
            throw new ArgumentException($"The status description has {status.Description.Length} characters; GitHub allows {MaxDescriptionLength}", nameof(status));
        }
        if (string.IsNullOrWhiteSpace(status.Context))
        {
            throw new ArgumentException("The status context is empty: name the check, e.g. pr-image-report", nameof(status));
        }

        var body = new StatusBody(
            status.State switch
            {
                CommitStatusState.Success => "success",
                CommitStatusState.Failure => "failure",
                CommitStatusState.Error => "error",
                CommitStatusState.Pending => "pending",
                _ => throw new ArgumentOutOfRangeException(nameof(status), status.State, "unknown commit status state"),
            },
            status.TargetUrl?.AbsoluteUri,
            status.Description,
            status.Context);
        var response = await call.SendAsync(
            () => connection.Post<CommitStatus>(ApiUrls.CreateCommitStatus(owner, name, sha), body, GitHubApi.AcceptJson, "application/json", GitHubApi.NoParameters, ct),
            $"setting the {status.Context} status on {owner}/{name}@{sha[..7]}",
            ct).ConfigureAwait(false);
        return response.Body.Id;
    }

    sealed record StatusBody(string State, string? TargetUrl, string? Description, string Context);
}
