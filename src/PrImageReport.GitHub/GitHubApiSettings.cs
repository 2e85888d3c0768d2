namespace PrImageReport.GitHub;

/// <summary>Where the GitHub REST API is and the token to call it with. The token never appears in ToString.</summary>
public sealed class GitHubApiSettings
{
    public static readonly Uri PublicApiUrl = new("https://api.github.com/");

    /// <param name="apiUrl">The REST API root exactly as GITHUB_API_URL gives it: https://api.github.com, or
    /// https://HOST/api/v3 on GitHub Enterprise Server. Used verbatim: nothing is appended.</param>
    public GitHubApiSettings(Uri apiUrl, string token)
    {
        ArgumentNullException.ThrowIfNull(apiUrl);
        if (!apiUrl.IsAbsoluteUri || (apiUrl.Scheme != Uri.UriSchemeHttp && apiUrl.Scheme != Uri.UriSchemeHttps))
        {
            throw new GitHubConfigurationException($"GitHub API URL '{apiUrl}' is not an http(s) URL: set GITHUB_API_URL to e.g. https://api.github.com");
        }
        if (string.IsNullOrWhiteSpace(token))
        {
            throw new GitHubConfigurationException("The GitHub token is empty: pass the workflow token (github-token: ${{ github.token }}) or set GITHUB_TOKEN");
        }

        // Relative endpoints resolve against the last path segment only when the root ends with '/':
        // without it, https://HOST/api/v3 + repos/... would become https://HOST/api/repos/...
        ApiUrl = apiUrl.AbsoluteUri.EndsWith('/') ? apiUrl : new Uri(apiUrl.AbsoluteUri + "/");
        Token = token.Trim();
    }

    public Uri ApiUrl { get; }

    internal string Token { get; }

    /// <summary>Reads GITHUB_API_URL (default https://api.github.com) and GITHUB_TOKEN, as set in a GitHub Actions job.</summary>
    public static GitHubApiSettings FromEnvironment(Func<string, string?> getVariable)
    {
        ArgumentNullException.ThrowIfNull(getVariable);
        var url = getVariable("GITHUB_API_URL");
        var token = getVariable("GITHUB_TOKEN");
        if (string.IsNullOrWhiteSpace(token))
        {
            throw new GitHubConfigurationException("GITHUB_TOKEN is not set: pass the workflow token to the action (github-token: ${{ github.token }})");
        }
        if (string.IsNullOrWhiteSpace(url))
        {
            return new GitHubApiSettings(PublicApiUrl, token);
        }
        if (!Uri.TryCreate(url.Trim(), UriKind.Absolute, out var apiUrl))
        {
            throw new GitHubConfigurationException($"GITHUB_API_URL '{url}' is not a URL: set it to e.g. https://api.github.com");
        }
        return new GitHubApiSettings(apiUrl, token);
    }

    public override string ToString() => $"GitHub API at {ApiUrl} (token hidden)";
}
