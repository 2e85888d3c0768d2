using PrImageReport.GitHub.Api;
using PrImageReport.Testing.GitHub;
using PrImageReport.GitHub.Publishing;

namespace PrImageReport.GitHub.IntegrationTests;

public sealed class CommitStatusPublisherTests : IAsyncLifetime
{
    const string Owner = "acme";
    const string Repo = "shop";
    const string Sha = "0123456789abcdef0123456789abcdef01234567";

    FakeGitHubServer server = null!;
    GitHubApi api = null!;

    public async Task InitializeAsync()
    {
        server = await FakeGitHubServer.StartAsync();
        api = GitHubApi.Create(new GitHubApiSettings(server.ApiUrl, FakeGitHubServer.Token));
    }

    public async Task DisposeAsync()
    {
        api.Dispose();
        await server.DisposeAsync();
    }

    CommitStatusPublisher Publisher => new(api.CommitStatuses);

    [Fact]
    public async Task Sets_the_status_under_the_pr_image_report_context()
    {
        var result = await Publisher.SetStatusAsync(Owner, Repo, Sha, CommitStatusState.Failure,
            "web: +120 MB, build tools in final image", new Uri("https://ci.example/runs/42"), ct: CancellationToken.None);

        var status = Assert.Single(server.Statuses(Owner, Repo, Sha));
        Assert.True(result.Posted);
        Assert.Null(result.Notice);
        Assert.Equal("failure", status.State);
        Assert.Equal("pr-image-report", status.Context);
        Assert.Equal("web: +120 MB, build tools in final image", status.Description);
        Assert.Equal("https://ci.example/runs/42", status.TargetUrl);
    }

    [Fact]
    public async Task A_status_without_target_url_sends_none()
    {
        await Publisher.SetStatusAsync(Owner, Repo, Sha, CommitStatusState.Pending, "comparing images", ct: CancellationToken.None);

        var status = Assert.Single(server.Statuses(Owner, Repo, Sha));
        Assert.Equal("pending", status.State);
        Assert.Null(status.TargetUrl);
    }

    [Fact]
    public async Task A_description_over_140_characters_is_shortened_with_an_ellipsis()
    {
        var description = string.Concat(Enumerable.Repeat("size grew; ", 20));

        var result = await Publisher.SetStatusAsync(Owner, Repo, Sha, CommitStatusState.Error, description, ct: CancellationToken.None);

        var stored = Assert.Single(server.Statuses(Owner, Repo, Sha)).Description!;
        Assert.True(result.Posted);
        Assert.True(stored.Length <= 140, $"{stored.Length} characters");
        Assert.EndsWith("…", stored);
        Assert.StartsWith(stored[..^1], description, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_403_gives_a_not_posted_result_with_a_notice()
    {
        server.FailNext(1, FakeFailure.Forbidden());

        var result = await Publisher.SetStatusAsync(Owner, Repo, Sha, CommitStatusState.Success, "ok", ct: CancellationToken.None);

        Assert.False(result.Posted);
        Assert.StartsWith("Commit status not set: GitHub answered 403", result.Notice);
        Assert.Contains("Resource not accessible by integration", result.Notice);
        Assert.Empty(server.Statuses(Owner, Repo, Sha));
    }

    [Fact]
    public async Task A_short_sha_is_refused_before_any_request()
    {
        var e = await Assert.ThrowsAsync<ArgumentException>(
            () => Publisher.SetStatusAsync(Owner, Repo, "0123456", CommitStatusState.Success, "ok", ct: CancellationToken.None));

        Assert.Contains("full commit SHA", e.Message);
        Assert.Empty(server.Requests);
    }
}
