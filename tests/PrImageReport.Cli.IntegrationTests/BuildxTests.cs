using System.Formats.Tar;
using System.IO.Compression;
using PrImageReport.Cli.IntegrationTests.Infrastructure;
using PrImageReport.Testing;

namespace PrImageReport.Cli.IntegrationTests;

/// <summary>compare through buildx on engine lane 2: a named builder, BUILDX_BUILDER, per-side caches, the OCI archive path, a refused client.</summary>
[Collection(DockerEngineCollection.Name)]
[Trait(Lane2.Trait, Lane2.Name)]
public sealed class BuildxTests : IAsyncLifetime
{
    private readonly TempDirectory folder = new();
    private GitWorkspace repository = null!;
    private string cli = null!;

    public async Task InitializeAsync()
    {
        cli = await Lane2.RequireAsync();
        await Engine.RequireAsync("debian:bookworm-slim");
        repository = await GitWorkspace.CreateAsync();
        repository.Write("Dockerfile", "FROM debian:bookworm-slim\nRUN echo base > /base.txt\n");
        await repository.CommitAsync("base");
        await repository.CreateBranchAsync("pr");
        repository.Write("Dockerfile", "FROM debian:bookworm-slim\nRUN echo head > /head.txt\nRUN echo more > /more.txt\n");
        await repository.CommitAsync("head");
    }

    public Task DisposeAsync()
    {
        repository?.Dispose();
        folder.Dispose();
        return Task.CompletedTask;
    }

    /// <summary>
    /// buildx allows no second builder of the docker driver (`buildx create --driver docker` is refused, and the builder
    /// it makes per docker context builds only with `docker --context`), so the named builder of this engine is "default".
    /// </summary>
    [Fact]
    public async Task BuildsWithTheBuilderNamedByTheOptionOrByBuildxBuilder()
    {
        const string Named = "with BuildKit (buildx builder default, docker driver, loaded into the engine)";

        var byOption = await CompareRun.RunAsync(
            ["--repo", repository.Path, "--base", "main", "--head", "pr", "--buildx-builder", "default"],
            new Dictionary<string, string?> { ["BUILDX_BUILDER"] = null });
        var byVariable = await CompareRun.RunAsync(
            ["--repo", repository.Path, "--base", "main", "--head", "pr", "--builder", "buildkit"],
            new Dictionary<string, string?> { ["BUILDX_BUILDER"] = "default" });

        foreach (var run in new[] { byOption, byVariable })
        {
            Assert.True(run.ExitCode is 0 or 1, run.Failure("expected a verdict").Message);
            Assert.Contains($"[base] building Dockerfile at main {Named}", run.Process.StandardError, StringComparison.Ordinal);
            Assert.Contains($"[head] building Dockerfile at pr {Named}", run.Process.StandardError, StringComparison.Ordinal);
            Assert.Equal(3, run.Image.Head!.Image!.LayerCount);
            await Engine.AssertBuiltImagesRemovedAsync(run.Report!);
        }
    }

    /// <summary>
    /// A docker-container builder is detected and built through the OCI archive path; here its BuildKit cannot start
    /// (the moby/buildkit image cannot be pulled), which is an engine error of one line, not a failed build.
    /// </summary>
    [Fact]
    public async Task ADockerContainerBuilderStreamsAnArchiveAndOneThatCannotStartIsAnEngineError()
    {
        var config = folder.CreateDirectory("docker-config");
        var environment = new Dictionary<string, string?> { ["DOCKER_CONFIG"] = config };
        var created = await ProcessRunner.RunAsync(cli, ["buildx", "create", "--name", "pr-image-report-kit", "--driver", "docker-container"], environment: environment);
        Assert.True(created.ExitCode == 0, created.Describe());

        var run = await CompareRun.RunAsync(["--repo", repository.Path, "--base", "main", "--head", "pr", "--buildx-builder", "pr-image-report-kit"], environment);

        run.AssertExitCode(3);
        var lines = run.Process.StandardError.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.Equal("[base] building Dockerfile at main with BuildKit (buildx builder pr-image-report-kit, docker-container driver, streamed as an OCI archive)", lines[0]);
        Assert.StartsWith("pr-image-report: buildx builder pr-image-report-kit (docker-container driver) did not start: ", lines[^1], StringComparison.Ordinal);
        Assert.Contains("moby/buildkit", lines[^1], StringComparison.Ordinal);
        Assert.EndsWith("buildx inspect --bootstrap pr-image-report-kit`", lines[^1], StringComparison.Ordinal);
        Assert.Null(run.JsonText);
    }

    [Fact]
    public async Task AnUnknownBuilderIsAnEngineErrorOfOneLine()
    {
        var run = await CompareRun.RunAsync(["--repo", repository.Path, "--base", "main", "--head", "pr", "--buildx-builder", "no-such-builder"]);

        run.AssertExitCode(3);
        var message = run.AssertOneLineError();
        Assert.StartsWith("pr-image-report: buildx builder no-such-builder: ERROR: no builder \"no-such-builder\" found; name one that `", message, StringComparison.Ordinal);
        Assert.EndsWith("buildx ls` lists, or create it with `docker buildx create --name NAME`", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task EachSideWritesAndReadsItsOwnLocalCacheFolder()
    {
        var cache = folder.CreateDirectory("cache");

        var run = await CompareRun.RunAsync(
            ["--repo", repository.Path, "--base", "main", "--head", "pr", "--cache-to", $"type=local,dest={cache}", "--cache-from", $"type=local,src={cache}"]);

        Assert.True(run.ExitCode is 0 or 1, run.Failure("expected a verdict").Message);
        Assert.Equal(["Dockerfile-base", "Dockerfile-head"], Directory.GetDirectories(cache).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        var baseFiles = LayerFiles(Path.Combine(cache, "Dockerfile-base"));
        var headFiles = LayerFiles(Path.Combine(cache, "Dockerfile-head"));
        Assert.Contains("base.txt", baseFiles);
        Assert.DoesNotContain("head.txt", baseFiles);
        Assert.Contains("head.txt", headFiles);
        Assert.Contains("more.txt", headFiles);
        Assert.DoesNotContain("base.txt", headFiles);
        await Engine.AssertBuiltImagesRemovedAsync(run.Report!);
    }

    [Fact]
    public async Task AnArchiveBuildIsComparedWithNothingLoadedIntoTheEngine()
    {
        var run = await CompareRun.RunAsync(["--repo", repository.Path, "--base", "main", "--head", "pr", "--buildx-output", "archive"]);

        Assert.True(run.ExitCode is 0 or 1, run.Failure("expected a verdict").Message);
        Assert.Contains("[head] building Dockerfile at pr with BuildKit (buildx builder default, docker driver, streamed as an OCI archive)", run.Process.StandardError, StringComparison.Ordinal);
        var head = run.Image.Head!.Image!;
        Assert.Matches("^sha256:[0-9a-f]{64}$", head.Id);
        Assert.Equal(["(base image)", "RUN echo head > /head.txt", "RUN echo more > /more.txt"], head.Layers.Select(l => l.Instruction));
        // "head\n" and "more\n": a layer's size is the bytes of the files it adds.
        Assert.Equal([5L, 5L], head.Layers.Skip(1).Select(l => l.SizeBytes));
        var listed = await ProcessRunner.RunAsync(cli, ["image", "ls", "--quiet", head.Reference[..head.Reference.LastIndexOf(':')]]);
        Assert.True(listed.ExitCode == 0 && listed.StandardOutput.Trim().Length == 0, $"an archive build loaded an image: {listed.Describe()}");
    }

    /// <summary>
    /// The engine refuses a client older than its minimum API (as Docker 29 refuses docker 20.10's 1.41): such a CLI is
    /// passed over, and with no other a Dockerfile that needs BuildKit stops the run naming the refusal. The old client
    /// is lane 2's own, made to speak API 1.12 (below the engine's minimum of 1.24) by DOCKER_API_VERSION in a wrapper.
    /// </summary>
    [Fact]
    public async Task AClientTheEngineRefusesIsNotUsed()
    {
        var old = folder.Write("old-docker", $"#!/bin/sh\nDOCKER_API_VERSION=1.12 exec {cli} \"$@\"\n");
        if (!OperatingSystem.IsLinux())
        {
            throw new PlatformNotSupportedException("engine lane 2 runs on Linux");
        }

        File.SetUnixFileMode(old, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        repository.Write("Dockerfile", "FROM debian:bookworm-slim\nRUN --mount=type=cache,target=/c echo head > /head.txt\n");
        await repository.CommitAsync("needs BuildKit");

        var run = await CompareRun.RunAsync(["--repo", repository.Path, "--base", "main", "--head", "pr"], new Dictionary<string, string?> { ["PR_IMAGE_REPORT_DOCKER_CLI"] = old });

        run.AssertExitCode(3);
        var message = run.AssertOneLineError();
        Assert.StartsWith($"pr-image-report: Dockerfile at pr: RUN --mount at line 2 needs BuildKit, but PR_IMAGE_REPORT_DOCKER_CLI={old} cannot build with BuildKit ({old}: ", message, StringComparison.Ordinal);
        Assert.Contains("client version 1.12 is too old", message, StringComparison.Ordinal);
        Assert.EndsWith("install docker-buildx (the docker CLI's buildx plugin) or set PR_IMAGE_REPORT_DOCKER_CLI to a docker CLI that has it", message, StringComparison.Ordinal);
    }

    /// <summary>The file names in a local cache's layer blobs (tar or gzip); the large base-image layers are not opened.</summary>
    private static HashSet<string> LayerFiles(string cacheFolder)
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var blob in Directory.EnumerateFiles(Path.Combine(cacheFolder, "blobs", "sha256")).Where(b => new FileInfo(b).Length < 1_000_000))
        {
            using var file = File.OpenRead(blob);
            var gzip = file.ReadByte() == 0x1f && file.ReadByte() == 0x8b;
            file.Position = 0;
            using Stream tar = gzip ? new GZipStream(file, CompressionMode.Decompress) : file;
            try
            {
                using var reader = new TarReader(tar);
                while (reader.GetNextEntry() is { } entry)
                {
                    names.Add(entry.Name);
                }
            }
            catch (InvalidDataException)
            {
                // A JSON blob (manifest, config), not a layer.
            }
        }

        return names;
    }
}
