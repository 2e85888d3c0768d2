using System.ComponentModel;
using System.Diagnostics;
using PrImageReport.Core.Images;
using PrImageReport.Docker.Endpoints;

namespace PrImageReport.Docker.Builds;

/// <summary>A docker CLI that builds with BuildKit: through its buildx plugin, or (docker 20.10 and older) by itself with DOCKER_BUILDKIT=1.</summary>
/// <param name="Path">The CLI; null when none was found, and then <paramref name="Problem"/> says why.</param>
internal sealed record BuildKitCli(string? Path, bool Buildx, string? Problem);

/// <summary>A buildx builder as <c>docker buildx inspect</c> names it.</summary>
/// <param name="Driver">docker, docker-container, kubernetes, remote, cloud.</param>
internal sealed record BuildxBuilder(string Name, string Driver)
{
    /// <summary>Only the docker driver builds into the engine's own image store; the others would export and load, so their image is read from the archive they stream instead.</summary>
    public bool LoadsIntoEngine => Driver == "docker";
}

/// <summary>
/// Builds with BuildKit through the docker CLI. The Engine API's BuildKit mode (version=2) needs a gRPC session
/// for the context and the Dockerfile that Docker.DotNet does not provide, so the CLI (which opens that session) does it.
/// </summary>
internal sealed class BuildKitBuilder(string cli, EngineEndpoint engine)
{
    public const string CliVariable = "PR_IMAGE_REPORT_DOCKER_CLI";

    /// <summary>The step in which buildx starts a builder that is not running (a docker-container driver's container).</summary>
    private const string BootStep = "[internal] booting buildkit";

    /// <summary>How long a CLI whose archive output ended early has to exit by itself before it counts as blocked.</summary>
    private static readonly TimeSpan ReaderGrace = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Finds the docker CLI to build with: <see cref="CliVariable"/> if set, else the docker clients on PATH in order.
    /// One with the buildx plugin wins; else one that still builds with DOCKER_BUILDKIT=1 (docker 20.10). A client whose
    /// API the engine refuses (Docker 29 refuses 20.10's 1.41) is passed over.
    /// </summary>
    public static async Task<BuildKitCli> FindCliAsync(EngineEndpoint engine, CancellationToken ct)
    {
        var chosen = Environment.GetEnvironmentVariable(CliVariable);
        var candidates = chosen is { Length: > 0 }
            ? [chosen]
            : (Environment.GetEnvironmentVariable("PATH") ?? "")
                .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
                .Select(dir => Path.Combine(dir, "docker"))
                .Where(File.Exists)
                .Select(Path.GetFullPath)
                .Distinct(StringComparer.Ordinal)
                .ToList();
        var problems = new List<string>();
        string? legacy = null;
        foreach (var candidate in candidates)
        {
            var builder = new BuildKitBuilder(candidate, engine);
            var (started, refused, refusal) = await builder.RunAsync(["version", "--format", "{{.Server.APIVersion}}"], ct).ConfigureAwait(false);
            if (!started)
            {
                problems.Add($"{candidate}: cannot be run");
                continue;
            }

            if (refused)
            {
                problems.Add($"{candidate}: {refusal}");
                continue;
            }

            if (!(await builder.RunAsync(["buildx", "version"], ct).ConfigureAwait(false)).Failed)
            {
                return new BuildKitCli(candidate, Buildx: true, null);
            }

            // docker 23 and newer refuse DOCKER_BUILDKIT=1 without buildx; 20.10 builds with its own BuildKit.
            if (legacy is null && !(await builder.RunAsync(["build", "--help"], ct).ConfigureAwait(false)).Failed)
            {
                legacy = candidate;
            }
            else
            {
                problems.Add($"{candidate}: no buildx plugin");
            }
        }

        if (legacy is not null)
        {
            return new BuildKitCli(legacy, Buildx: false, null);
        }

        var where = chosen is { Length: > 0 } ? $"{CliVariable}={chosen} cannot build with BuildKit" : "no docker CLI here builds with BuildKit";
        var tried = problems.Count == 0 ? "no docker on PATH" : string.Join("; ", problems);
        return new BuildKitCli(null, Buildx: false, $"{where} ({tried})");
    }

    /// <summary>The builder buildx would use for <paramref name="name"/> (null: BUILDX_BUILDER, else the current one).</summary>
    public async Task<BuildxBuilder> InspectAsync(string? name, CancellationToken ct)
    {
        var (_, failed, output) = await RunAsync(name is null ? ["buildx", "inspect"] : ["buildx", "inspect", name], ct, allOutput: true).ConfigureAwait(false);
        var which = name ?? (Environment.GetEnvironmentVariable("BUILDX_BUILDER") is { Length: > 0 } variable ? $"{variable} (BUILDX_BUILDER)" : "(the current one)");
        var fields = output.Split('\n').Select(line => line.Split(':', 2)).Where(pair => pair.Length == 2).ToLookup(pair => pair[0].Trim(), pair => pair[1].Trim(), StringComparer.Ordinal);
        if (failed || fields["Name"].FirstOrDefault() is not { Length: > 0 } resolved || fields["Driver"].FirstOrDefault() is not { Length: > 0 } driver)
        {
            var said = output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).LastOrDefault() ?? "no answer";
            throw new EngineUnavailableException($"buildx builder {which}: {said}; name one that `{cli} buildx ls` lists, or create it with `docker buildx create --name NAME`");
        }

        return new BuildxBuilder(resolved, driver);
    }

    /// <summary>Builds with <paramref name="buildx"/>, or with the CLI's own BuildKit when null.</summary>
    public async Task<BuildOutcome> BuildAsync(BuildRequest request, BuildxBuilder? buildx, IProgress<BuildProgress>? progress, CancellationToken ct)
    {
        var options = request.BuildKit ?? BuildKitOptions.None;
        var archive = buildx is not null && (options.Archive || !buildx.LoadsIntoEngine);
        var redactor = SecretRedactor.For(options.Secrets);
        var start = StartInfo(Arguments(request, buildx, archive));
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
                    log.Add(redactor.Redact(line));
                    if (log.RefusedApi is not null && !process.HasExited)
                    {
                        // docker 20.10's BuildKit session can wait forever once the engine has refused its API version.
                        process.Kill(entireProcessTree: true);
                    }
                }
            }
        }

        process.ErrorDataReceived += (_, e) => Read(e.Data);
        process.BeginErrorReadLine();
        Task<ImageFilesystem>? reading = null;
        if (archive)
        {
            // The image streams out on standard output once built: read as it comes, never stored whole.
            reading = ReadArchiveAsync(process.StandardOutput.BaseStream, ct);
        }
        else
        {
            process.OutputDataReceived += (_, e) => Read(e.Data);
            process.BeginOutputReadLine();
        }

        var readerGaveUp = false;
        try
        {
            var exited = process.WaitForExitAsync(ct);
            if (reading is not null && await Task.WhenAny(reading, exited).ConfigureAwait(false) == reading && reading.IsFaulted
                && await Task.WhenAny(exited, Task.Delay(ReaderGrace, ct)).ConfigureAwait(false) != exited)
            {
                // The reader gave up on an archive still coming (a CLI that failed closes its output and exits by
                // itself): it no longer drains the pipe, which would leave the CLI blocked on it.
                readerGaveUp = true;
                process.Kill(entireProcessTree: true);
            }

            await exited.ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // The engine stops the build when the CLI's session goes away.
            process.Kill(entireProcessTree: true);
            throw;
        }

        // Waits for the last lines of standard error as well.
        await process.WaitForExitAsync(CancellationToken.None).ConfigureAwait(false);
        if (reading is not null && (process.ExitCode == 0 || readerGaveUp))
        {
            var filesystem = await reading.ConfigureAwait(false);
            return new BuildOutcome(filesystem.ConfigDigest, null, ArchiveFacts.FromFilesystem(request.Tag, filesystem));
        }

        if (process.ExitCode == 0)
        {
            return new BuildOutcome(null, null);
        }

        if (reading is not null)
        {
            try
            {
                await reading.ConfigureAwait(false);
            }
            catch (ImageArchiveException)
            {
                // A failed build writes no archive: the reader's complaint about that says nothing.
            }
        }

        if (log.RefusedApi is { } refused)
        {
            throw new EngineUnavailableException($"the docker CLI {cli} speaks API {refused.Client}, which the engine at {engine} refuses (it needs {refused.Minimum} or newer): set {CliVariable} to a newer docker CLI with the buildx plugin");
        }

        if (log.UnreachableEngine is { } line)
        {
            throw new EngineUnavailableException($"{DockerEngine.Unreachable(engine, null)} (docker build said: {line})");
        }

        var failure = log.Failure(process.ExitCode);
        if (buildx is not null && failure.Step == BootStep)
        {
            // Not the Dockerfile's fault: the builder itself did not come up.
            throw new EngineUnavailableException($"buildx builder {buildx.Name} ({buildx.Driver} driver) did not start: {failure.Message}; check it with `{cli} buildx inspect --bootstrap {buildx.Name}`");
        }

        return new BuildOutcome(null, failure);
    }

    /// <summary>The CLI's arguments: <c>buildx build</c> for a buildx builder, else <c>build</c> (with DOCKER_BUILDKIT=1).</summary>
    /// <param name="archive">Stream an OCI archive to standard output instead of loading the image into the engine.</param>
    internal static List<string> Arguments(BuildRequest request, BuildxBuilder? buildx, bool archive)
    {
        var options = request.BuildKit ?? BuildKitOptions.None;
        var arguments = buildx is null ? new List<string> { "build" } : ["buildx", "build", "--builder", buildx.Name];
        arguments.AddRange(["--progress=plain", "-f", Path.GetFullPath(request.DockerfilePath), "-t", request.Tag]);
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

        foreach (var secret in options.Secrets)
        {
            arguments.Add("--secret");
            arguments.Add(secret.Argument);
        }

        foreach (var (flag, specs) in new[] { ("--cache-from", options.CacheFrom), ("--cache-to", options.CacheTo) })
        {
            foreach (var spec in specs)
            {
                arguments.Add(flag);
                arguments.Add(spec);
            }
        }

        if (buildx is not null)
        {
            arguments.AddRange(archive ? ["--output", "type=oci,dest=-"] : ["--load"]);
        }

        arguments.Add(Path.GetFullPath(request.ContextDirectory));
        return arguments;
    }

    private static async Task<ImageFilesystem> ReadArchiveAsync(Stream output, CancellationToken ct)
    {
        await Task.Yield();
        var filesystem = await ImageArchiveReader.ReadAsync(output, ct).ConfigureAwait(false);
        // The tar's end-of-archive padding is left; the CLI exits only once it is written.
        await output.CopyToAsync(Stream.Null, ct).ConfigureAwait(false);
        return filesystem;
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

    /// <summary>Runs the CLI to ask it something; <c>Failed</c> is a non-zero exit, <c>Output</c> its last line of standard error (or all its output).</summary>
    private async Task<(bool Started, bool Failed, string Output)> RunAsync(IEnumerable<string> arguments, CancellationToken ct, bool allOutput = false)
    {
        var start = StartInfo(arguments);
        Process process;
        try
        {
            process = Process.Start(start)!;
        }
        catch (Win32Exception)
        {
            return (false, true, "");
        }

        using var started = process;
        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync(ct);
        var stderr = process.StandardError.ReadToEndAsync(ct);
        try
        {
            await process.WaitForExitAsync(ct).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // buildx inspect may be booting a builder, or dialling an engine over ssh: neither outlives the run.
            process.Kill(entireProcessTree: true);
            throw;
        }

        var (output, error) = (await stdout.ConfigureAwait(false), await stderr.ConfigureAwait(false));
        var said = allOutput ? output + "\n" + error : error.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).LastOrDefault() ?? "";
        return (true, process.ExitCode != 0, said);
    }
}
