using System.Text.Json;

namespace PrImageReport.Cli.GitHubActions;

/// <summary>The pull request a run is about, from the event payload GitHub hands the action.</summary>
public sealed record PullRequestEvent(string EventName, int Number, string BaseSha, string BaseRef, string HeadSha, string HeadRef);

/// <summary>What the action was asked to do: its inputs, as GitHub passes them to a container action.</summary>
public sealed record ActionInputs(
    string Token,
    IReadOnlyList<string> Dockerfiles,
    string? Context,
    IReadOnlyList<string> BuildArgs,
    string? Target,
    string Builder,
    string? Network,
    bool StickyComment,
    FailOn FailOn,
    string? BaseImage,
    string? HeadImage,
    string StatusContext,
    string? PublishReport,
    int? PullRequestNumber,
    string? PullRequestHeadSha,
    string? Template,
    string? BuildxBuilder,
    IReadOnlyList<string> Secrets,
    IReadOnlyList<string> CacheFrom,
    IReadOnlyList<string> CacheTo);

public enum FailOn { Error, Warning, Never }

/// <summary>The run's context from the environment GitHub gives a container action (GITHUB_*, INPUT_*).</summary>
/// <param name="RunNumber">The number that orders this report among the report key's runs: GITHUB_RUN_NUMBER, or on
/// workflow_run the number of the run that made the report; null when unknown.</param>
/// <param name="RunAttempt">GITHUB_RUN_ATTEMPT (or the triggering run's attempt on workflow_run).</param>
public sealed record ActionContext(
    string Owner,
    string Repository,
    string Workspace,
    Uri ApiUrl,
    Uri? RunUrl,
    string ReportKey,
    string? StepSummaryPath,
    string? OutputPath,
    PullRequestEvent PullRequest,
    ActionInputs Inputs,
    long? RunNumber,
    int? RunAttempt)
{
    public static async Task<ActionContext> FromEnvironmentAsync(Func<string, string?> env, CancellationToken ct)
    {
        // The job's variables first: outside a GitHub Actions job that is the message that helps.
        var eventName = Required(env, "GITHUB_EVENT_NAME");
        var eventPath = Required(env, "GITHUB_EVENT_PATH");
        var inputs = ReadInputs(env);
        var fullName = Required(env, "GITHUB_REPOSITORY");
        var slash = fullName.IndexOf('/', StringComparison.Ordinal);
        if (slash <= 0 || slash == fullName.Length - 1)
        {
            throw new UsageException($"GITHUB_REPOSITORY '{fullName}' is not owner/name");
        }

        var pullRequest = inputs is { PullRequestNumber: { } number, PullRequestHeadSha: { } sha }
            ? new PullRequestEvent(eventName, number, "", "", sha, "")
            : inputs.PublishReport is null
                ? await ReadEventAsync(eventName, eventPath, ct).ConfigureAwait(false)
                : await ReadAnyEventAsync(eventName, eventPath, ct).ConfigureAwait(false);
        if (pullRequest.HeadSha.Length is not (40 or 64) || !pullRequest.HeadSha.All(char.IsAsciiHexDigit))
        {
            throw new UsageException($"head-sha '{pullRequest.HeadSha}' is not a full commit SHA: pass the pull request's 40-character head SHA");
        }

        var server = env("GITHUB_SERVER_URL");
        var runId = env("GITHUB_RUN_ID");
        Uri? runUrl = server is not null && runId is not null ? new Uri($"{server.TrimEnd('/')}/{fullName}/actions/runs/{runId}") : null;
        var workflow = env("GITHUB_WORKFLOW") ?? "workflow";
        var job = env("GITHUB_JOB") ?? "job";
        var dockerfiles = inputs.Dockerfiles.Count == 0 ? "Dockerfile" : string.Join(",", inputs.Dockerfiles);
        var (runNumber, runAttempt) = eventName == "workflow_run"
            ? await ReadTriggeringRunAsync(eventPath, ct).ConfigureAwait(false)
            : (RunNumberOf(env("GITHUB_RUN_NUMBER")), (int?)RunNumberOf(env("GITHUB_RUN_ATTEMPT")));
        return new ActionContext(
            fullName[..slash],
            fullName[(slash + 1)..],
            env("GITHUB_WORKSPACE") ?? Environment.CurrentDirectory,
            new Uri(env("GITHUB_API_URL") ?? "https://api.github.com"),
            runUrl,
            MarkerKey($"{workflow}/{job}:{dockerfiles}"),
            NullIfEmpty(env("GITHUB_STEP_SUMMARY")),
            NullIfEmpty(env("GITHUB_OUTPUT")),
            pullRequest,
            inputs,
            runNumber,
            runAttempt);
    }

    /// <summary>On workflow_run the report was made by the run that triggered this one: its number orders the reports,
    /// not this publishing run's (publishing runs start in the order the reports finish).</summary>
    private static async Task<(long? Number, int? Attempt)> ReadTriggeringRunAsync(string eventPath, CancellationToken ct)
    {
        await using var stream = File.OpenRead(eventPath);
        using var payload = await JsonDocument.ParseAsync(stream, cancellationToken: ct).ConfigureAwait(false);
        if (!payload.RootElement.TryGetProperty("workflow_run", out var run) || run.ValueKind != JsonValueKind.Object)
        {
            return (null, null);
        }

        long? Number(string name) => run.TryGetProperty(name, out var value) && value.TryGetInt64(out var n) && n > 0 ? n : null;
        return (Number("run_number"), (int?)Number("run_attempt"));
    }

    internal static long? RunNumberOf(string? text) =>
        long.TryParse(text, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var n) && n > 0 ? n : null;

    private static ActionInputs ReadInputs(Func<string, string?> env)
    {
        string? Input(string name) => NullIfEmpty(env("INPUT_" + name.ToUpperInvariant())?.Trim());
        var token = Input("github-token") ?? NullIfEmpty(env("GITHUB_TOKEN"))
            ?? throw new UsageException("the github-token input is empty; keep its default (${{ github.token }}) or pass a token");
        var failOn = (Input("fail-on") ?? "error").ToLowerInvariant() switch
        {
            "error" => FailOn.Error,
            "warning" => FailOn.Warning,
            "never" => FailOn.Never,
            var other => throw new UsageException($"fail-on: '{other}' is not one of error, warning, never"),
        };
        var comment = (Input("comment") ?? "sticky").ToLowerInvariant() switch
        {
            "sticky" => true,
            "off" => false,
            var other => throw new UsageException($"comment: '{other}' is not one of sticky, off"),
        };
        return new ActionInputs(
            token,
            Lines(Input("dockerfile"), '\n', ','),
            Input("context"),
            Lines(Input("build-args"), '\n'),
            Input("target"),
            Input("builder") ?? "auto",
            Input("network"),
            comment,
            failOn,
            Input("base-image"),
            Input("head-image"),
            Input("status-context") ?? "pr-image-report",
            Input("publish-report"),
            Input("pull-request") is { } number ? int.TryParse(number, out var n) && n > 0 ? n : throw new UsageException($"pull-request: '{number}' is not a pull request number") : null,
            Input("head-sha"),
            Input("template"),
            Input("buildx-builder"),
            Lines(Input("secrets"), '\n'),
            Lines(Input("cache-from"), '\n'),
            Lines(Input("cache-to"), '\n'));
    }

    private static async Task<PullRequestEvent> ReadEventAsync(string eventName, string eventPath, CancellationToken ct)
    {
        if (eventName is not ("pull_request" or "pull_request_target"))
        {
            throw new UsageException($"this run's event is '{eventName}': the action compares a pull request's images, so run it on: pull_request (or pull_request_target); to post a report from workflow_run, set the publish-report input");
        }

        return await ReadAnyEventAsync(eventName, eventPath, ct).ConfigureAwait(false);
    }

    private static async Task<PullRequestEvent> ReadAnyEventAsync(string eventName, string eventPath, CancellationToken ct)
    {
        await using var stream = File.OpenRead(eventPath);
        using var payload = await JsonDocument.ParseAsync(stream, cancellationToken: ct).ConfigureAwait(false);
        if (!payload.RootElement.TryGetProperty("pull_request", out var pr))
        {
            if (eventName == "workflow_run"
                && payload.RootElement.GetProperty("workflow_run").GetProperty("pull_requests") is { ValueKind: JsonValueKind.Array } prs
                && prs.GetArrayLength() > 0)
            {
                pr = prs[0];
            }
            else
            {
                throw new UsageException($"{eventPath}: the '{eventName}' event payload names no pull request; run the action on pull_request events, or pass the pull-request and head-sha inputs");
            }
        }

        var baseBranch = pr.GetProperty("base");
        var head = pr.GetProperty("head");
        return new PullRequestEvent(
            eventName,
            pr.GetProperty("number").GetInt32(),
            baseBranch.GetProperty("sha").GetString()!,
            baseBranch.GetProperty("ref").GetString()!,
            head.GetProperty("sha").GetString()!,
            head.GetProperty("ref").GetString()!);
    }

    /// <summary>The comment marker takes letters, digits and single - _ . / : only; workflow names have spaces and more.</summary>
    private static string MarkerKey(string text)
    {
        var key = new System.Text.StringBuilder();
        foreach (var c in text)
        {
            var kept = char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' or '/' or ':' ? c : '-';
            if (!(kept is '-' or '_' or '.' or '/' or ':' && key.Length > 0 && key[^1] is '-' or '_' or '.' or '/' or ':'))
            {
                key.Append(kept);
            }
        }

        return key.ToString().Trim('-', '_', '.', '/', ':');
    }

    private static string Required(Func<string, string?> env, string name) =>
        NullIfEmpty(env(name)) ?? throw new UsageException($"{name} is not set: pr-image-report action runs inside a GitHub Actions job; locally, use pr-image-report compare");

    private static IReadOnlyList<string> Lines(string? value, params char[] separators) =>
        value is null ? [] : value.Split(separators, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    private static string? NullIfEmpty(string? value) => string.IsNullOrEmpty(value) ? null : value;
}
