using System.Diagnostics;
using System.Globalization;
using PrImageReport.Cli.Pipeline;
using PrImageReport.Cli.Terminal;
using PrImageReport.Cli.Verbs;
using PrImageReport.Core.Comparison;
using PrImageReport.Core.Reports;
using PrImageReport.Docker;
using PrImageReport.GitHub;
using PrImageReport.GitHub.Publishing;

namespace PrImageReport.Cli.GitHubActions;

/// <summary>The action's entry: compare the pull request's base and head images (or publish a report made
/// elsewhere), then comment, set the status, write the job summary, outputs and annotations.</summary>
public static class ActionCommand
{
    /// <summary>Folder in the workspace for the report files, so later steps can upload them.</summary>
    public const string ReportFolder = ".pr-image-report";

    public static async Task<int> RunAsync(Func<string, string?> env, TextWriter output, TextWriter error, CancellationToken ct)
    {
        var context = await ActionContext.FromEnvironmentAsync(env, ct).ConfigureAwait(false);
        var commands = new WorkflowCommands(output, context.OutputPath, context.StepSummaryPath);
        commands.AddMask(context.Inputs.Token);
        using var api = GitHubApi.Create(new GitHubApiSettings(context.ApiUrl, context.Inputs.Token));
        var template = await TemplateFile.LoadAsync(context.Inputs.Template, "template", context.Workspace, ct).ConfigureAwait(false);

        var report = context.Inputs.PublishReport is { } reportPath
            ? await ReadReportAsync(Path.Combine(context.Workspace, reportPath), ct).ConfigureAwait(false)
            : await CompareAsync(context, api, error, ct).ConfigureAwait(false);

        var markdown = MarkdownReportRenderer.Render(report, template);
        var files = await WriteReportFilesAsync(context.Workspace, report, markdown, ct).ConfigureAwait(false);
        await commands.AppendSummaryAsync(markdown, ct).ConfigureAwait(false);
        await commands.SetOutputAsync("verdict", report.Verdict.ToString().ToLowerInvariant(), ct).ConfigureAwait(false);
        var delta = report.Images.Select(i => i.SizeDeltaBytes).OfType<long>().ToList();
        await commands.SetOutputAsync("size-delta-bytes", delta.Count == 0 ? "" : delta.Sum().ToString(CultureInfo.InvariantCulture), ct).ConfigureAwait(false);
        await commands.SetOutputAsync("report-markdown", files.Markdown, ct).ConfigureAwait(false);
        await commands.SetOutputAsync("report-json", files.Json, ct).ConfigureAwait(false);
        Annotate(commands, report);

        var run = new ReportRun(context.PullRequest.HeadSha, context.RunNumber, context.RunAttempt);
        var target = new PublishTarget(context.Owner, context.Repository, context.PullRequest.Number, run, context.ReportKey, context.Inputs.StatusContext, context.RunUrl);
        var notices = await ReportPublisher.PublishAsync(api, target, report, markdown, context.Inputs.StickyComment, context.Inputs.FailOn, ct).ConfigureAwait(false);
        foreach (var notice in notices)
        {
            commands.Notice($"{notice} The report is in the job summary and in {files.Json}.");
        }

        await error.WriteLineAsync($"verdict: {report.Verdict.ToString().ToLowerInvariant()} ({ReportPublisher.Describe(report)})").ConfigureAwait(false);
        return ReportPublisher.FailsCheck(report.Verdict, context.Inputs.FailOn) ? ExitCodes.Failed : ExitCodes.Success;
    }

    private static async Task<ComparisonReport> CompareAsync(ActionContext context, GitHubApi api, TextWriter error, CancellationToken ct)
    {
        var inputs = context.Inputs;
        var scratch = Directory.CreateTempSubdirectory("pr-image-report-");
        try
        {
            var settings = ComparePlanner.Settings(
                inputs.BuildArgs, inputs.Target, inputs.Builder, inputs.Network,
                new BuildKitArguments(inputs.BuildxBuilder, inputs.Secrets, inputs.CacheFrom, inputs.CacheTo),
                context.Workspace);
            IReadOnlyList<ImagePlan> plans;
            if (inputs.BaseImage is not null || inputs.HeadImage is not null)
            {
                plans = inputs is { BaseImage: { } baseImage, HeadImage: { } headImage }
                    ? [ComparePlanner.PlanImages(baseImage, headImage)]
                    : throw new UsageException("base-image and head-image go together: set both inputs to compare two prebuilt images, or neither to build");
            }
            else
            {
                var pr = context.PullRequest;
                // The checkout has only the head (depth 1): the base tree comes from the API's archive of the base commit.
                var baseTree = new SourceTree(pr.BaseRef, Path.Combine(scratch.FullName, "base"));
                await api.Archives.ExtractTreeAsync(context.Owner, context.Repository, pr.BaseSha, baseTree.Directory, ct).ConfigureAwait(false);
                SourceTree headTree;
                if (pr.EventName == "pull_request")
                {
                    headTree = new SourceTree(pr.HeadRef, context.Workspace);
                }
                else
                {
                    // pull_request_target checks out the base branch: take the head commit from the API too.
                    headTree = new SourceTree(pr.HeadRef, Path.Combine(scratch.FullName, "head"));
                    await api.Archives.ExtractTreeAsync(context.Owner, context.Repository, pr.HeadSha, headTree.Directory, ct).ConfigureAwait(false);
                }

                plans = await ComparePlanner.PlanTreesAsync(baseTree, headTree, inputs.Dockerfiles, inputs.Context, settings, ct).ConfigureAwait(false);
            }

            using var engine = DockerEngine.Connect();
            await engine.PingAsync(ct).ConfigureAwait(false);
            var reporter = new ConsoleBuildReporter(error, interactive: true, color: false);
            return await new CompareRunner(engine, reporter, new RuleOptions()).RunAsync(plans, settings, keepImages: false, ct).ConfigureAwait(false);
        }
        finally
        {
            scratch.Delete(recursive: true);
        }
    }

    private static async Task<ComparisonReport> ReadReportAsync(string path, CancellationToken ct)
    {
        if (!File.Exists(path))
        {
            throw new UsageException($"publish-report: {path} does not exist; download the report artifact into the workspace first");
        }

        await using var stream = File.OpenRead(path);
        return await JsonReportReader.ReadAsync(stream, path, ct).ConfigureAwait(false);
    }

    private static void Annotate(WorkflowCommands commands, ComparisonReport report)
    {
        foreach (var image in report.Images)
        {
            foreach (var finding in image.Findings.Where(f => f.Severity == Severity.Error))
            {
                var file = image.Dockerfile.Length == 0 ? null : image.Dockerfile;
                commands.Error(finding.Message, file, file is null ? null : finding.Line, finding.Rule);
            }
        }
    }

    private static async Task<(string Markdown, string Json)> WriteReportFilesAsync(string workspace, ComparisonReport report, string markdown, CancellationToken ct)
    {
        var folder = Path.Combine(workspace, ReportFolder);
        Directory.CreateDirectory(folder);
        var markdownPath = Path.Combine(folder, "report.md");
        var jsonPath = Path.Combine(folder, "report.json");
        await File.WriteAllTextAsync(markdownPath, markdown, ct).ConfigureAwait(false);
        await using (var json = File.Create(jsonPath))
        {
            await JsonReportWriter.WriteAsync(report, json, ct).ConfigureAwait(false);
        }

        await GiveToWorkspaceOwnerAsync(workspace, folder, ct).ConfigureAwait(false);
        return (Path.Combine(ReportFolder, "report.md"), Path.Combine(ReportFolder, "report.json"));
    }

    /// <summary>The container runs as root but the runner's user (uid 1001) owns the mounted workspace and must be
    /// able to clean it up after the job.</summary>
    private static async Task GiveToWorkspaceOwnerAsync(string workspace, string folder, CancellationToken ct)
    {
        if (!OperatingSystem.IsLinux() || Environment.UserName != "root")
        {
            return;
        }

        var start = new ProcessStartInfo("chown") { UseShellExecute = false, RedirectStandardError = true };
        foreach (var argument in new[] { "-R", $"--reference={workspace}", folder })
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start);
        if (process is not null)
        {
            await process.WaitForExitAsync(ct).ConfigureAwait(false);
        }
    }
}
