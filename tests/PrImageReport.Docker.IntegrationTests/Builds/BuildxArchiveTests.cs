using PrImageReport.Testing;
using Xunit.Abstractions;

namespace PrImageReport.Docker.IntegrationTests.Builds;

/// <summary>
/// Builds through buildx on engine lane 2. No builder that cannot load into the engine can run here (the
/// docker-container driver needs the moby/buildkit image, which cannot be pulled, and Debian ships no buildkitd), so
/// the OCI archive path that such builders take is driven by <see cref="BuildKitOptions.Archive"/> on the docker driver,
/// whose containerd image store has the OCI exporter.
/// </summary>
[Trait(Lane2.Trait, Lane2.Name)]
public sealed class BuildxArchiveTests(ITestOutputHelper output) : IAsyncLifetime
{
    private const string Debian = "debian:bookworm-slim";

    private const string Dockerfile = """
        FROM debian:bookworm-slim
        WORKDIR /app
        RUN head -c 300000 /dev/zero > /app/blob && ln /app/blob /app/blob-link
        COPY hello.txt /app/
        ENV GREETING=hello
        RUN rm /app/blob /app/blob-link
        CMD ["cat", "/app/hello.txt"]
        """;

    private readonly TempDirectory scratch = new();
    private readonly List<string> tags = [];
    private DockerEngine engine = null!;

    public async Task InitializeAsync()
    {
        await Lane2.RequireAsync();
        engine = await DockerRequirement.EngineAsync();
        await DockerRequirement.ImagesAsync(engine, [Debian]);
    }

    public async Task DisposeAsync()
    {
        scratch.Dispose();
        if (engine is null)
        {
            return;
        }

        foreach (var tag in tags)
        {
            await engine.RemoveImageAsync(tag, CancellationToken.None);
        }

        await engine.DisposeAsync();
    }

    [Fact]
    public async Task AnArchiveBuildGivesTheLoadedImagesFactsFromTheArchiveAloneAndLeavesNothingOnTheEngine()
    {
        var context = Context(Dockerfile);
        var loadedTag = Tag();
        var loaded = await engine.BuildAsync(Request(context, loadedTag, archive: false), null, CancellationToken.None);
        Assert.True(loaded.Failure is null, $"the loaded build failed: {loaded.Failure}");
        Assert.Null(loaded.Facts);
        var fromEngine = await engine.InspectImageAsync(loadedTag, CancellationToken.None);

        var steps = new List<string>();
        var archiveTag = Tag();
        var streamed = await engine.BuildAsync(Request(context, archiveTag, archive: true), new Synchronous(p => steps.Add(p.Step)), CancellationToken.None);

        Assert.True(streamed.Failure is null, $"the archive build failed: {streamed.Failure}");
        var facts = Assert.IsType<Core.Images.ImageFacts>(streamed.Facts);
        foreach (var layer in facts.Layers)
        {
            output.WriteLine($"{layer.SizeBytes,12}  {layer.Instruction}  (archive layer {layer.ArchiveLayer})");
        }

        Assert.False(await engine.ImageExistsAsync(archiveTag, CancellationToken.None), "an archive build loads nothing into the engine");
        Assert.Matches("^sha256:[0-9a-f]{64}$", facts.Id);
        Assert.Equal(facts.Id, streamed.ImageId);
        Assert.Equal(archiveTag, facts.Reference);
        Assert.Contains(steps, step => step.Contains("exporting to oci image format", StringComparison.Ordinal));

        // The same image as the engine knows it: its history, which steps made layers, and what is in them.
        Assert.Equal(fromEngine.Layers.Select(l => (l.Instruction, l.IsEmpty, l.ArchiveLayer)), facts.Layers.Select(l => (l.Instruction, l.IsEmpty, l.ArchiveLayer)));
        Assert.Equal(
            ["(base image)", "WORKDIR /app", "RUN head -c 300000 /dev/zero > /app/blob && ln /app/blob /app/blob-link", "COPY hello.txt /app/", "ENV GREETING=hello", "RUN rm /app/blob /app/blob-link", "CMD [\"cat\" \"/app/hello.txt\"]"],
            facts.Layers.Select(l => l.Instruction));
        Assert.Equal(fromEngine.LayerCount, facts.LayerCount);
        Assert.Equal(fromEngine.Packages, facts.Packages);
        Assert.Equal(fromEngine.BuildTools, facts.BuildTools);
        Assert.Equal(fromEngine.Wasted.WastedBytes, facts.Wasted.WastedBytes);
        Assert.Equal(300_000, facts.Wasted.WastedBytes);

        // A layer's size is the file bytes it adds (a hard link adds none), whether the image was loaded or streamed; the image's, their sum.
        Assert.Equal(fromEngine.Layers.Select(l => l.SizeBytes), facts.Layers.Select(l => l.SizeBytes));
        Assert.Equal(fromEngine.SizeBytes, facts.SizeBytes);
        Assert.Equal(300_000, facts.Layers.Single(l => l.Instruction.StartsWith("RUN head", StringComparison.Ordinal)).SizeBytes);
        Assert.Equal("hello from the context\n".Length, facts.Layers.Single(l => l.Instruction.StartsWith("COPY", StringComparison.Ordinal)).SizeBytes);
        Assert.Equal(facts.SizeBytes, facts.Layers.Sum(l => l.SizeBytes));
    }

    [Fact]
    public async Task AFailingArchiveBuildReportsItsStepNotTheMissingArchive()
    {
        var context = Context("FROM debian:bookworm-slim\nRUN echo about to fail && exit 3\n");

        var outcome = await engine.BuildAsync(Request(context, Tag(), archive: true), null, CancellationToken.None);

        Assert.Null(outcome.Facts);
        var failure = Assert.IsType<Core.Comparison.BuildFailure>(outcome.Failure);
        Assert.Contains("exit code: 3", failure.Message, StringComparison.Ordinal);
        Assert.Contains("about to fail", failure.LastLines);
        Assert.Equal(2, failure.Line);
    }

    [Fact]
    public async Task TheDefaultBuilderIsNamedWithItsDriverAndAnUnknownOneIsAnEngineError()
    {
        var support = await engine.BuildKitAsync(BuildKitOptions.None, CancellationToken.None);
        Assert.Null(support.Problem);
        Assert.Equal("buildx builder default, docker driver, loaded into the engine", support.Description);
        Assert.Equal(
            "buildx builder default, docker driver, streamed as an OCI archive",
            (await engine.BuildKitAsync(BuildKitOptions.None with { Archive = true }, CancellationToken.None)).Description);

        var unknown = await Assert.ThrowsAsync<EngineUnavailableException>(
            () => engine.BuildKitAsync(BuildKitOptions.None with { BuildxBuilder = "no-such-builder" }, CancellationToken.None));
        Assert.Contains("buildx builder no-such-builder: ERROR: no builder \"no-such-builder\" found", unknown.Message, StringComparison.Ordinal);
        Assert.Contains("buildx ls", unknown.Message, StringComparison.Ordinal);
    }

    private static BuildRequest Request(string context, string tag, bool archive) =>
        new(context, Path.Combine(context, "Dockerfile"), new Dictionary<string, string>(), null, tag, BuilderKind.BuildKit, null, BuildKitOptions.None with { Archive = archive });

    private string Context(string dockerfile)
    {
        scratch.Write("ctx/Dockerfile", dockerfile + "\n");
        scratch.Write("ctx/hello.txt", "hello from the context\n");
        return scratch.Combine("ctx");
    }

    private string Tag()
    {
        var tag = $"pr-image-report-test/{Guid.NewGuid():N}:latest";
        tags.Add(tag);
        return tag;
    }
}
