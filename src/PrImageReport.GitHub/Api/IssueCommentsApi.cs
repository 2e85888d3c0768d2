using System.Globalization;
using Octokit;

namespace PrImageReport.GitHub.Api;

internal sealed class IssueCommentsApi(IConnection connection, GitHubCall call) : IIssueCommentsApi
{
    public const int MaxPageSize = 100;

    public async Task<IssueCommentPage> ListPageAsync(string owner, string name, int issueNumber, int page, int perPage, CancellationToken ct)
    {
        RepositoryNames.Check(owner, name);
        RepositoryNames.CheckPositive(issueNumber, nameof(issueNumber));
        RepositoryNames.CheckPositive(page, nameof(page));
        if (perPage is < 1 or > MaxPageSize)
        {
            throw new ArgumentOutOfRangeException(nameof(perPage), perPage, $"perPage must be 1 to {MaxPageSize}, GitHub's largest page");
        }

        var parameters = new Dictionary<string, string>
        {
            ["per_page"] = perPage.ToString(CultureInfo.InvariantCulture),
            ["page"] = page.ToString(CultureInfo.InvariantCulture),
        };
        var response = await call.SendAsync(
            () => connection.Get<List<IssueComment>>(ApiUrls.IssueComments(owner, name, issueNumber), parameters, GitHubApi.AcceptJson, ct),
            $"listing page {page} of the comments on {owner}/{name}#{issueNumber}",
            ct).ConfigureAwait(false);

        var comments = (response.Body ?? []).Select(ToInfo).ToList();
        var hasNext = response.HttpResponse.ApiInfo?.Links?.ContainsKey("next") == true;
        return new IssueCommentPage(comments, hasNext);
    }

    public async Task<IssueCommentInfo> CreateAsync(string owner, string name, int issueNumber, string body, CancellationToken ct)
    {
        RepositoryNames.Check(owner, name);
        RepositoryNames.CheckPositive(issueNumber, nameof(issueNumber));
        ArgumentNullException.ThrowIfNull(body);

        var response = await call.SendAsync(
            () => connection.Post<IssueComment>(ApiUrls.IssueComments(owner, name, issueNumber), new CommentBody(body), GitHubApi.AcceptJson, "application/json", GitHubApi.NoParameters, ct),
            $"creating the comment on {owner}/{name}#{issueNumber}",
            ct).ConfigureAwait(false);
        return ToInfo(response.Body);
    }

    public async Task<IssueCommentInfo> UpdateAsync(string owner, string name, long commentId, string body, CancellationToken ct)
    {
        RepositoryNames.Check(owner, name);
        RepositoryNames.CheckPositive(commentId, nameof(commentId));
        ArgumentNullException.ThrowIfNull(body);

        var response = await call.SendAsync(
            // Octokit's Patch sends an object body as application/x-www-form-urlencoded, which GitHub tolerates but its
            // OpenAPI description does not allow (Prism: 415); ready-made content keeps its application/json type.
            () => connection.Patch<IssueComment>(ApiUrls.IssueComment(owner, name, commentId), GitHubApi.JsonContent(new CommentBody(body)), GitHubApi.AcceptJson),
            $"updating comment {commentId} on {owner}/{name}",
            ct).ConfigureAwait(false);
        return ToInfo(response.Body);
    }

    static IssueCommentInfo ToInfo(IssueComment c) =>
        new(c.Id, c.Body ?? "", Uri.TryCreate(c.HtmlUrl, UriKind.Absolute, out var url) ? url : null, Account(c.User));

    internal static GitHubAccount? Account(User? user) =>
        string.IsNullOrEmpty(user?.Login) ? null : new GitHubAccount(user.Login, user.Type?.ToString() ?? "User");

    sealed record CommentBody(string Body);
}
