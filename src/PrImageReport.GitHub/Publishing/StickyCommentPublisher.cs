using PrImageReport.GitHub.Api;

namespace PrImageReport.GitHub.Publishing;

/// <param name="Superseded">The comment describes a newer run than this one and was left as it is.</param>
public enum CommentOutcome { Created, Updated, NotPosted, Superseded }

/// <summary>What publishing the report comment did.</summary>
/// <param name="CommentId">The comment's id, or null when not posted.</param>
/// <param name="Shortened">The report was cut to fit GitHub's comment limit; the job summary has all of it.</param>
/// <param name="Notice">Why the comment was not posted, as one line for the job log; null when posted.</param>
public sealed record CommentResult(CommentOutcome Outcome, long? CommentId, Uri? Url, bool Shortened, string? Notice)
{
    public bool Posted => Outcome is CommentOutcome.Created or CommentOutcome.Updated;
}

/// <summary>Keeps one comment per report key on a pull request: updates it in place on every run, or creates it
/// when there is none (also when someone deleted it). Only a comment the token's own account wrote counts: anyone
/// can write the marker, and a write token may edit anyone's comment. A run never overwrites the comment of a newer
/// run (<see cref="ReportRun.IsNewerThan"/>).</summary>
public sealed class StickyCommentPublisher
{
    readonly IIssueCommentsApi comments;
    readonly IUsersApi users;
    readonly RetryPolicy retry;
    readonly int pageSize;

    /// <param name="pageSize">Comments per listing request, 1 to 100.</param>
    public StickyCommentPublisher(IIssueCommentsApi comments, IUsersApi users, RetryPolicy? retry = null, int pageSize = IssueCommentsApi.MaxPageSize)
    {
        ArgumentNullException.ThrowIfNull(comments);
        ArgumentNullException.ThrowIfNull(users);
        if (pageSize is < 1 or > IssueCommentsApi.MaxPageSize)
        {
            throw new ArgumentOutOfRangeException(nameof(pageSize), pageSize, $"pageSize must be 1 to {IssueCommentsApi.MaxPageSize}, GitHub's largest page");
        }
        this.comments = comments;
        this.users = users;
        this.retry = retry ?? RetryPolicy.Default;
        this.pageSize = pageSize;
    }

    /// <summary>Publishes <paramref name="markdownBody"/> as the comment of <paramref name="reportKey"/> for
    /// <paramref name="run"/>. 403 and 404 (a fork's read-only token, no access) give a not-posted result; other
    /// failures throw <see cref="GitHubApiException"/>.</summary>
    public async Task<CommentResult> PublishAsync(string owner, string name, int pullNumber, string reportKey, ReportRun run, string markdownBody, CancellationToken ct)
    {
        var (body, shortened) = StickyCommentBody.Compose(reportKey, run, markdownBody);
        try
        {
            // Asked only once a comment carries the marker: most runs never need to know.
            GitHubAccount? me = null;
            async Task<GitHubAccount> Me(CancellationToken c) => me ??= await OwnAccountAsync(c).ConfigureAwait(false);
            // A retry starts over from the listing: a create that failed with a 5xx may have happened after all,
            // and the listing then finds it, so a retry updates instead of posting a duplicate.
            return await Retrying.RunAsync(retry, async attemptCt =>
            {
                var existing = await FindAsync(owner, name, pullNumber, reportKey, Me, attemptCt).ConfigureAwait(false);
                attemptCt.ThrowIfCancellationRequested();
                if (existing is null)
                {
                    var created = await comments.CreateAsync(owner, name, pullNumber, body, attemptCt).ConfigureAwait(false);
                    return new CommentResult(CommentOutcome.Created, created.Id, created.HtmlUrl, shortened, null);
                }
                // The listing is the freshest view of the comment there is: GitHub has no conditional update.
                if (StickyCommentBody.RunOf(existing.Body) is { } theirs && theirs.IsNewerThan(run))
                {
                    return new CommentResult(CommentOutcome.Superseded, existing.Id, existing.HtmlUrl, shortened,
                        $"Report comment left as it is: it describes head commit {theirs.ShortSha} ({theirs.Describe()}), newer than this {run.Describe()} of {run.ShortSha}.");
                }
                var updated = await comments.UpdateAsync(owner, name, existing.Id, body, attemptCt).ConfigureAwait(false);
                return new CommentResult(CommentOutcome.Updated, updated.Id, updated.HtmlUrl, shortened, null);
            }, ct).ConfigureAwait(false);
        }
        catch (GitHubApiException e) when (e.Kind == GitHubFailureKind.NoAccess)
        {
            return new CommentResult(CommentOutcome.NotPosted, null, null, shortened, Notices.NotPosted("Report comment not posted", e));
        }
    }

    /// <summary>The account the token writes as: GET /user for a personal token; GITHUB_TOKEN may not read it (403
    /// "Resource not accessible by integration") and writes as github-actions[bot].</summary>
    async Task<GitHubAccount> OwnAccountAsync(CancellationToken ct)
    {
        try
        {
            return await users.GetAuthenticatedAsync(ct).ConfigureAwait(false);
        }
        catch (GitHubApiException e) when (e is { Kind: GitHubFailureKind.NoAccess, StatusCode: 403 })
        {
            return GitHubAccount.ActionsBot;
        }
    }

    /// <summary>The oldest comment of the token's own account (<paramref name="me"/>) carrying the key's marker,
    /// paging until GitHub's Link header names no next page.</summary>
    async Task<IssueCommentInfo?> FindAsync(string owner, string name, int pullNumber, string reportKey, Func<CancellationToken, Task<GitHubAccount>> me, CancellationToken ct)
    {
        for (var page = 1; ; page++)
        {
            ct.ThrowIfCancellationRequested();
            var listed = await comments.ListPageAsync(owner, name, pullNumber, page, pageSize, ct).ConfigureAwait(false);
            IssueCommentInfo? ours = null;
            foreach (var candidate in listed.Comments.Where(c => StickyCommentBody.IsFor(c.Body, reportKey)))
            {
                if ((await me(ct).ConfigureAwait(false)).IsSameAs(candidate.Author))
                {
                    ours = candidate;
                    break;
                }
            }
            // A short page is the last one whatever the Link header says; this also stops at mock servers whose
            // canned Link header always names a next page.
            if (ours is not null || !listed.HasNextPage || listed.Comments.Count < pageSize)
            {
                return ours;
            }
        }
    }
}
