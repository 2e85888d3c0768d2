using PrImageReport.GitHub.Api;
using PrImageReport.GitHub.IntegrationTests.Support;
using PrImageReport.GitHub.Publishing;
using PrImageReport.Testing;

namespace PrImageReport.GitHub.IntegrationTests;

/// <summary>Every request the publishers send is checked by Prism against GitHub's official OpenAPI description.
/// Prism is stateless: lists return the description's example, which is all the requests need.</summary>
public sealed class OpenApiContractTests(PrismFixture prism) : IClassFixture<PrismFixture>, IDisposable
{
    const string Owner = "octocat";
    const string Repo = "hello-world";
    const int Pr = 1347;
    const string Sha = "6dcb09b5b57875f334f61aebed695e2e4193db5e";

    static readonly ReportRun Run = new(Sha, 12, 1);

    readonly ExchangeRecorder recorder = new();
    GitHubApi? api;

    // One attempt: the unreachable codeload host would otherwise be retried, and these tests check requests, not retries.
    GitHubApi Api => api ??= GitHubApi.Create(new GitHubApiSettings(prism.BaseUrl, "ghs_PrismToken"), recorder, new RetryPolicy { MaxAttempts = 1 });

    public void Dispose() => api?.Dispose();

    /// <summary>Runs a publishing step; when Prism's error answer made it throw, fails on the violation instead.</summary>
    async Task<T> Publishing<T>(Func<Task<T>> step)
    {
        try
        {
            return await step();
        }
        catch (GitHubApiException)
        {
            AssertNoViolations();
            throw;
        }
    }

    void AssertNoViolations() =>
        Assert.All(recorder.Exchanges, e => Assert.True(e.Violations is null, $"{e.Method} {e.PathAndQuery} ({e.ContentType}) -> {e.Status}: {e.Violations}"));

    void AssertEveryRequestValid(params string[] expectedRequests)
    {
        AssertNoViolations();
        Assert.Equal(expectedRequests, recorder.Exchanges.Select(e => $"{e.Method} {e.PathAndQuery} {e.Status}"));
    }

    [Fact]
    public async Task Creating_the_report_comment_sends_only_valid_requests()
    {
        var result = await Publishing(() => new StickyCommentPublisher(Api.IssueComments, Api.Users).PublishAsync(Owner, Repo, Pr, "prism-new", Run, "## Report\nAll good.", CancellationToken.None));

        Assert.Equal(CommentOutcome.Created, result.Outcome);
        AssertEveryRequestValid(
            $"GET /repos/{Owner}/{Repo}/issues/{Pr}/comments?per_page=100&page=1 200",
            $"POST /repos/{Owner}/{Repo}/issues/{Pr}/comments 201");
    }

    [Fact]
    public async Task Updating_the_report_comment_checks_whose_it_is_and_sends_only_valid_requests()
    {
        var result = await Publishing(() => new StickyCommentPublisher(Api.IssueComments, Api.Users).PublishAsync(Owner, Repo, Pr, PrismFixture.ExistingReportKey, Run, "## Report\nWorse.", CancellationToken.None));

        Assert.Equal(CommentOutcome.Updated, result.Outcome);
        AssertEveryRequestValid(
            $"GET /repos/{Owner}/{Repo}/issues/{Pr}/comments?per_page=100&page=1 200",
            "GET /user 200",
            $"PATCH /repos/{Owner}/{Repo}/issues/comments/{result.CommentId} 200");
    }

    [Fact]
    public async Task Setting_the_commit_status_sends_only_valid_requests()
    {
        var publisher = new CommitStatusPublisher(Api.CommitStatuses);

        var withUrl = await Publishing(() => publisher.SetStatusAsync(Owner, Repo, Sha, CommitStatusState.Failure, "web: +120 MB", new Uri("https://github.com/octocat/hello-world/actions/runs/1"), ct: CancellationToken.None));
        var withoutUrl = await Publishing(() => publisher.SetStatusAsync(Owner, Repo, Sha, CommitStatusState.Pending, "comparing images", ct: CancellationToken.None));

        Assert.True(withUrl.Posted);
        Assert.True(withoutUrl.Posted);
        AssertEveryRequestValid(
            $"POST /repos/{Owner}/{Repo}/statuses/{Sha} 201",
            $"POST /repos/{Owner}/{Repo}/statuses/{Sha} 201");
    }

    [Fact]
    public async Task Downloading_a_tree_sends_a_valid_request_and_no_token_to_the_codeload_host()
    {
        using var destination = new TempDirectory();

        // Prism redirects to its example codeload URL, which the recorder does not let out of the machine.
        var e = await Assert.ThrowsAsync<GitHubApiException>(() => Api.Archives.ExtractTreeAsync(Owner, Repo, Sha, destination.Path, CancellationToken.None));

        AssertNoViolations();
        Assert.Equal(GitHubFailureKind.Unreachable, e.Kind);
        Assert.Equal(
            [$"GET /repos/{Owner}/{Repo}/tarball/{Sha} 302 auth=True", "GET codeload.github.com auth=False"],
            recorder.Exchanges.Select(x => x.Status is null ? $"{x.Method} {x.Host} auth={x.HasAuthorization}" : $"{x.Method} {x.PathAndQuery} {x.Status} auth={x.HasAuthorization}"));
    }
}
