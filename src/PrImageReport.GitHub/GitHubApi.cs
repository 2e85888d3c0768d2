using System.Collections.ObjectModel;
using System.Text;
using Octokit;
using Octokit.Internal;
using PrImageReport.GitHub.Api;
using PrImageReport.GitHub.Publishing;

namespace PrImageReport.GitHub;

/// <summary>The GitHub REST API areas this tool uses, over one Octokit connection.</summary>
public sealed class GitHubApi : IDisposable
{
    // GitHub recommends its own media type; the OpenAPI description declares plain application/json, and servers
    // that follow only the description (Prism) answer 406 unless that is acceptable too.
    internal const string AcceptJson = "application/vnd.github+json, application/json";

    static readonly SimpleJsonSerializer Serializer = new();

    internal static readonly IDictionary<string, string> NoParameters = new ReadOnlyDictionary<string, string>(new Dictionary<string, string>());

    readonly HttpClientAdapter http;

    GitHubApi(HttpClientAdapter http, IIssueCommentsApi issueComments, ICommitStatusesApi commitStatuses, IRepositoryArchivesApi archives, IUsersApi users)
    {
        this.http = http;
        IssueComments = issueComments;
        CommitStatuses = commitStatuses;
        Archives = archives;
        Users = users;
    }

    public IIssueCommentsApi IssueComments { get; }

    public IUsersApi Users { get; }

    public ICommitStatusesApi CommitStatuses { get; }

    public IRepositoryArchivesApi Archives { get; }

    /// <param name="handler">The HTTP handler to send requests through (the API takes ownership and disposes it);
    /// null for Octokit's default.</param>
    /// <param name="archiveRetry">How the tree download retries (the publishers take their own); null for the default.</param>
    public static GitHubApi Create(GitHubApiSettings settings, HttpMessageHandler? handler = null, RetryPolicy? archiveRetry = null)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var http = new HttpClientAdapter(() => handler ?? HttpMessageHandlerFactory.CreateDefault());
        // Connection, unlike GitHubClient, takes the base address as given: GitHubClient appends api/v3/ to any
        // host but api.github.com, which would double the prefix GITHUB_API_URL already has on GitHub Enterprise.
        var connection = new Connection(
            new ProductHeaderValue("pr-image-report"),
            settings.ApiUrl,
            new InMemoryCredentialStore(new Credentials(settings.Token)),
            http,
            Serializer);
        var call = new GitHubCall(settings.Token);
        return new GitHubApi(
            http,
            new IssueCommentsApi(connection, call),
            new CommitStatusesApi(connection, call),
            new RepositoryArchivesApi(connection, call, archiveRetry ?? RetryPolicy.Default),
            new UsersApi(connection, call));
    }

    /// <summary>A request body serialized as Octokit would (snake_case, nulls left out), typed application/json.</summary>
    internal static HttpContent JsonContent(object body) =>
        new StringContent(Serializer.Serialize(body), Encoding.UTF8, "application/json");

    public void Dispose() => http.Dispose();
}
