using PrImageReport.Cli.GitHubActions;
using PrImageReport.Core.Reports;
using PrImageReport.GitHub;
using PrImageReport.GitHub.Publishing;

namespace PrImageReport.Cli.Verbs;

/// <summary>The publish verb: the privileged half of the two-workflow pattern for fork pull requests.</summary>
public static class PublishCommand
{
    public static async Task<int> RunAsync(PublishVerb verb, Func<string, string?> env, TextWriter error, CancellationToken ct)
    {
        var slash = verb.Repository.IndexOf('/', StringComparison.Ordinal);
        if (slash <= 0 || slash == verb.Repository.Length - 1)
        {
            throw new UsageException($"--repository {verb.Repository}: expected owner/name");
        }

        var failOn = verb.FailOn.ToLowerInvariant() switch
        {
            "error" => FailOn.Error,
            "warning" => FailOn.Warning,
            "never" => FailOn.Never,
            _ => throw new UsageException($"--fail-on {verb.FailOn}: expected error, warning or never"),
        };
        var template = await TemplateFile.LoadAsync(verb.Template, "--template", null, ct).ConfigureAwait(false);
        if (!File.Exists(verb.Report))
        {
            throw new UsageException($"{verb.Report}: no such report; write one with pr-image-report compare --json FILE");
        }

        Core.Comparison.ComparisonReport report;
        await using (var stream = File.OpenRead(verb.Report))
        {
            report = await JsonReportReader.ReadAsync(stream, verb.Report, ct).ConfigureAwait(false);
        }

        using var api = GitHubApi.Create(GitHubApiSettings.FromEnvironment(env));
        if (verb.Sha.Length is not (40 or 64) || !verb.Sha.All(char.IsAsciiHexDigit))
        {
            throw new UsageException($"--sha {verb.Sha}: expected the head commit's full 40-character SHA");
        }

        var run = new ReportRun(
            verb.Sha,
            verb.RunNumber ?? ActionContext.RunNumberOf(env("GITHUB_RUN_NUMBER")),
            verb.RunAttempt ?? (int?)ActionContext.RunNumberOf(env("GITHUB_RUN_ATTEMPT")));
        var target = new PublishTarget(verb.Repository[..slash], verb.Repository[(slash + 1)..], verb.PullRequest, run, verb.Key, verb.StatusContext, null);
        var notices = await ReportPublisher.PublishAsync(api, target, report, MarkdownReportRenderer.Render(report, template), !verb.NoComment, failOn, ct).ConfigureAwait(false);
        foreach (var notice in notices)
        {
            await error.WriteLineAsync(notice).ConfigureAwait(false);
        }

        await error.WriteLineAsync($"verdict: {ReportPublisher.Describe(report)}").ConfigureAwait(false);
        return ReportPublisher.FailsCheck(report.Verdict, failOn) ? ExitCodes.Failed : ExitCodes.Success;
    }
}
