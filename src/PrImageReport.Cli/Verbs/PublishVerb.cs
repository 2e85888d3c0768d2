using CommandLine;

namespace PrImageReport.Cli.Verbs;

[Verb("publish", HelpText = "Post a report made by compare --json as the sticky PR comment and commit status (token in GITHUB_TOKEN, API in GITHUB_API_URL).")]
public sealed class PublishVerb
{
    [Option("report", Required = true, HelpText = "The JSON report written by compare --json or the action.")]
    public required string Report { get; init; }

    [Option("repository", Required = true, HelpText = "owner/name of the repository.")]
    public required string Repository { get; init; }

    [Option("pull-request", Required = true, HelpText = "The pull request's number.")]
    public int PullRequest { get; init; }

    [Option("sha", Required = true, HelpText = "The pull request's head commit, which gets the status.")]
    public required string Sha { get; init; }

    [Option("key", Default = "publish", HelpText = "Report key: runs with the same key update the same comment.")]
    public string Key { get; init; } = "publish";

    [Option("status-context", Default = "pr-image-report", HelpText = "The commit status's context.")]
    public string StatusContext { get; init; } = "pr-image-report";

    [Option("fail-on", Default = "error", HelpText = "error, warning or never: which verdict fails the status and the exit code.")]
    public string FailOn { get; init; } = "error";

    [Option("template", HelpText = "Render the comment with this Scriban template instead of the built-in one (see docs/report-template.md).")]
    public string? Template { get; init; }

    [Option("run-number", HelpText = "The number of the workflow run that made the report (default GITHUB_RUN_NUMBER): a run never overwrites the comment of a higher one.")]
    public long? RunNumber { get; init; }

    [Option("run-attempt", HelpText = "That run's attempt (default GITHUB_RUN_ATTEMPT).")]
    public int? RunAttempt { get; init; }

    [Option("no-comment", HelpText = "Set the status only.")]
    public bool NoComment { get; init; }
}
