using Moq;
using PrImageReport.Cli.Pipeline;
using PrImageReport.Core.Comparison;
using PrImageReport.Core.Dockerfiles;
using PrImageReport.Core.Images;
using PrImageReport.Docker;

namespace PrImageReport.Cli.IntegrationTests.Pipeline;

/// <summary>The runner's use of the engine, with the engine mocked: what it measures besides the two builds, and what it makes of a failure.</summary>
public class CompareRunnerTests
{
    private const string Slim = "FROM python:3.11-slim\nCOPY app.py /app/\nRUN python3 -m compileall /app\nCMD [\"python3\", \"/app/app.py\"]\n";
    private const string Fat = "FROM python:3.11\nCOPY app.py /app/\nRUN python3 -m compileall /app\nCMD [\"python3\", \"/app/app.py\"]\n";

    private static readonly BuildSettings Settings = new(new Dictionary<string, string>(), null, BuilderChoice.Classic);

    private readonly Mock<IImageEngine> engine = new(MockBehavior.Strict);

    public CompareRunnerTests()
    {
        engine.Setup(e => e.BuildAsync(It.IsAny<BuildRequest>(), It.IsAny<IProgress<BuildProgress>>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync(new BuildOutcome("sha256:built", null));
        engine.Setup(e => e.InspectImageAsync(It.IsAny<string>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync((string reference, CancellationToken _) => new ImageFacts(reference, "sha256:built", 1_000_000, [], []));
        engine.Setup(e => e.ImageSizeAsync(It.IsAny<string>(), It.IsAny<bool>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync(100_000_000L);
        engine.Setup(e => e.RemoveImageAsync(It.IsAny<string>(), It.IsAny<CancellationToken>())).Returns(Task.CompletedTask);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task MeasuresAFatFinalBaseAndItsSlimCounterpartPullingOnlyWhenAllowed(bool pull)
    {
        await RunAsync(Slim, Fat, pull);

        engine.Verify(e => e.ImageSizeAsync("python:3.11", pull, It.IsAny<CancellationToken>()), Times.Once);
        engine.Verify(e => e.ImageSizeAsync("python:3.11-slim", pull, It.IsAny<CancellationToken>()), Times.Once);
        engine.Verify(e => e.ImageSizeAsync(It.IsAny<string>(), It.IsAny<bool>(), It.IsAny<CancellationToken>()), Times.Exactly(2));
    }

    [Theory]
    [InlineData(217_000_000L, true)]
    [InlineData(null, false)]
    public async Task TheFatBaseFixStatesTheSavingOnlyWhenBothImagesWereMeasured(long? slimSize, bool stated)
    {
        engine.Setup(e => e.ImageSizeAsync("python:3.11", It.IsAny<bool>(), It.IsAny<CancellationToken>())).ReturnsAsync(569_000_000L);
        engine.Setup(e => e.ImageSizeAsync("python:3.11-slim", It.IsAny<bool>(), It.IsAny<CancellationToken>())).ReturnsAsync(slimSize);

        var comparison = await RunAsync(Slim, Fat, pull: true);

        var fix = Assert.Single(comparison.Findings, f => f.Rule == "fat-base-image").Fix!;
        Assert.Equal(stated, fix.Contains(SizeText.Format(569_000_000), StringComparison.Ordinal));
        Assert.Equal(stated, fix.Contains(SizeText.Format(217_000_000), StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(Slim)]
    [InlineData(Fat)]
    public async Task MeasuresNoImageWhenTheHeadDoesNotStandOnAFatBase(string baseDockerfile)
    {
        // A fat base only the base branch had is what the PR fixes: nothing to measure, let alone pull.
        await RunAsync(baseDockerfile, Slim, pull: true);

        engine.Verify(e => e.ImageSizeAsync(It.IsAny<string>(), It.IsAny<bool>(), It.IsAny<CancellationToken>()), Times.Never);
    }

    [Fact]
    public async Task AClassicBuildFailureGetsTheLineOfItsStep()
    {
        engine.Setup(e => e.BuildAsync(It.Is<BuildRequest>(r => r.Tag.EndsWith(":head-0", StringComparison.Ordinal)), It.IsAny<IProgress<BuildProgress>>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync(new BuildOutcome(null, new BuildFailure("Step 3/4 : RUN python3 -m compileall /app", "The command '/bin/sh -c python3 -m compileall /app' returned a non-zero code: 1", [])));

        var comparison = await RunAsync(Slim, Slim, pull: true);

        Assert.Equal(3, comparison.Head!.Failure!.Line);
        Assert.Equal(3, Assert.Single(comparison.Findings, f => f.Rule == "build-failed").Line);
    }

    [Theory]
    [InlineData(false, BuilderKind.BuildKit)]
    [InlineData(true, BuilderKind.Classic)]
    public async Task TheAutoBuilderTakesBuildKitSyntaxToTheClassicBuilderOnlyWhereThatReadsIt(bool classicReadsIt, BuilderKind expected)
    {
        // Podman's builder reads RUN --mount and Podman has no BuildKit; dockerd's classic builder fails on it.
        engine.Setup(e => e.ClassicBuilderReadsBuildKitSyntaxAsync(It.IsAny<CancellationToken>())).ReturnsAsync(classicReadsIt);
        engine.Setup(e => e.BuildKitAsync(It.IsAny<BuildKitOptions>(), It.IsAny<CancellationToken>())).ReturnsAsync(new BuildKitSupport(null, "buildx builder default, docker driver, loaded into the engine"));
        var cacheMount = Slim.Replace("RUN python3", "RUN --mount=type=cache,target=/root/.cache python3", StringComparison.Ordinal);

        await RunAsync(Slim, cacheMount, pull: true, Settings with { Builder = BuilderChoice.Auto });

        engine.Verify(e => e.BuildAsync(It.Is<BuildRequest>(r => r.Tag.EndsWith(":base-0", StringComparison.Ordinal) && r.Builder == BuilderKind.Classic), It.IsAny<IProgress<BuildProgress>>(), It.IsAny<CancellationToken>()), Times.Once);
        engine.Verify(e => e.BuildAsync(It.Is<BuildRequest>(r => r.Tag.EndsWith(":head-0", StringComparison.Ordinal) && r.Builder == expected), It.IsAny<IProgress<BuildProgress>>(), It.IsAny<CancellationToken>()), Times.Once);
        // Only a Dockerfile that needs BuildKit makes the runner ask.
        engine.Verify(e => e.ClassicBuilderReadsBuildKitSyntaxAsync(It.IsAny<CancellationToken>()), Times.Once);
    }

    [Fact]
    public async Task EachSideBuildsWithItsOwnCacheScopeAndAStreamedImageIsNeitherInspectedNorRemoved()
    {
        var requests = new List<BuildRequest>();
        engine.Setup(e => e.BuildKitAsync(It.IsAny<BuildKitOptions>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync(new BuildKitSupport(null, "buildx builder ci, docker-container driver, streamed as an OCI archive"));
        engine.Setup(e => e.BuildAsync(It.IsAny<BuildRequest>(), It.IsAny<IProgress<BuildProgress>>(), It.IsAny<CancellationToken>()))
            .Callback((BuildRequest request, IProgress<BuildProgress>? _, CancellationToken _) => requests.Add(request))
            .ReturnsAsync((BuildRequest request, IProgress<BuildProgress>? _, CancellationToken _) =>
                new BuildOutcome("sha256:streamed", null, new ImageFacts(request.Tag, "sha256:streamed", 1_000_000, [], [])));
        var settings = Settings with
        {
            Builder = BuilderChoice.Auto,
            BuildKit = new BuildKitOptions("ci", [], ["type=gha"], ["type=gha,mode=max", "type=local,dest=/cache"]),
        };

        await RunAsync(Slim, Slim, pull: false, settings);

        Assert.Equal([BuilderKind.BuildKit, BuilderKind.BuildKit], requests.Select(r => r.Builder));
        Assert.Equal(["type=gha,scope=Dockerfile-base"], requests[0].BuildKit!.CacheFrom);
        Assert.Equal(["type=gha,mode=max,scope=Dockerfile-base", "type=local,dest=/cache/Dockerfile-base"], requests[0].BuildKit!.CacheTo);
        Assert.Equal(["type=gha,scope=Dockerfile-head"], requests[1].BuildKit!.CacheFrom);
        Assert.Equal(["type=gha,mode=max,scope=Dockerfile-head", "type=local,dest=/cache/Dockerfile-head"], requests[1].BuildKit!.CacheTo);
        Assert.All(requests, r => Assert.Equal("ci", r.BuildKit!.BuildxBuilder));
        engine.Verify(e => e.InspectImageAsync(It.IsAny<string>(), It.IsAny<CancellationToken>()), Times.Never);
        engine.Verify(e => e.RemoveImageAsync(It.IsAny<string>(), It.IsAny<CancellationToken>()), Times.Never);
    }

    [Fact]
    public async Task WithoutBuildKitTheFallbackIsSaidOnceForBothSides()
    {
        var reporter = new Mock<IBuildReporter>();
        engine.Setup(e => e.BuildKitAsync(It.IsAny<BuildKitOptions>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync(new BuildKitSupport("no docker CLI here builds with BuildKit (no docker on PATH); install docker-buildx", "no BuildKit"));

        await RunAsync(Slim, Slim, pull: false, Settings with { Builder = BuilderChoice.BuildKit }, reporter.Object);

        reporter.Verify(r => r.Note("no docker CLI here builds with BuildKit (no docker on PATH); install docker-buildx; building with the classic builder instead"), Times.Once);
        engine.Verify(e => e.BuildAsync(It.Is<BuildRequest>(r => r.Builder == BuilderKind.Classic), It.IsAny<IProgress<BuildProgress>>(), It.IsAny<CancellationToken>()), Times.Exactly(2));
    }

    private async Task<ImageComparison> RunAsync(string baseDockerfile, string headDockerfile, bool pull, BuildSettings? settings = null, IBuildReporter? reporter = null)
    {
        var plan = new ImagePlan("Dockerfile", ".", Side("main", baseDockerfile), Side("pr", headDockerfile));
        var runner = new CompareRunner(engine.Object, reporter ?? Mock.Of<IBuildReporter>(), new RuleOptions(), pull);

        var report = await runner.RunAsync([plan], settings ?? Settings, keepImages: false, CancellationToken.None);

        return Assert.Single(report.Images);
    }

    private static SidePlan Side(string reference, string dockerfile) => SidePlan.Build(
        reference, "/nonexistent/context", "/nonexistent/context/Dockerfile",
        DockerfileResolver.Resolve(DockerfileParser.Parse(dockerfile, "Dockerfile"), null, new Dictionary<string, string>()));
}
