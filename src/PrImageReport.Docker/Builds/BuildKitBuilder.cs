using System.ComponentModel;
using System.Diagnostics;
using PrImageReport.Docker.Endpoints;

namespace PrImageReport.Docker.Builds;

/// <summary>
/// Builds with BuildKit through the docker CLI. The Engine API's BuildKit mode (version=2) needs a gRPC session
/// for the context and the Dockerfile that Docker.DotNet does not provide, so the CLI (which opens that session) does it.
/// </summary>
internal sealed class BuildKitBuilder(string cli, EngineEndpoint engine)
{
    public const string CliVariable = "PR_IMAGE_REPORT_DOCKER_CLI";

    /// <summary>Finds a docker CLI that still builds with DOCKER_BUILDKIT=1: newer ones need the buildx plugin for that, older ones do it themselves.</summary>
    public static async Task<string> FindCliAsync(CancellationToken ct)
    {
        if (Environment.GetEnvironmentVariable(CliVariable) is { Length: > 0 } chosen)
        {
            return await CanBuildAsync(chosen, ct).ConfigureAwait(false)
                ? chosen
                : throw new EngineUnavailableException($"{CliVariable}={chosen} cannot build with BuildKit (`DOCKER_BUILDKIT=1 {chosen} build --help` fails); point it at a docker CLI with the buildx plugin, or at /usr/bin/docker of docker 20.10");
        }

        var candidates = new List<string> { "/usr/bin/docker" };
        candidates.AddRange((Environment.GetEnvironmentVariable("PATH") ?? "")
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(dir => Path.Combine(dir, "docker")));
        var tried = new List<string>();
        foreach (var candidate in candidates.Where(File.Exists).Select(Path.GetFullPath).Distinct(StringComparer.Ordinal))
        {
            tried.Add(candidate);
            if (await CanBuildAsync(candidate, ct).ConfigureAwait(false))
            {
                return candidate;
            }
        }

        var what = tried.Count == 0 ? "no docker CLI on PATH" : $"no docker CLI that builds with BuildKit (tried {string.Join(", ", tried)})";
        throw new EngineUnavailableException($"{what}: install the docker CLI with the buildx plugin, or set {CliVariable} to one");
    }

    public async Task<BuildOutcome> BuildAsync(BuildRequest request, IProgress<BuildProgress>? progress, CancellationToken ct)
    {
        var start = StartInfo(Arguments(request));
        var log = new BuildKitLog(progress);
        using var process = Process.Start(start)!;
        process.StandardInput.Close();
        var gate = new object();
        void Read(string? line)
        {
            if (line is not null)
            {
                lock (gate)
                {
                    log.Add(line);
                }
            }
        }

        process.OutputDataReceived += (_, e) => Read(e.Data);
        process.ErrorDataReceived += (_, e) => Read(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            await process.WaitForExitAsync(ct).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // The engine stops the build when the CLI's session goes away.
            process.Kill(entireProcessTree: true);
            throw;
        }

        lock (gate)
        {
            if (process.ExitCode == 0)
            {
                return new BuildOutcome(null, null);
            }

            if (log.RefusedApi is { } refused)
            {
                throw new EngineUnavailableException($"the docker CLI {cli} speaks API {refused.Client}, which the engine at {engine} refuses (it needs {refused.Minimum} or newer): set {CliVariable} to a newer docker CLI with the buildx plugin");
            }

            if (log.UnreachableEngine is { } line)
            {
                throw new EngineUnavailableException($"{DockerEngine.Unreachable(engine, null)} (docker build said: {line})");
            }

            return new BuildOutcome(null, log.Failure(process.ExitCode));
        }
    }

    private static List<string> Arguments(BuildRequest request)
    {
        var arguments = new List<string> { "build", "--progress=plain", "-f", Path.GetFullPath(request.DockerfilePath), "-t", request.Tag };
        foreach (var (name, value) in request.BuildArgs)
        {
            arguments.Add("--build-arg");
            arguments.Add($"{name}={value}");
        }

        if (request.Target is { } target)
        {
            arguments.Add("--target");
            arguments.Add(target);
        }

        if (request.Network is { } network)
        {
            arguments.Add("--network");
            arguments.Add(network);
        }

        arguments.Add(Path.GetFullPath(request.ContextDirectory));
        return arguments;
    }

    private ProcessStartInfo StartInfo(IEnumerable<string> arguments)
    {
        var start = new ProcessStartInfo(cli, arguments)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.Environment["DOCKER_BUILDKIT"] = "1";
        engine.ApplyTo(start);
        return start;
    }

    private static async Task<bool> CanBuildAsync(string cli, CancellationToken ct)
    {
        var start = new ProcessStartInfo(cli, ["build", "--help"])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.Environment["DOCKER_BUILDKIT"] = "1";
        Process process;
        try
        {
            process = Process.Start(start)!;
        }
        catch (Win32Exception)
        {
            return false;
        }

        using var started = process;
        var drain = Task.WhenAll(process.StandardOutput.ReadToEndAsync(ct), process.StandardError.ReadToEndAsync(ct));
        await process.WaitForExitAsync(ct).ConfigureAwait(false);
        await drain.ConfigureAwait(false);
        return process.ExitCode == 0;
    }
}
