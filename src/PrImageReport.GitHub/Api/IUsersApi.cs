namespace PrImageReport.GitHub.Api;

/// <summary>A GitHub account as the API names it: its login and type ("User", "Bot" or "Organization").</summary>
public sealed record GitHubAccount(string Login, string Type)
{
    /// <summary>The account GitHub Actions' GITHUB_TOKEN writes as.</summary>
    public static GitHubAccount ActionsBot { get; } = new("github-actions[bot]", "Bot");

    public bool IsSameAs(GitHubAccount? other) =>
        other is not null
        && string.Equals(Login, other.Login, StringComparison.OrdinalIgnoreCase)
        && string.Equals(Type, other.Type, StringComparison.OrdinalIgnoreCase);
}

/// <summary>The users area of the GitHub REST API. Failures throw <see cref="GitHubApiException"/>.</summary>
public interface IUsersApi
{
    /// <summary>GET /user: the account the token belongs to. An installation token (GITHUB_TOKEN) gets 403
    /// "Resource not accessible by integration".</summary>
    Task<GitHubAccount> GetAuthenticatedAsync(CancellationToken ct);
}
