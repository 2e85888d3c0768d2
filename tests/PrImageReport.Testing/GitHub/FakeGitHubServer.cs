using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace PrImageReport.Testing.GitHub;

/// <param name="User">The author's login; a login ending in [bot] is a Bot account, any other a User.</param>
public sealed record FakeComment(long Id, string User, string Body);

public sealed record FakeStatus(long Id, string State, string? Description, string? TargetUrl, string Context);

/// <summary>One request the fake answered.</summary>
/// <param name="HasAuthorization">The request carried an Authorization header, whatever its value.</param>
public sealed record RecordedRequest(string Method, string Path, string Query, string? ContentType, int Status, bool HasAuthorization);

/// <summary>A stateful stand-in for the parts of the GitHub REST API this tool uses: issue comments per pull
/// request (paged with Link headers as GitHub does), commit statuses, and repository tarballs (redirected to a
/// codeload path on the same server, as GitHub Enterprise Server does), with GitHub's limits and error bodies.
/// It can be told to fail the next API requests. Two tokens, as on GitHub: <see cref="Token"/> is an installation
/// token like GITHUB_TOKEN (it writes as github-actions[bot] and GET /user refuses it), <see cref="PersonalToken"/>
/// a user's (GET /user answers with <see cref="PersonalLogin"/>). Like GitHub with a write token, any comment may be
/// edited, whoever wrote it. Listens on 127.0.0.1 on a port the OS picks.</summary>
public sealed partial class FakeGitHubServer : IAsyncDisposable
{
    public const string Token = "ghs_FakeInstallationToken0123456789abcdef";
    public const string BotLogin = "github-actions[bot]";
    public const string PersonalToken = "ghp_FakePersonalToken0123456789abcdefABCD";
    public const string PersonalLogin = "report-bot";
    const int MaxCommentLength = 65_536;
    const int MaxDescriptionLength = 140;

    readonly WebApplication app;
    readonly string pathPrefix;
    readonly object gate = new();
    readonly Dictionary<(string Owner, string Repo, int Number), List<FakeComment>> comments = [];
    readonly Dictionary<(string Owner, string Repo, string Sha), List<FakeStatus>> statuses = [];
    readonly List<(FakeFailure Failure, string? Method)> failures = [];
    readonly List<RecordedRequest> requests = [];
    readonly Dictionary<(string Owner, string Repo, string Ref), TarballSource> tarballs = [];
    // GitHub's codeload URLs carry a short-lived token instead of the Authorization header.
    readonly string codeloadToken = Guid.NewGuid().ToString("N");
    long nextId = 1000;

    FakeGitHubServer(WebApplication app, string pathPrefix)
    {
        this.app = app;
        this.pathPrefix = pathPrefix;
    }

    /// <summary>The API root to give the client (GITHUB_API_URL), e.g. http://127.0.0.1:PORT/ or http://127.0.0.1:PORT/api/v3.
    /// Loopback only: a container reaches it with --network host.</summary>
    public Uri ApiUrl { get; private set; } = null!;

    /// <summary>The server's root, http://127.0.0.1:PORT/, whatever the API path prefix.</summary>
    public Uri BaseUrl { get; private set; } = null!;

    /// <param name="pathPrefix">Serve the API under this path only, as GitHub Enterprise Server serves it under /api/v3.</param>
    public static async Task<FakeGitHubServer> StartAsync(string pathPrefix = "")
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseKestrel(k => k.Listen(IPAddress.Loopback, 0));
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var server = new FakeGitHubServer(app, pathPrefix.TrimEnd('/'));
        app.Run(server.HandleAsync);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        server.BaseUrl = new Uri(address + "/");
        server.ApiUrl = new Uri(address + server.pathPrefix);
        return server;
    }

    public IReadOnlyList<RecordedRequest> Requests
    {
        get { lock (gate) { return [.. requests]; } }
    }

    public IReadOnlyList<FakeComment> Comments(string owner, string repo, int number)
    {
        lock (gate)
        {
            return comments.TryGetValue((owner, repo, number), out var list) ? [.. list] : [];
        }
    }

    public IReadOnlyList<FakeStatus> Statuses(string owner, string repo, string sha)
    {
        lock (gate)
        {
            return statuses.TryGetValue((owner, repo, sha), out var list) ? [.. list] : [];
        }
    }

    /// <summary>A comment someone else wrote.</summary>
    public FakeComment AddComment(string owner, string repo, int number, string user, string body)
    {
        lock (gate)
        {
            return Add(owner, repo, number, user, body);
        }
    }

    /// <summary>Someone deleted the comment in the web UI.</summary>
    public void DeleteComment(long id)
    {
        lock (gate)
        {
            foreach (var list in comments.Values)
            {
                list.RemoveAll(c => c.Id == id);
            }
        }
    }

    /// <summary>Serve GET /repos/{owner}/{repo}/tarball/{sha} from <paramref name="gitRepository"/>: a 302 to a
    /// codeload path on this server that streams <c>git archive</c> of the commit, wrapped in the folder
    /// {owner}-{repo}-{sha7}/ as GitHub wraps it.</summary>
    /// <param name="gitRepository">A local git repository (work tree or bare) that has <paramref name="sha"/>.</param>
    public void AddTarball(string owner, string repo, string sha, string gitRepository)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(sha);
        ArgumentException.ThrowIfNullOrWhiteSpace(gitRepository);
        lock (gate)
        {
            tarballs[(owner, repo, sha)] = new TarballSource(Path.GetFullPath(gitRepository), IsGitRepository: true);
        }
    }

    /// <summary>Serve GET /repos/{owner}/{repo}/tarball/{sha} as <see cref="AddTarball"/> does, but with the bytes of
    /// <paramref name="tarGzFile"/> as they are: for archives git would never make (broken, hostile).</summary>
    public void AddTarballFile(string owner, string repo, string sha, string tarGzFile)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(sha);
        ArgumentException.ThrowIfNullOrWhiteSpace(tarGzFile);
        lock (gate)
        {
            tarballs[(owner, repo, sha)] = new TarballSource(Path.GetFullPath(tarGzFile), IsGitRepository: false);
        }
    }

    /// <summary>Answer the next <paramref name="count"/> requests (only those with <paramref name="method"/>, when given) with <paramref name="failure"/>.</summary>
    public void FailNext(int count, FakeFailure failure, string? method = null)
    {
        lock (gate)
        {
            for (var i = 0; i < count; i++)
            {
                failures.Add((failure, method));
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await app.StopAsync();
        await app.DisposeAsync();
    }

    [GeneratedRegex("^/repos/(?<owner>[^/]+)/(?<repo>[^/]+)/issues/(?<number>[0-9]+)/comments$")]
    private static partial Regex IssueCommentsPath();

    [GeneratedRegex("^/repos/(?<owner>[^/]+)/(?<repo>[^/]+)/issues/comments/(?<id>[0-9]+)$")]
    private static partial Regex IssueCommentPath();

    [GeneratedRegex("^/repos/(?<owner>[^/]+)/(?<repo>[^/]+)/statuses/(?<sha>[0-9a-f]{40})$")]
    private static partial Regex StatusesPath();

    [GeneratedRegex("^/repos/(?<owner>[^/]+)/(?<repo>[^/]+)/tarball/(?<ref>.+)$")]
    private static partial Regex TarballPath();

    [GeneratedRegex("^/_codeload/(?<owner>[^/]+)/(?<repo>[^/]+)/legacy\\.tar\\.gz/(?<ref>.+)$")]
    private static partial Regex CodeloadPath();

    async Task HandleAsync(HttpContext context)
    {
        var request = context.Request;
        if (request.Method == "GET" && CodeloadPath().Match(request.Path.Value ?? "") is { Success: true } codeload)
        {
            // Recorded as the answer starts, before the body streams: a client that has read the whole archive
            // must find its request in the list.
            context.Response.OnStarting(() =>
            {
                lock (gate)
                {
                    requests.Add(Record(request, context.Response.StatusCode));
                }

                return Task.CompletedTask;
            });
            await ServeArchiveAsync(context, (codeload.Groups["owner"].Value, codeload.Groups["repo"].Value, codeload.Groups["ref"].Value));
            return;
        }

        var body = await new StreamReader(request.Body).ReadToEndAsync();
        Answer answer;
        lock (gate)
        {
            answer = Route(request, body);
            requests.Add(Record(request, answer.Status));
        }

        context.Response.StatusCode = answer.Status;
        foreach (var (name, value) in answer.Headers)
        {
            context.Response.Headers[name] = value;
        }
        if (answer.Json is not null)
        {
            context.Response.ContentType = "application/json; charset=utf-8";
            await context.Response.WriteAsync(answer.Json.ToJsonString());
        }
    }

    static RecordedRequest Record(HttpRequest request, int status) =>
        new(request.Method, request.Path.Value ?? "", request.QueryString.Value ?? "", request.ContentType, status, request.Headers.Authorization.Count > 0);

    /// <param name="Json">The body; null for none (a redirect).</param>
    sealed record Answer(int Status, JsonNode? Json, IReadOnlyDictionary<string, string> Headers)
    {
        public Answer(int status, JsonNode json) : this(status, json, new Dictionary<string, string>()) { }
    }

    sealed record TarballSource(string Path, bool IsGitRepository);

    async Task ServeArchiveAsync(HttpContext context, (string Owner, string Repo, string Ref) key)
    {
        TarballSource? source;
        lock (gate)
        {
            tarballs.TryGetValue(key, out source);
        }
        if (source is null || context.Request.Query["token"] != codeloadToken)
        {
            context.Response.StatusCode = 404;
            await context.Response.WriteAsync("404: Not Found");
            return;
        }

        var top = $"{key.Owner}-{key.Repo}-{key.Ref[..Math.Min(7, key.Ref.Length)]}";
        context.Response.StatusCode = 200;
        context.Response.ContentType = "application/x-gzip";
        context.Response.Headers.ContentDisposition = $"attachment; filename={top}.tar.gz";
        if (source.IsGitRepository)
        {
            await StreamGitArchiveAsync(context, source.Path, key.Ref, top);
        }
        else
        {
            await context.Response.SendFileAsync(source.Path, context.RequestAborted);
        }
    }

    /// <summary>Streams <c>git archive</c> straight into the response: nothing is buffered, as codeload streams.</summary>
    static async Task StreamGitArchiveAsync(HttpContext context, string gitRepository, string commit, string top)
    {
        var start = new ProcessStartInfo("git")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        // A repository handed to the runner's user (uid 1001) is still ours to serve.
        foreach (var argument in new[] { "-c", "safe.directory=*", "-C", gitRepository, "archive", "--format=tar.gz", $"--prefix={top}/", commit })
        {
            start.ArgumentList.Add(argument);
        }
        using var git = Process.Start(start) ?? throw new InvalidOperationException("git did not start: is git on PATH?");
        git.StandardInput.Close();
        var errors = git.StandardError.ReadToEndAsync(CancellationToken.None);
        try
        {
            await git.StandardOutput.BaseStream.CopyToAsync(context.Response.Body, context.RequestAborted);
            await git.WaitForExitAsync(context.RequestAborted);
        }
        catch (Exception e) when (e is OperationCanceledException or IOException)
        {
            // The client went away mid-download.
            git.Kill(entireProcessTree: true);
            return;
        }

        if (git.ExitCode != 0)
        {
            var message = $"git archive of {commit} in {gitRepository} failed: {(await errors).Trim()}";
            if (context.Response.HasStarted)
            {
                // Headers are gone: a cut connection is how a broken download looks to the client.
                context.Abort();
                return;
            }
            context.Response.StatusCode = 500;
            context.Response.ContentType = "application/json; charset=utf-8";
            await context.Response.WriteAsync(new JsonObject { ["message"] = message }.ToJsonString());
        }
    }

    Answer Route(HttpRequest request, string body)
    {
        if (Caller(request.Headers.Authorization.ToString()) is not { } caller)
        {
            return Error(401, "Bad credentials");
        }

        var failureIndex = failures.FindIndex(f => f.Method is null || f.Method == request.Method);
        if (failureIndex >= 0)
        {
            var failure = failures[failureIndex].Failure;
            failures.RemoveAt(failureIndex);
            if (failure.AfterServing)
            {
                Serve(request, body, caller);
            }
            return Fail(failure);
        }
        return Serve(request, body, caller);
    }

    /// <param name="caller">The login the request's token belongs to.</param>
    Answer Serve(HttpRequest request, string body, string caller)
    {
        var path = request.Path.Value ?? "";
        if (!path.StartsWith(pathPrefix + "/", StringComparison.Ordinal))
        {
            return Error(404, "Not Found");
        }
        path = path[pathPrefix.Length..];

        if (path == "/user" && request.Method == "GET")
        {
            return caller == BotLogin ? Error(403, "Resource not accessible by integration") : new Answer(200, UserJson(caller));
        }

        if (IssueCommentsPath().Match(path) is { Success: true } list)
        {
            var key = (list.Groups["owner"].Value, list.Groups["repo"].Value, int.Parse(list.Groups["number"].Value, CultureInfo.InvariantCulture));
            return request.Method switch
            {
                "GET" => ListComments(request, key),
                "POST" => WithCommentBody(body, text => CreateComment(key, caller, text)),
                _ => Error(404, "Not Found"),
            };
        }
        if (IssueCommentPath().Match(path) is { Success: true } one && request.Method == "PATCH")
        {
            return WithCommentBody(body, text => UpdateComment(long.Parse(one.Groups["id"].Value, CultureInfo.InvariantCulture), text));
        }
        if (StatusesPath().Match(path) is { Success: true } status && request.Method == "POST")
        {
            return CreateStatus((status.Groups["owner"].Value, status.Groups["repo"].Value, status.Groups["sha"].Value), caller, body);
        }
        if (TarballPath().Match(path) is { Success: true } tarball && request.Method == "GET")
        {
            return RedirectToCodeload((tarball.Groups["owner"].Value, tarball.Groups["repo"].Value, tarball.Groups["ref"].Value));
        }
        return Error(404, "Not Found");
    }

    /// <summary>The login of the token in an Authorization header; null for a bad or missing token.</summary>
    static string? Caller(string header)
    {
        var parts = header.Split(' ', 2, StringSplitOptions.TrimEntries);
        if (parts.Length != 2 || !(parts[0].Equals("token", StringComparison.OrdinalIgnoreCase) || parts[0].Equals("bearer", StringComparison.OrdinalIgnoreCase)))
        {
            return null;
        }
        return parts[1] switch
        {
            Token => BotLogin,
            PersonalToken => PersonalLogin,
            _ => null,
        };
    }

    Answer RedirectToCodeload((string Owner, string Repo, string Ref) key)
    {
        if (!tarballs.ContainsKey(key))
        {
            return Error(404, "Not Found");
        }
        var location = new Uri(BaseUrl, $"_codeload/{key.Owner}/{key.Repo}/legacy.tar.gz/{key.Ref}?token={codeloadToken}");
        return new Answer(302, null, new Dictionary<string, string> { ["Location"] = location.AbsoluteUri });
    }

    Answer ListComments(HttpRequest request, (string Owner, string Repo, int Number) key)
    {
        var perPage = Math.Clamp(IntQuery(request, "per_page") ?? 30, 1, 100);
        var page = Math.Max(IntQuery(request, "page") ?? 1, 1);
        var all = comments.TryGetValue(key, out var stored) ? stored : [];
        var lastPage = Math.Max(1, (all.Count + perPage - 1) / perPage);

        var links = new List<string>();
        string PageUrl(int n) => $"{request.Scheme}://{request.Host}{request.Path}?per_page={perPage}&page={n}";
        if (page < lastPage)
        {
            links.Add($"<{PageUrl(page + 1)}>; rel=\"next\"");
            links.Add($"<{PageUrl(lastPage)}>; rel=\"last\"");
        }
        if (page > 1)
        {
            links.Add($"<{PageUrl(1)}>; rel=\"first\"");
            links.Add($"<{PageUrl(Math.Min(page - 1, lastPage))}>; rel=\"prev\"");
        }

        var items = new JsonArray([.. all.Skip((page - 1) * perPage).Take(perPage).Select(c => CommentJson(key, c))]);
        var headers = links.Count > 0 ? new Dictionary<string, string> { ["Link"] = string.Join(", ", links) } : new Dictionary<string, string>();
        return new Answer(200, items, headers);
    }

    Answer CreateComment((string Owner, string Repo, int Number) key, string caller, string text) =>
        new(201, CommentJson(key, Add(key.Owner, key.Repo, key.Number, caller, text)));

    Answer UpdateComment(long id, string text)
    {
        foreach (var (key, list) in comments)
        {
            var index = list.FindIndex(c => c.Id == id);
            if (index >= 0)
            {
                list[index] = list[index] with { Body = text };
                return new Answer(200, CommentJson(key, list[index]));
            }
        }
        return Error(404, "Not Found");
    }

    Answer WithCommentBody(string json, Func<string, Answer> then)
    {
        if (ParseObject(json) is not { } body)
        {
            return Error(400, "Problems parsing JSON");
        }
        if (body["body"]?.GetValueKind() != JsonValueKind.String)
        {
            return Error(422, "Invalid request.\n\n\"body\" wasn't supplied.");
        }
        var text = body["body"]!.GetValue<string>();
        if (text.Length > MaxCommentLength)
        {
            return Error(422, "Validation Failed", $"Body is too long (maximum is {MaxCommentLength} characters)");
        }
        return then(text);
    }

    Answer CreateStatus((string Owner, string Repo, string Sha) key, string caller, string json)
    {
        if (ParseObject(json) is not { } body)
        {
            return Error(400, "Problems parsing JSON");
        }
        var state = body["state"]?.GetValueKind() == JsonValueKind.String ? body["state"]!.GetValue<string>() : null;
        if (state is not ("error" or "failure" or "pending" or "success"))
        {
            return Error(422, "Validation Failed", "State is not included in the list", "Status");
        }
        var description = body["description"]?.GetValue<string>();
        if (description is { Length: > MaxDescriptionLength })
        {
            return Error(422, "Validation Failed", $"Description is too long (maximum is {MaxDescriptionLength} characters)", "Status");
        }
        var status = new FakeStatus(nextId++, state, description, body["target_url"]?.GetValue<string>(), body["context"]?.GetValue<string>() ?? "default");
        if (!statuses.TryGetValue(key, out var list))
        {
            statuses[key] = list = [];
        }
        list.Add(status);
        return new Answer(201, new JsonObject
        {
            ["id"] = status.Id,
            ["node_id"] = $"SC_{status.Id}",
            ["url"] = $"{ApiUrl}repos/{key.Owner}/{key.Repo}/statuses/{key.Sha}",
            ["state"] = status.State,
            ["description"] = status.Description,
            ["target_url"] = status.TargetUrl,
            ["context"] = status.Context,
            ["created_at"] = "2024-01-01T00:00:00Z",
            ["updated_at"] = "2024-01-01T00:00:00Z",
            ["creator"] = UserJson(caller),
        });
    }

    FakeComment Add(string owner, string repo, int number, string user, string body)
    {
        if (!comments.TryGetValue((owner, repo, number), out var list))
        {
            comments[(owner, repo, number)] = list = [];
        }
        var comment = new FakeComment(nextId++, user, body);
        list.Add(comment);
        return comment;
    }

    JsonObject CommentJson((string Owner, string Repo, int Number) key, FakeComment c) => new()
    {
        ["id"] = c.Id,
        ["node_id"] = $"IC_{c.Id}",
        ["url"] = $"{ApiUrl}repos/{key.Owner}/{key.Repo}/issues/comments/{c.Id}",
        ["html_url"] = $"https://github.example/{key.Owner}/{key.Repo}/pull/{key.Number}#issuecomment-{c.Id}",
        ["issue_url"] = $"{ApiUrl}repos/{key.Owner}/{key.Repo}/issues/{key.Number}",
        ["body"] = c.Body,
        ["user"] = UserJson(c.User),
        ["created_at"] = "2024-01-01T00:00:00Z",
        ["updated_at"] = "2024-01-01T00:00:00Z",
        ["author_association"] = "NONE",
    };

    static JsonObject UserJson(string login) => new()
    {
        ["login"] = login,
        ["id"] = Math.Abs(login.GetHashCode(StringComparison.Ordinal)),
        ["type"] = login.EndsWith("[bot]", StringComparison.Ordinal) ? "Bot" : "User",
    };

    static Answer Fail(FakeFailure failure) =>
        Error(failure.Status, failure.Message, failure.ErrorDetail) with { Headers = failure.Headers };

    static Answer Error(int status, string message, string? detail = null, string resource = "IssueComment")
    {
        var json = new JsonObject
        {
            ["message"] = message,
            ["documentation_url"] = "https://docs.github.com/rest",
            ["status"] = status.ToString(CultureInfo.InvariantCulture),
        };
        if (detail is not null)
        {
            json["errors"] = new JsonArray(new JsonObject { ["resource"] = resource, ["code"] = "custom", ["field"] = "body", ["message"] = detail });
        }
        return new Answer(status, json);
    }

    static JsonObject? ParseObject(string json)
    {
        try
        {
            return JsonNode.Parse(json) as JsonObject;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    static int? IntQuery(HttpRequest request, string name) =>
        int.TryParse(request.Query[name].ToString(), NumberStyles.None, CultureInfo.InvariantCulture, out var value) ? value : null;
}
