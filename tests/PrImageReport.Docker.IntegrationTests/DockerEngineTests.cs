using System.Diagnostics;
using System.Globalization;
using PrImageReport.Core.Comparison;
using PrImageReport.Docker.Builds;
using PrImageReport.Docker.IntegrationTests.Builds;
using PrImageReport.Testing;
using Xunit.Abstractions;

namespace PrImageReport.Docker.IntegrationTests;

/// <summary>Builds and measures real images on the real engine, from the local python:3.11 and python:3.11-slim.</summary>
public sealed class DockerEngineTests(ITestOutputHelper output) : IAsyncLifetime
{
    private const string Slim = "python:3.11-slim";
    private const string Full = "python:3.11";

    private readonly TempDirectory scratch = new();
    private readonly List<string> tags = [];
    private DockerEngine engine = null!;

    public async Task InitializeAsync()
    {
        engine = await DockerRequirement.EngineAsync();
        await DockerRequirement.ImagesAsync(engine, [Slim, Full]);
    }

    public async Task DisposeAsync()
    {
        foreach (var tag in tags)
        {
            await engine.RemoveImageAsync(tag, CancellationToken.None);
        }

        await engine.DisposeAsync();
        scratch.Dispose();
    }

    [Fact]
    public async Task ClassicBuildOfAMultiStageSlimImageReadsBackItsDockerfile()
    {
        var context = Context("""
            FROM python:3.11-slim AS builder
            WORKDIR /src
            COPY requirements.txt .
            RUN python3 -m venv /venv && /venv/bin/python -c "print('venv ready')"

            FROM python:3.11-slim
            ENV PYTHONUNBUFFERED=1
            WORKDIR /app
            COPY --from=builder /venv /venv
            COPY app.py .
            RUN echo built > /app/BUILT
            USER nobody
            CMD ["python3", "app.py"]
            """);
        var steps = new List<string>();

        var (outcome, elapsed) = await BuildAsync(context, BuilderKind.Classic, new Synchronous(p => steps.Add(p.Step)));
        var facts = await engine.InspectImageAsync(Tag(outcome), CancellationToken.None);

        Log(facts, elapsed, "classic multi-stage slim");
        Assert.Null(outcome.Failure);
        Assert.StartsWith("sha256:", outcome.ImageId);
        Assert.Equal(outcome.ImageId, facts.Id);
        Assert.Equal(
            ["(base image)", "ENV PYTHONUNBUFFERED=1", "WORKDIR /app", "COPY ... /venv", "COPY ... .", "RUN echo built > /app/BUILT", "USER nobody", "CMD [\"python3\" \"app.py\"]"],
            facts.Layers.Select(l => l.Instruction));
        // The base, WORKDIR (a layer of 0 bytes: it made /app), both COPYs and the RUN.
        Assert.Equal(5, facts.LayerCount);
        Assert.True(facts.Layers.Single(l => l.Instruction == "COPY ... /venv").SizeBytes > 1_000_000, "the venv copied from the builder stage holds python's venv files");
        Assert.Equal(facts.SizeBytes, facts.Layers.Sum(l => l.SizeBytes));
        Assert.Empty(facts.BuildTools);
        Assert.Equal(12, steps.Count);
        Assert.Equal("Step 1/12 : FROM python:3.11-slim AS builder", steps[0]);
        Assert.Equal("Step 12/12 : CMD [\"python3\", \"app.py\"]", steps[^1]);
    }

    [Fact]
    public async Task BuildKitBuildWithACacheMountAndBuildArgs()
    {
        var context = Context("""
            FROM python:3.11-slim AS builder
            ARG APP_VERSION=0.0.0
            RUN --mount=type=cache,target=/root/.cache python3 -m venv /venv && echo "$APP_VERSION" > /venv/VERSION

            FROM python:3.11-slim
            WORKDIR /app
            COPY --from=builder /venv /venv
            COPY . .
            RUN --mount=type=cache,target=/var/cache/app cat /venv/VERSION > /app/VERSION
            EXPOSE 8080
            CMD ["python3", "app.py"]
            """);
        var steps = new List<string>();

        var (outcome, elapsed) = await BuildAsync(context, BuilderKind.BuildKit, new Synchronous(p => steps.Add(p.Step)), new Dictionary<string, string> { ["APP_VERSION"] = "1.2.3" });
        var facts = await engine.InspectImageAsync(Tag(outcome), CancellationToken.None);
        var files = await engine.ReadFilesystemAsync(Tag(outcome), CancellationToken.None);

        Log(facts, elapsed, "BuildKit with cache mounts");
        Assert.Null(outcome.Failure);
        Assert.Equal(outcome.ImageId, facts.Id);
        Assert.Equal(
            ["(base image)", "WORKDIR /app", "COPY /venv /venv", "COPY . .", "RUN cat /venv/VERSION > /app/VERSION", "EXPOSE 8080/tcp", "CMD [\"python3\" \"app.py\"]"],
            facts.Layers.Select(l => l.Instruction));
        Assert.True(files.Files.ContainsKey("/app/VERSION"), "the RUN wrote the build arg into /app/VERSION");
        Assert.True(files.Files.ContainsKey("/venv/bin/python3"), "the venv came over from the builder stage");
        Assert.Contains(steps, s => s.EndsWith("[builder 2/2] RUN --mount=type=cache,target=/root/.cache python3 -m venv /venv && echo \"1.2.3\" > /venv/VERSION", StringComparison.Ordinal));
        Assert.All(steps, s => Assert.Matches(@"^#\d+ ", s));
    }

    [Theory]
    [InlineData(BuilderKind.Classic, "The command '/bin/sh -c echo compiling && echo \"error: missing header\" >&2 && exit 2' returned a non-zero code: 2", "Step 3/3 : RUN echo compiling && echo \"error: missing header\" >&2 && exit 2")]
    [InlineData(BuilderKind.BuildKit, "exit code: 2", "[3/3] RUN echo compiling && echo \"error: missing header\" >&2 && exit 2")]
    public async Task AFailingRunIsABuildFailureNotAnException(BuilderKind builder, string message, string step)
    {
        var context = Context("""
            FROM python:3.11-slim
            WORKDIR /src
            RUN echo compiling && echo "error: missing header" >&2 && exit 2
            """);

        var (outcome, elapsed) = await BuildAsync(context, builder, null);

        output.WriteLine($"{builder} failing build: {elapsed.TotalSeconds:0.0} s; {outcome.Failure}");
        var failure = Assert.IsType<BuildFailure>(outcome.Failure);
        Assert.Null(outcome.ImageId);
        Assert.Equal(step, failure.Step);
        Assert.EndsWith(message, failure.Message);
        Assert.Contains("error: missing header", failure.LastLines);
        Assert.Contains("compiling", failure.LastLines);
        Assert.False(await engine.ImageExistsAsync(tags[^1], CancellationToken.None));
    }

    [Theory]
    [InlineData(BuilderKind.Classic)]
    [InlineData(BuilderKind.BuildKit)]
    public async Task AnUnparsableDockerfileIsABuildFailureWithItsLine(BuilderKind builder)
    {
        var context = Context("""
            FROM python:3.11-slim
            WORKDIR /src
            COMPILE everything
            """);

        var (outcome, _) = await BuildAsync(context, builder, null);

        var failure = Assert.IsType<BuildFailure>(outcome.Failure);
        Assert.Equal(BuildLogs.BeforeFirstStep, failure.Step);
        Assert.Contains("unknown instruction: COMPILE", failure.Message, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(3, failure.Line);
    }

    [Theory]
    [InlineData(BuilderKind.Classic)]
    [InlineData(BuilderKind.BuildKit)]
    public async Task BuildsTheTargetStageWithTheBuildArgs(BuilderKind builder)
    {
        var context = Context("""
            FROM python:3.11-slim AS first
            ARG NAME=default
            RUN touch /first-$NAME

            FROM first AS second
            RUN touch /second
            """);
        var request = new BuildRequest(context, Path.Combine(context, "Dockerfile"), new Dictionary<string, string> { ["NAME"] = "given" }, "first", NewTag(), builder);

        var outcome = await engine.BuildAsync(request, null, CancellationToken.None);
        var files = await engine.ReadFilesystemAsync(Tag(outcome), CancellationToken.None);

        Assert.True(files.Files.ContainsKey("/first-given"), "the build arg reached the RUN");
        Assert.False(files.Files.ContainsKey("/second"), "the stage after the target is not built");
    }

    [Fact]
    public async Task ClassicBuildLeavesOutWhatDockerignoreExcludes()
    {
        var context = Context("FROM python:3.11-slim\nCOPY . /app/\n");
        scratch.Write("ctx/secret.env", "TOKEN=hunter2\n");
        scratch.Write("ctx/logs/debug.log", "noise\n");
        scratch.Write("ctx/logs/keep/important.log", "keep me\n");
        scratch.Write("ctx/.dockerignore", "*.env\nlogs\n!logs/keep/important.log\n");

        var (outcome, _) = await BuildAsync(context, BuilderKind.Classic, null);
        var files = await engine.ReadFilesystemAsync(Tag(outcome), CancellationToken.None);

        Assert.Null(outcome.Failure);
        Assert.True(files.Files.ContainsKey("/app/app.py"));
        Assert.True(files.Files.ContainsKey("/app/logs/keep/important.log"));
        Assert.False(files.Files.ContainsKey("/app/secret.env"), "secret.env is in .dockerignore");
        Assert.False(files.Files.ContainsKey("/app/logs/debug.log"), "logs/ is in .dockerignore");
    }

    [Theory]
    [InlineData(BuilderKind.Classic)]
    [InlineData(BuilderKind.BuildKit)]
    public async Task BuildsADockerfileFromOutsideTheContext(BuilderKind builder)
    {
        var context = Context("FROM scratch\n");
        var dockerfile = scratch.Write("elsewhere/app.Dockerfile", "FROM python:3.11-slim\nCOPY app.py /srv/\n");

        var (outcome, _) = await BuildAsync(context, builder, null, dockerfile: dockerfile);
        var files = await engine.ReadFilesystemAsync(Tag(outcome), CancellationToken.None);

        Assert.True(files.Files.ContainsKey("/srv/app.py"));
        Assert.DoesNotContain(files.Files.Keys, k => k.StartsWith("/srv/.dockerfile", StringComparison.Ordinal));
    }

    [Fact]
    public async Task TheFullPythonImageHasBuildToolsAndTheSlimOneNone()
    {
        var watch = Stopwatch.StartNew();
        var full = await engine.InspectImageAsync(Full, CancellationToken.None);
        var fullTime = watch.Elapsed;
        var slim = await engine.InspectImageAsync(Slim, CancellationToken.None);

        Log(full, fullTime, "inspect (export + read)");
        Log(slim, watch.Elapsed - fullTime, "inspect (export + read)");
        Assert.Contains(full.BuildTools, t => t.Name == "gcc");
        Assert.Contains(full.BuildTools, t => t.Name == "make");
        Assert.Empty(slim.BuildTools);
        Assert.Equal(["(base image)"], slim.Layers.Select(l => l.Instruction));
        Assert.True(full.SizeBytes > slim.SizeBytes);
    }

    [Theory]
    [InlineData(BuilderKind.Classic)]
    [InlineData(BuilderKind.BuildKit)]
    public async Task TiesEachHistoryStepToTheArchiveLayerItMade(BuilderKind builder)
    {
        var context = Context("""
            FROM python:3.11-slim
            ARG VERSION=1
            ENV APP_HOME=/app
            WORKDIR /app
            COPY empty.txt /app/
            RUN echo $VERSION > /app/VERSION
            LABEL stage=final
            RUN true
            CMD ["python3"]
            """);
        scratch.Write("ctx/empty.txt", "");

        var (outcome, elapsed) = await BuildAsync(context, builder, null);
        var facts = await engine.InspectImageAsync(Tag(outcome), CancellationToken.None);
        var files = await engine.ReadFilesystemAsync(Tag(outcome), CancellationToken.None);

        Log(facts, elapsed, $"{builder} layer attribution");
        // What docker 20.10 writes into the image config: WORKDIR of a new folder and the COPY of an empty file make
        // layers of 0 bytes; ARG, ENV, LABEL and CMD make none; a RUN that changes nothing makes a layer with BuildKit only.
        (string Instruction, int? ArchiveLayer)[] expected = builder == BuilderKind.Classic
            ?
            [
                ("(base image)", 0), ("ARG VERSION=1", null), ("ENV APP_HOME=/app", null), ("WORKDIR /app", 1), ("COPY ... /app/", 2),
                ("RUN echo $VERSION > /app/VERSION", 3), ("LABEL stage=final", null), ("RUN true", null), ("CMD [\"python3\"]", null),
            ]
            :
            [
                ("(base image)", 0), ("ARG VERSION=1", null), ("ENV APP_HOME=/app", null), ("WORKDIR /app", 1), ("COPY empty.txt /app/", 2),
                ("RUN echo $VERSION > /app/VERSION", 3), ("LABEL stage=final", null), ("RUN true", 4), ("CMD [\"python3\"]", null),
            ];
        Assert.Equal(expected, facts.Layers.Select(l => (l.Instruction, l.ArchiveLayer)));
        // BuildKit's layer for `RUN true` changes nothing below it, so it counts as no layer, as with the classic builder.
        Assert.Equal(expected.Select(e => e.ArchiveLayer is null || e.Instruction == "RUN true"), facts.Layers.Select(l => l.IsEmpty));
        Assert.Equal(4, facts.LayerCount);
        Assert.Equal(files.Files["/app/VERSION"].Layer, facts.Layers.Single(l => l.Instruction.StartsWith("RUN echo", StringComparison.Ordinal)).ArchiveLayer);
        Assert.Equal(files.Files["/app/empty.txt"].Layer, facts.Layers.Single(l => l.Instruction.StartsWith("COPY", StringComparison.Ordinal)).ArchiveLayer);
        Assert.Equal(files.Files["/usr/bin/dash"].Layer, facts.Layers[0].ArchiveLayer);
    }

    [Fact]
    public async Task TheSizeOfALocalImageIsMeasuredAsTheBuiltImagesAre()
    {
        var size = await engine.ImageSizeAsync(Slim, pull: true, CancellationToken.None);

        var facts = await engine.InspectImageAsync(Slim, CancellationToken.None);
        Assert.Equal(facts.SizeBytes, size);
        Assert.InRange(size!.Value, 100_000_000, 300_000_000);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task AnImageThatIsNotLocalAndCannotBePulledHasNoSize(bool pull)
    {
        // No registry has this repository, so a pull fails here and on a machine with network alike.
        var absent = $"pr-image-report-test/absent-{Guid.NewGuid():N}:latest";

        var size = await engine.ImageSizeAsync(absent, pull, CancellationToken.None);

        Assert.Null(size);
        Assert.False(await engine.ImageExistsAsync(absent, CancellationToken.None));
    }

    [Theory]
    [InlineData(BuilderKind.Classic)]
    [InlineData(BuilderKind.BuildKit)]
    public async Task CancellingStopsTheBuild(BuilderKind builder)
    {
        var context = Context("FROM python:3.11-slim\nRUN sleep 600\n");
        using var cancel = new CancellationTokenSource();
        var progress = new Synchronous(p =>
        {
            if (p.Step.Contains("RUN sleep 600", StringComparison.Ordinal))
            {
                cancel.Cancel();
            }
        });

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() =>
            engine.BuildAsync(new BuildRequest(context, Path.Combine(context, "Dockerfile"), new Dictionary<string, string>(), null, NewTag(), builder), progress, cancel.Token));
    }

    [Theory]
    [InlineData("unix:///nonexistent.sock", "no Docker engine at unix:///nonexistent.sock (no such socket): start one (sudo systemctl start docker, or dockerd) or set DOCKER_HOST")]
    [InlineData("tcp://127.0.0.1:1", "no Docker engine at tcp://127.0.0.1:1 (Connection refused): start one (sudo systemctl start docker, or dockerd) or set DOCKER_HOST")]
    public async Task NoEngineAtTheAddressIsEngineUnavailable(string host, string message)
    {
        using var missing = DockerEngine.Connect(host);

        var ping = await Assert.ThrowsAsync<EngineUnavailableException>(() => missing.PingAsync(CancellationToken.None));
        var build = await Assert.ThrowsAsync<EngineUnavailableException>(() => missing.BuildAsync(
            new BuildRequest(scratch.Path, Path.Combine(scratch.Path, "Dockerfile"), new Dictionary<string, string>(), null, "never", BuilderKind.BuildKit), null, CancellationToken.None));

        Assert.Equal(message, ping.Message);
        Assert.Equal(message, build.Message);
    }

    [Fact]
    public async Task RemovingAnImageThatIsNotThereIsNotAnError()
    {
        var tag = NewTag();

        await engine.RemoveImageAsync(tag, CancellationToken.None);

        Assert.False(await engine.ImageExistsAsync(tag, CancellationToken.None));
    }

    [Fact]
    public async Task RemovingABuiltImageRemovesItsTag()
    {
        var (outcome, _) = await BuildAsync(Context("FROM python:3.11-slim\nRUN echo one > /one\n"), BuilderKind.Classic, null);
        var tag = Tag(outcome);

        await engine.RemoveImageAsync(tag, CancellationToken.None);

        Assert.False(await engine.ImageExistsAsync(tag, CancellationToken.None));
        Assert.True(await engine.ImageExistsAsync(Slim, CancellationToken.None), "the base image stays");
    }

    /// <summary>A context folder with the Dockerfile, requirements.txt and app.py.</summary>
    private string Context(string dockerfile)
    {
        scratch.Write("ctx/Dockerfile", dockerfile + "\n");
        scratch.Write("ctx/requirements.txt", "# nothing to install\n");
        scratch.Write("ctx/app.py", "print('hello')\n");
        return scratch.Combine("ctx");
    }

    private string NewTag()
    {
        var tag = $"pr-image-report-test/{Guid.NewGuid():N}:latest";
        tags.Add(tag);
        return tag;
    }

    private string Tag(BuildOutcome outcome)
    {
        Assert.True(outcome.Failure is null, $"the build failed: {outcome.Failure}\n{string.Join('\n', outcome.Failure?.LastLines ?? [])}");
        return tags[^1];
    }

    private async Task<(BuildOutcome Outcome, TimeSpan Elapsed)> BuildAsync(
        string context, BuilderKind builder, IProgress<BuildProgress>? progress, IReadOnlyDictionary<string, string>? args = null, string? dockerfile = null)
    {
        var request = new BuildRequest(context, dockerfile ?? Path.Combine(context, "Dockerfile"), args ?? new Dictionary<string, string>(), null, NewTag(), builder);
        var watch = Stopwatch.StartNew();
        var outcome = await engine.BuildAsync(request, progress, CancellationToken.None);
        return (outcome, watch.Elapsed);
    }

    private void Log(Core.Images.ImageFacts facts, TimeSpan elapsed, string what)
    {
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{what}: {facts.Reference} {facts.SizeBytes:N0} bytes, {facts.LayerCount} layers of {facts.Layers.Count} history entries, {facts.BuildTools.Count} build tools, {elapsed.TotalSeconds:0.0} s"));
        foreach (var layer in facts.Layers)
        {
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {layer.SizeBytes,12:N0}  {layer.Instruction}"));
        }
    }
}
