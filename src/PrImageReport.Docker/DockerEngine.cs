using System.Globalization;
using System.IO.Pipelines;
using System.Text.Json;
using Docker.DotNet;
using Docker.DotNet.Models;
using Version = System.Version;
using PrImageReport.Core.Comparison;
using PrImageReport.Core.Images;
using PrImageReport.Docker.Builds;
using PrImageReport.Docker.Context;
using PrImageReport.Docker.Endpoints;

namespace PrImageReport.Docker;

/// <summary>The Docker engine chosen as the docker CLI chooses it (<see cref="EngineEndpointResolver"/>): unix://, tcp:// with or without TLS, ssh://, or a context.</summary>
public sealed class DockerEngine : IImageEngine, IDisposable, IAsyncDisposable
{
    public const string DefaultHost = EngineEndpointResolver.DefaultHost;

    /// <summary>The newest Engine API that Docker.DotNet 4.3 models; older engines are spoken to in their own version.</summary>
    private static readonly Version NewestApi = new(1, 54);

    /// <summary>The component Podman's Docker-compatible API names itself by in /version.</summary>
    private const string PodmanComponent = "Podman Engine";

    /// <summary>How long a request that is not a stream (inspect, history, remove) may take.</summary>
    private static readonly TimeSpan RequestTimeout = TimeSpan.FromSeconds(100);

    /// <summary>How long pulling an image only to measure it may take.</summary>
    private static readonly TimeSpan PullTimeout = TimeSpan.FromMinutes(3);

    private readonly SemaphoreSlim connecting = new(1, 1);
    private readonly Lazy<Task<BuildKitCli>> buildKitCli;
    private readonly Dictionary<string, Task<BuildxBuilder>> buildxBuilders = new(StringComparer.Ordinal);
    private readonly EngineTransport transport;
    private readonly Version? pinnedApi;
    private DockerClient? client;
    private (string Engine, string Store)? description;

    /// <summary>Podman's version when the engine is Podman (its Docker-compatible API), else null.</summary>
    private string? podman;

    private DockerEngine(EngineEndpoint endpoint, Version? pinnedApi, string? searchPath)
    {
        Endpoint = endpoint;
        transport = EngineTransport.For(endpoint, searchPath);
        this.pinnedApi = pinnedApi;
        buildKitCli = new(() => BuildKitBuilder.FindCliAsync(endpoint, CancellationToken.None));
    }

    public EngineEndpoint Endpoint { get; }

    /// <summary>Names the engine to use and reads its TLS files; nothing is contacted until the first call.</summary>
    /// <param name="dockerHost">The engine's address; null resolves it as the docker CLI does (DOCKER_HOST, DOCKER_CONTEXT, the current context, <see cref="DefaultHost"/>).</param>
    /// <exception cref="EngineUnavailableException">No usable address, an unknown context, or unreadable TLS files.</exception>
    public static DockerEngine Connect(string? dockerHost = null) => Connect(dockerHost, Environment.GetEnvironmentVariable);

    /// <param name="environment">Where DOCKER_HOST, DOCKER_CONTEXT, DOCKER_CONFIG, the TLS variables, DOCKER_API_VERSION and PATH (for ssh) are read.</param>
    internal static DockerEngine Connect(string? dockerHost, Func<string, string?> environment)
    {
        var endpoint = EngineEndpointResolver.Resolve(dockerHost, environment);
        Version? pinned = null;
        if (environment("DOCKER_API_VERSION") is { Length: > 0 } api && !Version.TryParse(api, out pinned))
        {
            throw new EngineUnavailableException($"DOCKER_API_VERSION={api} is not an Engine API version: set it like 1.44, or unset it to let the engine choose");
        }

        return new DockerEngine(endpoint, pinned, environment("PATH"));
    }

    public async Task PingAsync(CancellationToken ct)
    {
        var docker = await ClientAsync(ct).ConfigureAwait(false);
        await GuardAsync(async () =>
        {
            await docker.System.PingAsync(ct).ConfigureAwait(false);
            return true;
        }, ct).ConfigureAwait(false);
    }

    public async Task<BuildOutcome> BuildAsync(BuildRequest request, IProgress<BuildProgress>? progress, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(request);
        var docker = await ClientAsync(ct).ConfigureAwait(false);
        if (request.Builder == BuilderKind.BuildKit && podman is not null)
        {
            // The docker CLI would fail with "failed to dial gRPC: unable to upgrade to h2c, received 404", which names neither cause nor fix.
            throw new EngineUnavailableException(
                $"the engine at {Endpoint.Host.OriginalString} is Podman {podman}, which has no BuildKit: build with --builder classic or auto (Podman's own builder reads RUN --mount and COPY --chmod)");
        }

        var outcome = request.Builder == BuilderKind.BuildKit
            ? await BuildWithBuildKitAsync(request, progress, ct).ConfigureAwait(false)
            : await BuildClassicAsync(docker, request, progress, ct).ConfigureAwait(false);
        if (outcome.Failure is not null || outcome.Facts is not null)
        {
            return outcome;
        }

        var image = await GuardAsync(() => docker.Images.InspectImageAsync(request.Tag, ct), ct).ConfigureAwait(false);
        return new BuildOutcome(image.ID, null);
    }

    public async Task<bool> ClassicBuilderReadsBuildKitSyntaxAsync(CancellationToken ct)
    {
        await ClientAsync(ct).ConfigureAwait(false);
        return podman is not null;
    }

    public async Task<BuildKitSupport> BuildKitAsync(BuildKitOptions options, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(options);
        var found = await buildKitCli.Value.WaitAsync(ct).ConfigureAwait(false);
        if (found.Path is not { } cli)
        {
            return new BuildKitSupport($"{found.Problem}; install docker-buildx (the docker CLI's buildx plugin) or set {BuildKitBuilder.CliVariable} to a docker CLI that has it", "no BuildKit");
        }

        if (!found.Buildx)
        {
            return options.BuildxOnly is { } needsBuildx
                ? new BuildKitSupport($"{needsBuildx} needs the buildx plugin, which {cli} lacks; install docker-buildx or set {BuildKitBuilder.CliVariable} to a docker CLI that has it", "no buildx")
                : new BuildKitSupport(null, $"{cli} with DOCKER_BUILDKIT=1, no buildx");
        }

        var builder = await BuildxBuilderAsync(cli, options.BuildxBuilder, ct).ConfigureAwait(false);
        var output = options.Archive || !builder.LoadsIntoEngine ? "streamed as an OCI archive" : "loaded into the engine";
        return new BuildKitSupport(null, $"buildx builder {builder.Name}, {builder.Driver} driver, {output}");
    }

    public async Task<ImageFacts> InspectImageAsync(string imageRef, CancellationToken ct)
    {
        var docker = await ClientAsync(ct).ConfigureAwait(false);
        var image = await GuardAsync(() => docker.Images.InspectImageAsync(imageRef, ct), ct).ConfigureAwait(false);

        // By id from here on, so a tag moved meanwhile cannot mix two images. Sizes and history come from the archive,
        // not the engine: the containerd store reports tar lengths per layer and its snapshots' disk use per image.
        var filesystem = await ReadFilesystemAsync(image.ID, ct).ConfigureAwait(false);
        var facts = ArchiveFacts.FromFilesystem(imageRef, filesystem, image.ID);
        var (engine, store) = await DescribeAsync(docker, ct).ConfigureAwait(false);
        return facts with { Origin = facts.Origin with { Engine = engine, ImageStore = store } };
    }

    public async Task<long?> ImageSizeAsync(string imageRef, bool pull, CancellationToken ct)
    {
        var docker = await ClientAsync(ct).ConfigureAwait(false);
        var image = await InspectOrNullAsync(docker, imageRef, ct).ConfigureAwait(false);
        if (image is null && pull && await TryPullAsync(docker, imageRef, ct).ConfigureAwait(false))
        {
            image = await InspectOrNullAsync(docker, imageRef, ct).ConfigureAwait(false);
        }

        // Measured as the built images are, so an estimate and the sizes beside it agree on every store.
        return image is null ? null : ArchiveFacts.FromFilesystem(imageRef, await ReadFilesystemAsync(image.ID, ct).ConfigureAwait(false), image.ID).SizeBytes;
    }

    /// <summary>Exports the image from the engine and reads its final filesystem as the archive streams past.</summary>
    public async Task<ImageFilesystem> ReadFilesystemAsync(string imageRef, CancellationToken ct)
    {
        var docker = await ClientAsync(ct).ConfigureAwait(false);
        return await GuardAsync(async () =>
        {
            var archive = await docker.Images.SaveImageAsync(imageRef, ct).ConfigureAwait(false);
            await using (archive.ConfigureAwait(false))
            {
                return await ImageArchiveReader.ReadAsync(archive, ct).ConfigureAwait(false);
            }
        }, ct).ConfigureAwait(false);
    }

    public async Task<bool> ImageExistsAsync(string imageRef, CancellationToken ct)
    {
        var docker = await ClientAsync(ct).ConfigureAwait(false);
        return await InspectOrNullAsync(docker, imageRef, ct).ConfigureAwait(false) is not null;
    }

    public async Task RemoveImageAsync(string imageRef, CancellationToken ct)
    {
        var docker = await ClientAsync(ct).ConfigureAwait(false);
        try
        {
            // Untagged parents stay: they are the classic builder's layer cache, which makes the next run fast.
            await GuardAsync(() => docker.Images.DeleteImageAsync(imageRef, new ImageDeleteParameters { Force = false, NoPrune = true }, ct), ct).ConfigureAwait(false);
        }
        catch (DockerImageNotFoundException)
        {
            // Already gone: what the caller wanted.
        }
    }

    public void Dispose()
    {
        client?.Dispose();
        transport.Dispose();
        connecting.Dispose();
    }

    public ValueTask DisposeAsync()
    {
        Dispose();
        return ValueTask.CompletedTask;
    }

    internal static string Unreachable(EngineEndpoint endpoint, Exception? cause) => EngineErrors.Unreachable(endpoint, cause);

    private async Task<BuildOutcome> BuildWithBuildKitAsync(BuildRequest request, IProgress<BuildProgress>? progress, CancellationToken ct)
    {
        var options = request.BuildKit ?? BuildKitOptions.None;
        if (await BuildKitAsync(options, ct).ConfigureAwait(false) is { Problem: { } problem })
        {
            throw new EngineUnavailableException(problem);
        }

        var found = await buildKitCli.Value.WaitAsync(ct).ConfigureAwait(false);
        var cli = found.Path!;
        var builder = found.Buildx ? await BuildxBuilderAsync(cli, options.BuildxBuilder, ct).ConfigureAwait(false) : null;
        return await new BuildKitBuilder(cli, Endpoint).BuildAsync(request, builder, progress, ct).ConfigureAwait(false);
    }

    /// <summary>Asks buildx once per name which builder and driver it means.</summary>
    private Task<BuildxBuilder> BuildxBuilderAsync(string cli, string? name, CancellationToken ct)
    {
        lock (buildxBuilders)
        {
            var key = name ?? "";
            if (!buildxBuilders.TryGetValue(key, out var inspecting) || inspecting.IsFaulted || inspecting.IsCanceled)
            {
                buildxBuilders[key] = inspecting = new BuildKitBuilder(cli, Endpoint).InspectAsync(name, ct);
            }

            return inspecting;
        }
    }

    private async Task<BuildOutcome> BuildClassicAsync(DockerClient docker, BuildRequest request, IProgress<BuildProgress>? progress, CancellationToken ct)
    {
        BuildContextArchive context;
        try
        {
            context = await BuildContextArchive.PrepareAsync(request.ContextDirectory, request.DockerfilePath, ct).ConfigureAwait(false);
        }
        catch (DockerignoreException e)
        {
            return new BuildOutcome(null, new BuildFailure(BuildLogs.BeforeFirstStep, e.Message, []));
        }

        var parameters = new ImageBuildParameters
        {
            Dockerfile = context.DockerfileInTar,
            Tags = [request.Tag],
            BuildArgs = request.BuildArgs.ToDictionary(StringComparer.Ordinal),
            Target = request.Target,
            NetworkMode = request.Network,
            Remove = true,
            // A failed step leaves no stopped container behind.
            ForceRemove = true,
            // The classic builder even where the engine would default to BuildKit.
            Version = "1",
        };
        var log = new ClassicBuildLog(progress);
        string? error = null;
        var messages = new Messages(message =>
        {
            if (message.Stream is { } text)
            {
                log.Append(text);
            }

            if (message.Error?.Message is { } failure)
            {
                error ??= failure;
            }
        });

        // The context streams through a pipe while the engine reads it: never a whole tar in memory or on disk.
        var pipe = new Pipe();
        using var stopWriting = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var writing = WriteContextAsync(context, pipe.Writer, stopWriting.Token);
        try
        {
            var body = pipe.Reader.AsStream();
            await using (body.ConfigureAwait(false))
            {
                await docker.Images.BuildImageFromDockerfileAsync(parameters, body, null, null, messages, ct).ConfigureAwait(false);
            }
        }
        catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
        {
            await stopWriting.CancelAsync().ConfigureAwait(false);
            if (await writing.ConfigureAwait(false) is { } unreadable)
            {
                return new BuildOutcome(null, new BuildFailure(BuildLogs.BeforeFirstStep, unreadable.Message, []));
            }

            if (e is DockerApiException api)
            {
                // The engine answers errors found before the build starts (an unparsable Dockerfile, a missing one) with an HTTP error.
                return new BuildOutcome(null, log.Failure(ApiMessage(api)));
            }

            if (EngineErrors.IsConnectionFailure(e))
            {
                throw new EngineUnavailableException(UnreachableMessage(e), e);
            }

            throw;
        }
        finally
        {
            await stopWriting.CancelAsync().ConfigureAwait(false);
        }

        if (await writing.ConfigureAwait(false) is { } unreadableFile)
        {
            return new BuildOutcome(null, new BuildFailure(BuildLogs.BeforeFirstStep, unreadableFile.Message, []));
        }

        return error is null ? new BuildOutcome(null, null) : new BuildOutcome(null, log.Failure(error));
    }

    /// <summary>
    /// The engine and its image store, e.g. ("Docker 28.5.2", "containerd (overlayfs)"), asked once. The containerd
    /// store shows as DriverStatus driver-type io.containerd.snapshotter.v1 beside the snapshotter's name.
    /// </summary>
    private async Task<(string Engine, string Store)> DescribeAsync(DockerClient docker, CancellationToken ct)
    {
        if (description is { } known)
        {
            return known;
        }

        var version = await GuardAsync(() => docker.System.GetVersionAsync(ct), ct).ConfigureAwait(false);
        var info = await GuardAsync(() => docker.System.GetSystemInfoAsync(ct), ct).ConfigureAwait(false);
        var product = version.Components?.Any(c => c.Name?.Contains("Podman", StringComparison.OrdinalIgnoreCase) == true) == true ? "Podman" : "Docker";
        var containerd = info.DriverStatus?.Any(pair => pair.Length == 2 && pair[0] == "driver-type" && pair[1] == "io.containerd.snapshotter.v1") == true;
        description = ($"{product} {version.Version}", containerd ? $"containerd ({info.Driver})" : info.Driver);
        return description.Value;
    }

    private async Task<ImageInspectResponse?> InspectOrNullAsync(DockerClient docker, string imageRef, CancellationToken ct)
    {
        try
        {
            return await GuardAsync(() => docker.Images.InspectImageAsync(imageRef, ct), ct).ConfigureAwait(false);
        }
        catch (DockerImageNotFoundException)
        {
            return null;
        }
    }

    /// <summary>
    /// Pulls the image within <see cref="PullTimeout"/>. It only serves a size estimate, so every way it can fail (no
    /// registry, no such image, no credentials, no time) is an answer of false, never an error.
    /// </summary>
    private static async Task<bool> TryPullAsync(DockerClient docker, string imageRef, CancellationToken ct)
    {
        using var bounded = CancellationTokenSource.CreateLinkedTokenSource(ct);
        bounded.CancelAfter(PullTimeout);
        string? error = null;
        try
        {
            // The engine reports most pull failures inside the stream, not as an HTTP error.
            await docker.Images.CreateImageAsync(
                new ImagesCreateParameters { FromImage = imageRef }, null, new Messages(m => error ??= m.Error?.Message), bounded.Token).ConfigureAwait(false);
        }
        catch (Exception) when (!ct.IsCancellationRequested)
        {
            return false;
        }

        return error is null;
    }

    /// <summary>Writes the context tar into the pipe; a context file that cannot be read is returned, not thrown, as the build's failure.</summary>
    private static async Task<BuildContextException?> WriteContextAsync(BuildContextArchive context, PipeWriter writer, CancellationToken ct)
    {
        await Task.Yield();
        try
        {
            await context.WriteAsync(writer.AsStream(leaveOpen: true), ct).ConfigureAwait(false);
            await writer.CompleteAsync().ConfigureAwait(false);
            return null;
        }
        catch (BuildContextException e)
        {
            await writer.CompleteAsync(e).ConfigureAwait(false);
            return e;
        }
        catch (OperationCanceledException e)
        {
            await writer.CompleteAsync(e).ConfigureAwait(false);
            return null;
        }
    }

    private static string ApiMessage(DockerApiException e)
    {
        try
        {
            using var body = JsonDocument.Parse(e.ResponseBody ?? "");
            if (body.RootElement.TryGetProperty("message", out var message) && message.GetString() is { Length: > 0 } text)
            {
                return text;
            }
        }
        catch (JsonException)
        {
            // Not the engine's JSON error: show the body as it came.
        }

        return string.IsNullOrWhiteSpace(e.ResponseBody) ? $"the engine answered {(int)e.StatusCode} {e.StatusCode}" : e.ResponseBody.Trim();
    }

    /// <summary>
    /// Asks, unversioned, which API the engine speaks and pins the lower of it and <see cref="NewestApi"/>, as the docker
    /// CLI negotiates: a fixed version would be refused by engines newer than its minimum or older than it. DOCKER_API_VERSION
    /// pins it instead, as it does for the docker CLI.
    /// </summary>
    private async Task<DockerClient> ClientAsync(CancellationToken ct)
    {
        if (client is { } ready)
        {
            return ready;
        }

        await connecting.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            if (client is null && pinnedApi is not null)
            {
                client = Create(pinnedApi);
            }

            if (client is null)
            {
                using var probe = Create(null);
                var version = await GuardAsync(() => probe.System.GetVersionAsync(ct), ct).ConfigureAwait(false);
                var api = Version.TryParse(version.APIVersion, out var spoken) && spoken < NewestApi ? spoken : NewestApi;
                podman = version.Components?.FirstOrDefault(c => c.Name == PodmanComponent)?.Version;
                client = Create(api);
            }

            return client;
        }
        finally
        {
            connecting.Release();
        }
    }

    private DockerClient Create(Version? api) => transport.CreateClient(api, RequestTimeout);

    private string UnreachableMessage(Exception cause) => EngineErrors.Unreachable(Endpoint, cause, transport.CertificateRejection);

    private async Task<T> GuardAsync<T>(Func<Task<T>> call, CancellationToken ct)
    {
        try
        {
            return await call().ConfigureAwait(false);
        }
        catch (Exception e) when (EngineErrors.IsConnectionFailure(e))
        {
            throw new EngineUnavailableException(UnreachableMessage(e), e);
        }
        catch (DockerApiException e) when (EngineErrors.RefusedApi(ApiMessage(e)) is { } refused)
        {
            var fix = pinnedApi is null
                ? "the engine is newer than this tool can speak to; upgrade pr-image-report"
                : $"set DOCKER_API_VERSION to {refused.Minimum} or newer, or unset it to let the engine choose";
            throw new EngineUnavailableException($"the engine at {Endpoint} refuses API {refused.Client} (it needs {refused.Minimum} or newer): {fix}", e);
        }
        catch (OperationCanceledException e) when (!ct.IsCancellationRequested)
        {
            // Docker.DotNet gives up on a request after its timeout with a cancellation of its own.
            var timeout = new TimeoutException(string.Create(CultureInfo.InvariantCulture, $"no answer within {RequestTimeout.TotalSeconds:0} s"));
            throw new EngineUnavailableException(UnreachableMessage(timeout), e);
        }
    }

    /// <summary>Passes each build message on as it is read, in order (Progress&lt;T&gt; would post them to the thread pool).</summary>
    private sealed class Messages(Action<JSONMessage> handle) : IProgress<JSONMessage>
    {
        public void Report(JSONMessage value) => handle(value);
    }
}
