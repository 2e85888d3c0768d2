using System.ComponentModel;
using PrImageReport.Cli.GitHubActions;
using PrImageReport.Cli.Verbs;
using PrImageReport.Core.Reports;
using PrImageReport.GitHub;
using PrImageReport.Core.Dockerfiles;
using PrImageReport.Core.Images;
using PrImageReport.Docker;
using PrImageReport.Git;

namespace PrImageReport.Cli;

/// <summary>Runs a parsed verb and turns every way it can end into a one-line message and an exit code.</summary>
public static class CommandRunner
{
    public static async Task<int> RunAsync(object verb, TextWriter output, TextWriter error, CancellationToken ct)
    {
        try
        {
            return verb switch
            {
                CompareVerb compare => await CompareCommand.RunAsync(compare, output, error, ct).ConfigureAwait(false),
                ActionVerb => await ActionCommand.RunAsync(Environment.GetEnvironmentVariable, output, error, ct).ConfigureAwait(false),
                PublishVerb publish => await PublishCommand.RunAsync(publish, Environment.GetEnvironmentVariable, error, ct).ConfigureAwait(false),
                _ => throw new UsageException($"unknown command {verb.GetType().Name}"),
            };
        }
        catch (Exception e) when (e is UsageException or GitException or DockerfileParseException or ReportFormatException or ReportTemplateException or GitHubConfigurationException)
        {
            await error.WriteLineAsync($"pr-image-report: {e.Message}").ConfigureAwait(false);
            return ExitCodes.BadInput;
        }
        catch (Exception e) when (e is EngineUnavailableException or ImageArchiveException)
        {
            await error.WriteLineAsync($"pr-image-report: {e.Message}").ConfigureAwait(false);
            return ExitCodes.Infrastructure;
        }
        catch (GitHubApiException e)
        {
            await error.WriteLineAsync($"pr-image-report: {e.Message}").ConfigureAwait(false);
            return ExitCodes.Infrastructure;
        }
        catch (Win32Exception e)
        {
            // Process.Start of git or the docker CLI failed: the program is not installed.
            await error.WriteLineAsync($"pr-image-report: could not start a required program ({e.Message}); install git and the docker CLI").ConfigureAwait(false);
            return ExitCodes.Infrastructure;
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            await error.WriteLineAsync("pr-image-report: cancelled").ConfigureAwait(false);
            return 130;
        }
    }
}
