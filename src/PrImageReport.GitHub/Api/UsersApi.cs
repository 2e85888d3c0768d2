using Octokit;

namespace PrImageReport.GitHub.Api;

internal sealed class UsersApi(IConnection connection, GitHubCall call) : IUsersApi
{
    public async Task<GitHubAccount> GetAuthenticatedAsync(CancellationToken ct)
    {
        var response = await call.SendAsync(
            () => connection.Get<User>(new Uri("user", UriKind.Relative), GitHubApi.NoParameters, GitHubApi.AcceptJson, ct),
            "reading the token's own account",
            ct).ConfigureAwait(false);
        return IssueCommentsApi.Account(response.Body)
            ?? throw new GitHubApiException(GitHubFailureKind.Other, (int)response.HttpResponse.StatusCode, "GitHub answered GET /user without a login");
    }
}
