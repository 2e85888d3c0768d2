using System.Text.Json.Nodes;
using PrImageReport.Cli.IntegrationTests.Infrastructure;
using PrImageReport.Testing;
using PrImageReport.Testing.GitHub;

namespace PrImageReport.Cli.IntegrationTests.Action;

/// <summary>
/// A pull request as a GitHub runner sees it: the fake GitHub API serves the base commit's tarball, the workspace is the
/// checked-out head, and the event file is shaped like a real pull_request payload. The PR drops multi-stage and moves
/// the final stage from python:3.11-slim to python:3.11.
/// </summary>
internal sealed class ActionScenario : IAsyncDisposable
{
    public const string Owner = "octo-org";
    public const string Repo = "school-api";
    public const int Number = 42;

    public const string MultiStageSlim = """
        FROM python:3.11-slim AS builder
        WORKDIR /app
        COPY app.py .
        RUN python3 -m compileall -q app.py

        FROM python:3.11-slim
        WORKDIR /app
        COPY --from=builder /app /app
        CMD ["python3", "app.py"]
        """;

    public const string SingleStageFat = """
        FROM python:3.11
        WORKDIR /app
        COPY app.py .
        RUN python3 -m compileall -q app.py
        CMD ["python3", "app.py"]
        """;

    private ActionScenario(GitWorkspace repository, FakeGitHubServer github, TempDirectory runner, string baseSha, string headSha)
    {
        Repository = repository;
        GitHub = github;
        Runner = runner;
        BaseSha = baseSha;
        HeadSha = headSha;
    }

    public GitWorkspace Repository { get; }

    public FakeGitHubServer GitHub { get; }

    /// <summary>The runner's own folders: the event file, GITHUB_OUTPUT and GITHUB_STEP_SUMMARY.</summary>
    public TempDirectory Runner { get; }

    public string BaseSha { get; }

    public string HeadSha { get; }

    public string EventFile => Runner.Combine("workflow/event.json");

    public string OutputFile => Runner.Combine("file_commands/output");

    public string SummaryFile => Runner.Combine("file_commands/step_summary");

    /// <param name="headDockerfile">The head commit's Dockerfile; <see cref="SingleStageFat"/> unless given.</param>
    public static async Task<ActionScenario> CreateAsync(string headDockerfile = SingleStageFat)
    {
        var repository = await GitWorkspace.CreateAsync();
        repository.Write("app.py", "print('school api')\n");
        repository.Write("Dockerfile", MultiStageSlim);
        await repository.CommitAsync("multi-stage on the slim base");
        var baseSha = (await repository.GitAsync("rev-parse", "HEAD")).Trim();
        await repository.CreateBranchAsync("single-stage");
        repository.Write("Dockerfile", headDockerfile);
        await repository.CommitAsync("one stage is simpler");
        var headSha = (await repository.GitAsync("rev-parse", "HEAD")).Trim();

        var github = await FakeGitHubServer.StartAsync();
        github.AddTarball(Owner, Repo, baseSha, repository.Path);
        var runner = new TempDirectory("pr-image-report-runner-");
        runner.Write("file_commands/output", "");
        runner.Write("file_commands/step_summary", "");
        var scenario = new ActionScenario(repository, github, runner, baseSha, headSha);
        scenario.WriteEvent("pull_request");
        return scenario;
    }

    /// <summary>Writes the event payload: the fields GitHub sends that the action reads, and some it does not.</summary>
    public void WriteEvent(string eventName)
    {
        var pullRequest = new JsonObject
        {
            ["number"] = Number,
            ["state"] = "open",
            ["title"] = "One stage is simpler",
            ["base"] = new JsonObject { ["ref"] = "main", ["sha"] = BaseSha, ["repo"] = new JsonObject { ["full_name"] = $"{Owner}/{Repo}" } },
            ["head"] = new JsonObject { ["ref"] = "single-stage", ["sha"] = HeadSha, ["repo"] = new JsonObject { ["full_name"] = $"{Owner}/{Repo}" } },
        };
        var payload = eventName == "push"
            ? new JsonObject { ["ref"] = "refs/heads/main", ["after"] = HeadSha }
            : new JsonObject { ["action"] = "synchronize", ["number"] = Number, ["pull_request"] = pullRequest };
        Runner.Write("workflow/event.json", payload.ToJsonString());
        EventName = eventName;
    }

    public string EventName { get; private set; } = "pull_request";

    /// <summary>The variables the runner gives a container action, with paths as <paramref name="paths"/> maps them.</summary>
    public Dictionary<string, string?> Environment(Func<string, string> paths, Uri apiUrl) => new(StringComparer.Ordinal)
    {
        ["GITHUB_ACTIONS"] = "true",
        ["CI"] = "true",
        ["GITHUB_EVENT_NAME"] = EventName,
        ["GITHUB_EVENT_PATH"] = paths(EventFile),
        ["GITHUB_REPOSITORY"] = $"{Owner}/{Repo}",
        ["GITHUB_API_URL"] = apiUrl.AbsoluteUri.TrimEnd('/'),
        ["GITHUB_SERVER_URL"] = "https://github.com",
        ["GITHUB_RUN_ID"] = "1234",
        ["GITHUB_RUN_NUMBER"] = "7",
        ["GITHUB_RUN_ATTEMPT"] = "1",
        ["GITHUB_WORKFLOW"] = "Image report",
        ["GITHUB_JOB"] = "image-report",
        ["GITHUB_SHA"] = HeadSha,
        ["GITHUB_WORKSPACE"] = paths(Repository.Path),
        ["GITHUB_OUTPUT"] = paths(OutputFile),
        ["GITHUB_STEP_SUMMARY"] = paths(SummaryFile),
        ["INPUT_GITHUB-TOKEN"] = FakeGitHubServer.Token,
        ["INPUT_DOCKERFILE"] = "Dockerfile",
        ["INPUT_COMMENT"] = "sticky",
        ["INPUT_FAIL-ON"] = "error",
    };

    public async ValueTask DisposeAsync()
    {
        await GitHub.DisposeAsync();
        Runner.Dispose();
        Repository.Dispose();
    }
}
