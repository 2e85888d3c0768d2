using PrImageReport.Testing.GitHub;
using PrImageReport.GitHub.Publishing;

namespace PrImageReport.GitHub.IntegrationTests;

public sealed class GitHubApiSettingsTests
{
    static Func<string, string?> Environment(params (string Name, string Value)[] variables) =>
        name => variables.FirstOrDefault(v => v.Name == name).Value;

    [Fact]
    public void Without_GITHUB_API_URL_the_public_API_is_used()
    {
        var settings = GitHubApiSettings.FromEnvironment(Environment(("GITHUB_TOKEN", "ghs_x")));

        Assert.Equal(new Uri("https://api.github.com/"), settings.ApiUrl);
    }

    [Fact]
    public void Without_GITHUB_TOKEN_the_error_names_the_variable_and_the_fix()
    {
        var e = Assert.Throws<GitHubConfigurationException>(
            () => GitHubApiSettings.FromEnvironment(Environment(("GITHUB_API_URL", "https://api.github.com"))));

        Assert.Contains("GITHUB_TOKEN is not set", e.Message);
        Assert.Contains("github-token", e.Message);
    }

    [Fact]
    public void The_token_is_not_in_the_settings_text()
    {
        var settings = new GitHubApiSettings(new Uri("https://api.github.com"), "ghs_secret123");

        Assert.DoesNotContain("ghs_secret123", settings.ToString());
    }

    [Fact]
    public async Task An_enterprise_style_API_URL_ending_in_api_v3_is_used_verbatim()
    {
        await using var server = await FakeGitHubServer.StartAsync(pathPrefix: "/api/v3");
        var apiUrl = server.ApiUrl.AbsoluteUri.TrimEnd('/');
        Assert.EndsWith("/api/v3", apiUrl);
        var settings = GitHubApiSettings.FromEnvironment(Environment(("GITHUB_API_URL", apiUrl), ("GITHUB_TOKEN", FakeGitHubServer.Token)));
        using var api = GitHubApi.Create(settings);

        var result = await new StickyCommentPublisher(api.IssueComments, api.Users).PublishAsync("acme", "shop", 7, "web", new ReportRun("0123456789abcdef0123456789abcdef01234567"), "report", CancellationToken.None);

        Assert.Equal(CommentOutcome.Created, result.Outcome);
        Assert.All(server.Requests, r => Assert.StartsWith("/api/v3/repos/acme/shop/issues/", r.Path));
    }
}
