using PrImageReport.Cli.Pipeline;
using PrImageReport.Cli.Terminal;
using PrImageReport.Core.Comparison;
using PrImageReport.Core.Reports;
using PrImageReport.Docker;

namespace PrImageReport.Cli.Verbs;

/// <summary>The compare verb: plan, build both sides, compare, write the reports, exit by verdict.</summary>
public static class CompareCommand
{
    public static async Task<int> RunAsync(CompareVerb verb, TextWriter output, TextWriter error, CancellationToken ct)
    {
        var settings = ComparePlanner.Settings(verb);
        // Read before anything is built, so a broken template costs no build.
        var template = await TemplateFile.LoadAsync(verb.Template, "--template", null, ct).ConfigureAwait(false);
        var scratch = Directory.CreateTempSubdirectory("pr-image-report-");
        try
        {
            var plans = await new ComparePlanner(scratch.FullName).PlanAsync(verb, settings, ct).ConfigureAwait(false);
            using var engine = DockerEngine.Connect();
            await engine.PingAsync(ct).ConfigureAwait(false);

            var interactive = !Console.IsErrorRedirected;
            var color = interactive && !verb.NoColor && Environment.GetEnvironmentVariable("NO_COLOR") is null;
            var reporter = new ConsoleBuildReporter(error, interactive, color);
            var report = await new CompareRunner(engine, reporter, new RuleOptions(), pullToMeasure: !verb.NoPull).RunAsync(plans, settings, verb.KeepImages, ct).ConfigureAwait(false);

            await ReportFiles.WriteAsync(report, template, verb.Output, verb.Json, output, ct).ConfigureAwait(false);
            await error.WriteLineAsync($"verdict: {report.Verdict.ToString().ToLowerInvariant()}").ConfigureAwait(false);
            return report.Verdict == Verdict.Fail ? ExitCodes.Failed : ExitCodes.Success;
        }
        finally
        {
            scratch.Delete(recursive: true);
        }
    }
}
