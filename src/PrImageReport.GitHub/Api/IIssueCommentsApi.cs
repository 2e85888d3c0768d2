namespace PrImageReport.GitHub.Api;

/// <summary>A comment in a pull request's conversation (GitHub models these as issue comments).</summary>
/// <param name="Author">Who wrote it; null when GitHub names no user (a deleted account).</param>
public sealed record IssueCommentInfo(long Id, string Body, Uri? HtmlUrl, GitHubAccount? Author);

/// <summary>One page of a pull request's comments, oldest first.</summary>
/// <param name="HasNextPage">GitHub's Link header named a next page.</param>
public sealed record IssueCommentPage(IReadOnlyList<IssueCommentInfo> Comments, bool HasNextPage);

/// <summary>The issue-comments area of the GitHub REST API. Failures throw <see cref="GitHubApiException"/>.</summary>
public interface IIssueCommentsApi
{
    /// <summary>GET /repos/{owner}/{repo}/issues/{number}/comments?per_page=&amp;page=</summary>
    Task<IssueCommentPage> ListPageAsync(string owner, string name, int issueNumber, int page, int perPage, CancellationToken ct);

    /// <summary>POST /repos/{owner}/{repo}/issues/{number}/comments</summary>
    Task<IssueCommentInfo> CreateAsync(string owner, string name, int issueNumber, string body, CancellationToken ct);

    /// <summary>PATCH /repos/{owner}/{repo}/issues/comments/{id}</summary>
    Task<IssueCommentInfo> UpdateAsync(string owner, string name, long commentId, string body, CancellationToken ct);
}
