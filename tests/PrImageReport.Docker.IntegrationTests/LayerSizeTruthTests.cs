using System.Globalization;
using PrImageReport.Core.Comparison;
using PrImageReport.Core.Images;
using PrImageReport.Docker.Builds;
using PrImageReport.Testing;
using Xunit.Abstractions;

namespace PrImageReport.Docker.IntegrationTests;

/// <summary>
/// On lane 1 (Docker 20.10, overlay2), whatever lane the run is for: the sizes measured from the exported archive are
/// byte for byte what `docker history` shows for pulled, loaded and classic-built images, less only the bytes of files
/// a layer repeats from below (<see cref="LayerChanges.RepeatedBytes"/>), and the image size is the engine's less the
/// same; a BuildKit build of the same Dockerfile measures the same.
/// </summary>
public sealed class LayerSizeTruthTests(ITestOutputHelper output) : IAsyncLifetime
{
    private readonly List<string> tags = [];
    private DockerEngine engine = null!;

    public async Task InitializeAsync()
    {
        engine = await DockerRequirement.EngineAsync(EngineLanes.Lane1.DockerHost);
        await DockerRequirement.ImagesAsync(engine, ["debian:bookworm-slim", "python:3.11-slim", "python:3.11"]);
    }

    public async Task DisposeAsync()
    {
        foreach (var tag in tags)
        {
            await engine.RemoveImageAsync(tag, CancellationToken.None);
        }

        await engine.DisposeAsync();
    }

    [Theory]
    [InlineData("debian:bookworm-slim")]
    [InlineData("python:3.11-slim")]
    [InlineData("python:3.11")]
    public async Task AStandInImageMeasuresExactlyWhatTheEngineReports(string image)
    {
        var (facts, filesystem) = await MeasureAsync(image);

        Assert.Equal(await HistorySizesAsync(facts.Id), OverlaySizes(facts, filesystem));
        Assert.All(filesystem.Layers, layer => Assert.Equal(0, layer.RepeatedBytes));
        Assert.Equal(await InspectedSizeAsync(facts.Id), facts.SizeBytes);
    }

    [Theory]
    [InlineData("Dockerfile")]
    [InlineData("Dockerfile.single-stage")]
    public async Task TheSeedExampleMeasuresWhatDockerHistoryShowsLessTheRepeatedFilesWithEitherBuilder(string dockerfile)
    {
        var classic = await BuildAsync(dockerfile, BuilderKind.Classic);
        var buildKit = await BuildAsync(dockerfile, BuilderKind.BuildKit);

        var (facts, filesystem) = await MeasureAsync(classic);
        var (buildKitFacts, _) = await MeasureAsync(buildKit);

        Assert.Equal(await HistorySizesAsync(facts.Id), OverlaySizes(facts, filesystem));
        Assert.Equal(await InspectedSizeAsync(facts.Id), facts.SizeBytes + filesystem.Layers.Sum(l => l.RepeatedBytes));

        // dockerd's BuildKit registers its layers through the tar headers' sizes, which leave symlinks out, so its
        // `docker history` differs from classic's by the symlinks' bytes; measured from the archive, both builders agree.
        Assert.Equal(facts.SizeBytes, buildKitFacts.SizeBytes);
        Assert.Equal(facts.LayerCount, buildKitFacts.LayerCount);
        Assert.Equal(facts.Layers.Where(l => !l.IsEmpty).Select(l => l.SizeBytes), buildKitFacts.Layers.Where(l => !l.IsEmpty).Select(l => l.SizeBytes));
        if (dockerfile == "Dockerfile.single-stage")
        {
            // `COPY . .` repeats requirements.txt, which `COPY requirements.txt .` put there with the same mtime.
            var requirements = new FileInfo(Path.Combine(SeedExample(), "requirements.txt")).Length;
            var copyAll = facts.Layers.Last(l => l.Instruction.StartsWith("COPY", StringComparison.Ordinal));
            Assert.Equal(requirements, filesystem.Layers[copyAll.ArchiveLayer!.Value].RepeatedBytes);
        }
    }

    private async Task<string> BuildAsync(string dockerfile, BuilderKind builder)
    {
        var context = SeedExample();
        var tag = $"pr-image-report-test/{Guid.NewGuid():N}:latest";
        tags.Add(tag);
        var outcome = await engine.BuildAsync(new BuildRequest(context, Path.Combine(context, dockerfile), new Dictionary<string, string>(), null, tag, builder), null, CancellationToken.None);
        Assert.True(outcome.Failure is null, $"the {builder} build of {dockerfile} failed: {outcome.Failure}");
        return tag;
    }

    private async Task<(ImageFacts Facts, ImageFilesystem Filesystem)> MeasureAsync(string image)
    {
        var facts = await engine.InspectImageAsync(image, CancellationToken.None);
        var filesystem = await engine.ReadFilesystemAsync(facts.Id, CancellationToken.None);
        foreach (var layer in facts.Layers)
        {
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{layer.SizeBytes,12:N0} {(layer.IsEmpty ? "(not counted)" : ""),-14} {layer.Instruction}"));
        }

        return (facts, filesystem);
    }

    /// <summary>Each history step's size as overlay2 counts it: the archive layer's measured bytes plus those it repeats; 0 for a step without a layer.</summary>
    private static List<long> OverlaySizes(ImageFacts facts, ImageFilesystem filesystem) =>
        [.. facts.Layers.Select(l => l.ArchiveLayer is { } index ? filesystem.Layers[index].SizeBytes + filesystem.Layers[index].RepeatedBytes : 0)];

    /// <summary>`docker history` in bytes, bottom first.</summary>
    private static async Task<List<long>> HistorySizesAsync(string image)
    {
        var history = await ProcessRunner.RunAsync("docker", ["history", "--human=false", "--no-trunc", "--format", "{{.Size}}", image], environment: EngineLanes.Lane1.Environment);
        Assert.True(history.ExitCode == 0, history.Describe());
        return [.. history.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(s => long.Parse(s.Trim(), CultureInfo.InvariantCulture)).Reverse()];
    }

    private static async Task<long> InspectedSizeAsync(string image)
    {
        var inspected = await ProcessRunner.RunAsync("docker", ["image", "inspect", "--format", "{{.Size}}", image], environment: EngineLanes.Lane1.Environment);
        Assert.True(inspected.ExitCode == 0, inspected.Describe());
        return long.Parse(inspected.StandardOutput.Trim(), CultureInfo.InvariantCulture);
    }

    private static string SeedExample()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            if (File.Exists(Path.Combine(folder.FullName, "PrImageReport.sln")))
            {
                return Path.Combine(folder.FullName, "examples", "school-api");
            }
        }

        throw new InvalidOperationException($"no PrImageReport.sln above {AppContext.BaseDirectory}");
    }
}
