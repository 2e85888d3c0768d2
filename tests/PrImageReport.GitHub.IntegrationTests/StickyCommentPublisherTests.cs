using System.Text;
using PrImageReport.Testing.GitHub;
using PrImageReport.GitHub.IntegrationTests.Support;
using PrImageReport.GitHub.Publishing;
using PrImageReport.GitHub.Api;

namespace PrImageReport.GitHub.IntegrationTests;

public sealed class StickyCommentPublisherTests : IAsyncLifetime
{
    const string Owner = "acme";
    const string Repo = "shop";
    const int Pr = 7;
    const string Sha = "0123456789abcdef0123456789abcdef01234567";

    static readonly ReportRun Run = new(Sha, 12, 1);

    /// <summary>The comment body of run 12 for head commit 0123456.</summary>
    static string Body(string key, string markdown) =>
        $"<!-- pr-image-report:{key} head={Sha} run=12.1 -->\nReport for head commit 0123456, run 12.\n\n{markdown}";

    FakeGitHubServer server = null!;
    GitHubApi api = null!;
    readonly RecordingTimeProvider time = new();

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

    StickyCommentPublisher Publisher(int pageSize = 100, int maxAttempts = 4) =>
        new(api.IssueComments, api.Users, new RetryPolicy { MaxAttempts = maxAttempts, FirstBackoff = TimeSpan.FromMilliseconds(10), Time = time }, pageSize);

    Task<CommentResult> Publish(string key, string markdown, int pageSize = 100, int maxAttempts = 4, ReportRun? run = null) =>
        Publisher(pageSize, maxAttempts).PublishAsync(Owner, Repo, Pr, key, run ?? Run, markdown, CancellationToken.None);

    IReadOnlyList<FakeComment> Comments => server.Comments(Owner, Repo, Pr);

    int CountRequests(string method) => server.Requests.Count(r => r.Method == method);

    [Fact]
    public async Task First_run_creates_one_comment_that_opens_with_the_marker()
    {
        var result = await Publish("web", "## Image report\nAll good.");

        var comment = Assert.Single(Comments);
        Assert.Equal(CommentOutcome.Created, result.Outcome);
        Assert.Equal(comment.Id, result.CommentId);
        Assert.Equal(Body("web", "## Image report\nAll good."), comment.Body);
        Assert.Equal(FakeGitHubServer.BotLogin, comment.User);
        Assert.NotNull(result.Url);
        Assert.False(result.Shortened);
        Assert.Null(result.Notice);
    }

    [Fact]
    public async Task Second_run_updates_the_same_comment_in_place()
    {
        var first = await Publish("web", "first report");
        var second = await Publish("web", "second report");

        var comment = Assert.Single(Comments);
        Assert.Equal(CommentOutcome.Updated, second.Outcome);
        Assert.Equal(first.CommentId, second.CommentId);
        Assert.Equal(Body("web", "second report"), comment.Body);
        Assert.Equal(1, CountRequests("POST"));
        Assert.Equal(1, CountRequests("PATCH"));
    }

    [Fact]
    public async Task Our_comment_on_page_3_behind_120_others_is_found_and_updated()
    {
        for (var i = 0; i < 120; i++)
        {
            // One of them mentions the marker mid-text, as a quote would: it is not ours.
            var body = i == 10 ? "Why does the bot write <!-- pr-image-report:web --> here?" : $"comment {i}";
            server.AddComment(Owner, Repo, Pr, i % 2 == 0 ? "alice" : "bob", body);
        }
        var created = await Publish("web", "first", pageSize: 50);
        var before = server.Requests.Count;

        var updated = await Publish("web", "second", pageSize: 50);

        Assert.Equal(CommentOutcome.Created, created.Outcome);
        Assert.Equal(CommentOutcome.Updated, updated.Outcome);
        Assert.Equal(created.CommentId, updated.CommentId);
        Assert.Equal(121, Comments.Count);
        Assert.Equal(Body("web", "second"), Comments[^1].Body);
        Assert.Equal("Why does the bot write <!-- pr-image-report:web --> here?", Comments[10].Body);
        var secondRun = server.Requests.Skip(before).Select(r => $"{r.Method} {r.Path}{r.Query}").ToList();
        Assert.Equal(
            ["GET /repos/acme/shop/issues/7/comments?per_page=50&page=1", "GET /repos/acme/shop/issues/7/comments?per_page=50&page=2",
                "GET /repos/acme/shop/issues/7/comments?per_page=50&page=3", "GET /user", $"PATCH /repos/acme/shop/issues/comments/{created.CommentId}"],
            secondRun);
    }

    [Fact]
    public async Task A_human_comment_that_carries_the_marker_is_never_edited()
    {
        // Anyone can write the marker: a human's comment with it must not become the bot's report.
        var planted = server.AddComment(Owner, Repo, Pr, "mallory", "<!-- pr-image-report:web -->\nAll good, merge it.");

        var result = await Publish("web", "the real report");

        Assert.Equal(CommentOutcome.Created, result.Outcome);
        Assert.NotEqual(planted.Id, result.CommentId);
        Assert.Equal(planted, Comments.Single(c => c.Id == planted.Id));
        Assert.Equal(FakeGitHubServer.BotLogin, Comments.Single(c => c.Id == result.CommentId).User);
        Assert.Equal(0, CountRequests("PATCH"));
    }

    [Fact]
    public async Task With_a_personal_token_only_that_users_comment_counts_not_the_actions_bots()
    {
        using var personal = GitHubApi.Create(new GitHubApiSettings(server.ApiUrl, FakeGitHubServer.PersonalToken));
        var publisher = new StickyCommentPublisher(personal.IssueComments, personal.Users);
        var bots = server.AddComment(Owner, Repo, Pr, FakeGitHubServer.BotLogin, Body("web", "the workflow token's report"));

        var first = await publisher.PublishAsync(Owner, Repo, Pr, "web", Run, "first", CancellationToken.None);
        var second = await publisher.PublishAsync(Owner, Repo, Pr, "web", Run, "second", CancellationToken.None);

        Assert.Equal((CommentOutcome.Created, CommentOutcome.Updated), (first.Outcome, second.Outcome));
        Assert.Equal(first.CommentId, second.CommentId);
        Assert.Equal(bots, Comments.Single(c => c.Id == bots.Id));
        var mine = Comments.Single(c => c.Id == first.CommentId);
        Assert.Equal((FakeGitHubServer.PersonalLogin, Body("web", "second")), (mine.User, mine.Body));
    }

    [Fact]
    public async Task An_older_run_never_overwrites_the_comment_of_a_newer_one()
    {
        var newer = await Publish("web", "run 13", run: new ReportRun("89abcdef0123456789abcdef0123456789abcdef", 13, 1));

        var older = await Publish("web", "run 12");
        var rerun = await Publish("web", "run 13 again", run: new ReportRun("89abcdef0123456789abcdef0123456789abcdef", 13, 2));

        Assert.Equal(CommentOutcome.Superseded, older.Outcome);
        Assert.False(older.Posted);
        Assert.Equal("Report comment left as it is: it describes head commit 89abcde (run 13), newer than this run 12 of 0123456.", older.Notice);
        Assert.Equal(CommentOutcome.Updated, rerun.Outcome);
        Assert.Equal(newer.CommentId, rerun.CommentId);
        Assert.StartsWith("<!-- pr-image-report:web head=89abcdef0123456789abcdef0123456789abcdef run=13.2 -->\nReport for head commit 89abcde, run 13, attempt 2.\n\n", Assert.Single(Comments).Body, StringComparison.Ordinal);
        Assert.Equal(1, CountRequests("PATCH"));
    }

    [Fact]
    public async Task A_comment_without_a_run_in_its_marker_is_taken_over_by_any_run()
    {
        var old = server.AddComment(Owner, Repo, Pr, FakeGitHubServer.BotLogin, "<!-- pr-image-report:web -->\nfrom an earlier version");

        var result = await Publish("web", "report");

        Assert.Equal((CommentOutcome.Updated, old.Id), (result.Outcome, result.CommentId));
        Assert.Equal(Body("web", "report"), Assert.Single(Comments).Body);
    }

    [Fact]
    public async Task A_full_page_without_a_next_link_ends_the_listing()
    {
        for (var i = 0; i < 100; i++)
        {
            server.AddComment(Owner, Repo, Pr, "alice", $"comment {i}");
        }

        var result = await Publish("web", "report", pageSize: 50);

        Assert.Equal(CommentOutcome.Created, result.Outcome);
        Assert.Equal(
            ["GET ?per_page=50&page=1", "GET ?per_page=50&page=2", "POST "],
            server.Requests.Select(r => $"{r.Method} {r.Query}"));
    }

    [Fact]
    public async Task A_deleted_comment_is_recreated()
    {
        var first = await Publish("web", "first");
        server.DeleteComment(first.CommentId!.Value);

        var second = await Publish("web", "second");

        var comment = Assert.Single(Comments);
        Assert.Equal(CommentOutcome.Created, second.Outcome);
        Assert.NotEqual(first.CommentId, second.CommentId);
        Assert.Equal(Body("web", "second"), comment.Body);
    }

    [Fact]
    public async Task Two_report_keys_keep_two_comments_that_never_touch_each_other()
    {
        var web = await Publish("web", "web v1");
        var api2 = await Publish("web-api", "api v1");
        var webAgain = await Publish("web", "web v2");

        Assert.Equal(2, Comments.Count);
        Assert.NotEqual(web.CommentId, api2.CommentId);
        Assert.Equal(web.CommentId, webAgain.CommentId);
        Assert.Equal(Body("web", "web v2"), Comments.Single(c => c.Id == web.CommentId).Body);
        Assert.Equal(Body("web-api", "api v1"), Comments.Single(c => c.Id == api2.CommentId).Body);
    }

    [Fact]
    public async Task An_oversized_report_is_shortened_at_a_line_boundary_with_a_pointer_to_the_job_summary()
    {
        var report = new StringBuilder("## Layers\n");
        for (var i = 0; report.Length < 70_000; i++)
        {
            report.Append($"| {i:D5} | RUN apt-get install -y build-essential | 123.4 MB |\n");
        }
        var full = Body("web", report.ToString());

        var result = await Publish("web", report.ToString());

        var body = Assert.Single(Comments).Body;
        Assert.Equal(CommentOutcome.Created, result.Outcome);
        Assert.True(result.Shortened);
        Assert.InRange(body.Length, 60_000, StickyCommentBody.MaxLength);
        Assert.EndsWith("\n\n... report shortened: the full report is in the job summary of this run.", body);
        var kept = body[..^("\n" + StickyCommentBody.ShortenedPointer).Length];
        Assert.EndsWith("\n", kept);
        Assert.StartsWith(kept, full, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_cut_inside_a_code_block_closes_the_block_before_the_pointer()
    {
        var report = "Build log:\n```\n" + string.Concat(Enumerable.Range(0, 3_000).Select(i => $"step {i:D4}: compiling module number {i}\n")) + "```\n";

        await Publish("web", report);

        var body = Assert.Single(Comments).Body;
        Assert.True(body.Length <= StickyCommentBody.MaxLength);
        Assert.EndsWith("\n```\n\n" + StickyCommentBody.ShortenedPointer, body);
    }

    [Fact]
    public async Task A_403_on_posting_gives_a_not_posted_result_with_a_one_line_notice()
    {
        server.FailNext(1, FakeFailure.Forbidden(), method: "POST");

        var result = await Publish("web", "report");

        Assert.Equal(CommentOutcome.NotPosted, result.Outcome);
        Assert.False(result.Posted);
        Assert.Null(result.CommentId);
        Assert.Empty(Comments);
        Assert.NotNull(result.Notice);
        Assert.DoesNotContain('\n', result.Notice);
        Assert.Contains("403", result.Notice);
        Assert.Contains("Resource not accessible by integration", result.Notice);
        Assert.Contains("fork", result.Notice);
        Assert.DoesNotContain(FakeGitHubServer.Token, result.Notice);
        Assert.Equal(1, CountRequests("POST"));
    }

    [Fact]
    public async Task A_404_on_listing_gives_a_not_posted_result()
    {
        server.FailNext(1, FakeFailure.NotFound(), method: "GET");

        var result = await Publish("web", "report");

        Assert.Equal(CommentOutcome.NotPosted, result.Outcome);
        Assert.Contains("404", result.Notice);
        Assert.Equal(0, CountRequests("POST"));
    }

    [Theory]
    [InlineData(403)]
    [InlineData(429)]
    public async Task A_secondary_rate_limit_waits_the_Retry_After_then_succeeds(int status)
    {
        server.FailNext(1, FakeFailure.SecondaryRateLimit(retryAfterSeconds: 1, status), method: "POST");

        var result = await Publish("web", "report");

        Assert.Equal(CommentOutcome.Created, result.Outcome);
        Assert.Equal([TimeSpan.FromSeconds(1)], time.Waits);
        Assert.Single(Comments);
        Assert.Equal([status, 201], server.Requests.Where(r => r.Method == "POST").Select(r => r.Status));
    }

    [Fact]
    public async Task A_rate_limit_that_resets_beyond_the_wait_cap_fails_at_once()
    {
        server.FailNext(1, FakeFailure.PrimaryRateLimit(DateTimeOffset.UtcNow.AddHours(1)));

        var e = await Assert.ThrowsAsync<GitHubApiException>(() => Publish("web", "report"));

        Assert.Equal(GitHubFailureKind.RateLimited, e.Kind);
        Assert.Equal(403, e.StatusCode);
        Assert.Contains("API rate limit exceeded", e.Message);
        Assert.Contains("longer than the 60 s this run waits", e.Message);
        Assert.Empty(time.Waits);
        Assert.Single(server.Requests);
    }

    [Fact]
    public async Task Server_errors_are_retried_with_backoff_then_fail_clearly()
    {
        server.FailNext(3, FakeFailure.ServerError(502));

        var e = await Assert.ThrowsAsync<GitHubApiException>(() => Publish("web", "report", maxAttempts: 3));

        Assert.Equal(GitHubFailureKind.ServerError, e.Kind);
        Assert.Equal(502, e.StatusCode);
        Assert.Contains("GitHub answered 502 while listing page 1 of the comments on acme/shop#7", e.Message);
        Assert.Contains("gave up after 3 attempts", e.Message);
        Assert.Equal([TimeSpan.FromMilliseconds(10), TimeSpan.FromMilliseconds(20)], time.Waits);
        Assert.Equal(3, server.Requests.Count);
    }

    [Fact]
    public async Task A_create_that_answered_502_after_it_happened_is_not_duplicated_by_the_retry()
    {
        server.FailNext(1, FakeFailure.ServerErrorAfterServing(), method: "POST");

        var result = await Publish("web", "report");

        var comment = Assert.Single(Comments);
        Assert.Equal(CommentOutcome.Updated, result.Outcome);
        Assert.Equal(comment.Id, result.CommentId);
    }

    [Fact]
    public async Task A_422_fails_with_GitHubs_message()
    {
        server.FailNext(1, FakeFailure.Unprocessable("Body is too long (maximum is 65536 characters)"), method: "POST");

        var e = await Assert.ThrowsAsync<GitHubApiException>(() => Publish("web", "report"));

        Assert.Equal(GitHubFailureKind.Rejected, e.Kind);
        Assert.Equal(422, e.StatusCode);
        Assert.Equal(
            "GitHub answered 422 while creating the comment on acme/shop#7: Validation Failed; Body is too long (maximum is 65536 characters)",
            e.Message);
        Assert.Equal(1, CountRequests("POST"));
    }

    [Fact]
    public async Task A_token_echoed_back_by_the_server_is_masked_in_the_error()
    {
        server.FailNext(1, FakeFailure.Unprocessable($"token {FakeGitHubServer.Token} may not comment"), method: "POST");

        var e = await Assert.ThrowsAsync<GitHubApiException>(() => Publish("web", "report"));

        Assert.Contains("token *** may not comment", e.Message);
        Assert.DoesNotContain(FakeGitHubServer.Token, e.ToString());
    }

    [Fact]
    public async Task A_bad_token_fails_with_bad_credentials_and_does_not_show_the_token()
    {
        const string wrongToken = "ghs_WrongToken";
        using var wrongApi = GitHubApi.Create(new GitHubApiSettings(server.ApiUrl, wrongToken));

        var e = await Assert.ThrowsAsync<GitHubApiException>(
            () => new StickyCommentPublisher(wrongApi.IssueComments, wrongApi.Users).PublishAsync(Owner, Repo, Pr, "web", Run, "report", CancellationToken.None));

        Assert.Equal(GitHubFailureKind.BadCredentials, e.Kind);
        Assert.Contains("GitHub answered 401", e.Message);
        Assert.Contains("Bad credentials", e.Message);
        Assert.DoesNotContain(wrongToken, e.ToString());
    }

    [Fact]
    public async Task An_API_that_does_not_answer_is_retried_then_fails_clearly()
    {
        Uri closedUrl;
        await using (var stopped = await FakeGitHubServer.StartAsync())
        {
            closedUrl = stopped.ApiUrl;
        }
        using var unreachable = GitHubApi.Create(new GitHubApiSettings(closedUrl, FakeGitHubServer.Token));
        var publisher = new StickyCommentPublisher(unreachable.IssueComments, unreachable.Users, new RetryPolicy { MaxAttempts = 2, FirstBackoff = TimeSpan.FromMilliseconds(10), Time = time });

        var e = await Assert.ThrowsAsync<GitHubApiException>(() => publisher.PublishAsync(Owner, Repo, Pr, "web", Run, "report", CancellationToken.None));

        Assert.Equal(GitHubFailureKind.Unreachable, e.Kind);
        Assert.Null(e.StatusCode);
        Assert.StartsWith("GitHub could not be reached while listing page 1 of the comments on acme/shop#7", e.Message);
        Assert.EndsWith("(gave up after 2 attempts)", e.Message);
        Assert.Equal([TimeSpan.FromMilliseconds(10)], time.Waits);
    }

    [Fact]
    public async Task A_cancelled_run_sends_nothing()
    {
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(
            () => Publisher().PublishAsync(Owner, Repo, Pr, "web", Run, "report", cancelled.Token));

        Assert.Empty(server.Requests);
    }

    [Theory]
    [InlineData("")]
    [InlineData("two words")]
    [InlineData("a-->b")]
    [InlineData("x>y")]
    public async Task A_report_key_that_cannot_live_in_an_HTML_comment_is_refused_before_any_request(string key)
    {
        var e = await Assert.ThrowsAsync<ArgumentException>(() => Publish(key, "report"));

        Assert.Contains("Report key", e.Message);
        Assert.Empty(server.Requests);
    }
}
