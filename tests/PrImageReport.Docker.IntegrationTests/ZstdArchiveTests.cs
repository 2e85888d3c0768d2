using System.Formats.Tar;
using System.Text.Json;
using PrImageReport.Core.Images;
using PrImageReport.Testing;

namespace PrImageReport.Docker.IntegrationTests;

/// <summary>
/// On lane 2 (Docker 28, containerd store, buildx): an image written by buildx as an OCI archive of zstd blobs reads
/// from the archive alone to the same facts the engine path gives for the loaded image, with its compressed sizes.
/// </summary>
[Trait(Lane2.Trait, Lane2.Name)]
public sealed class ZstdArchiveTests : IAsyncLifetime
{
    private readonly TempDirectory scratch = new();
    private readonly string tag = $"pr-image-report-test/{Guid.NewGuid():N}:latest";
    private EngineLane lane = null!;
    private DockerEngine engine = null!;

    public async Task InitializeAsync()
    {
        lane = await EngineLanes.Lane2Async();
        engine = await DockerRequirement.EngineAsync(lane.DockerHost);
        await DockerRequirement.ImagesAsync(engine, ["python:3.11"]);
    }

    public async Task DisposeAsync()
    {
        await engine.RemoveImageAsync(tag, CancellationToken.None);
        await engine.DisposeAsync();
        scratch.Dispose();
    }

    [Fact]
    public async Task AnOciArchiveOfZstdBlobsGivesTheEngineFactsAndItsCompressedSizes()
    {
        var example = SeedExample();
        var archive = scratch.Combine("image.oci.tar");
        var build = await ProcessRunner.RunAsync(
            lane.DockerCli ?? "docker",
            ["buildx", "build", "-q", "-f", Path.Combine(example, "Dockerfile.single-stage"), "--output", $"type=oci,compression=zstd,force-compression=true,dest={archive}", example],
            environment: lane.Environment);
        Assert.True(build.ExitCode == 0, build.Describe());
        // The same build loaded into the engine, by the lane's own CLI (the engine refuses older clients' API).
        var load = await ProcessRunner.RunAsync(
            lane.DockerCli ?? "docker",
            ["buildx", "build", "-q", "--load", "-t", tag, "-f", Path.Combine(example, "Dockerfile.single-stage"), example],
            environment: lane.Environment);
        Assert.True(load.ExitCode == 0, load.Describe());

        ImageFacts fromArchive;
        await using (var stream = File.OpenRead(archive))
        {
            fromArchive = await ArchiveFacts.ReadAsync("school-api:zstd", stream, CancellationToken.None);
        }

        var fromEngine = await engine.InspectImageAsync(tag, CancellationToken.None);
        var layers = await LayerDescriptorsAsync(archive);

        Assert.All(layers, l => Assert.Equal("application/vnd.oci.image.layer.v1.tar+zstd", l.MediaType));
        Assert.Equal(layers.Sum(l => l.Size), fromArchive.CompressedBytes);
        Assert.Equal(layers.Select(l => (long?)l.Size), fromArchive.Layers.Where(l => l.ArchiveLayer is not null).Select(l => l.CompressedBytes));
        Assert.Equal(fromEngine.SizeBytes, fromArchive.SizeBytes);
        Assert.Equal(fromEngine.LayerCount, fromArchive.LayerCount);
        Assert.Equal(fromEngine.Layers.Select(l => (l.Instruction, l.SizeBytes, l.IsEmpty)), fromArchive.Layers.Select(l => (l.Instruction, l.SizeBytes, l.IsEmpty)));
        Assert.Equal(fromEngine.Packages, fromArchive.Packages);
        Assert.Equal("BuildKit", fromArchive.Origin.Builder);
    }

    /// <summary>The layer descriptors of the archive's one image manifest: index.json, then the manifest blob.</summary>
    private static async Task<List<(string MediaType, long Size)>> LayerDescriptorsAsync(string archive)
    {
        var json = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        await using (var stream = File.OpenRead(archive))
        await using (var reader = new TarReader(stream))
        {
            while (await reader.GetNextEntryAsync() is { } entry)
            {
                if (entry.DataStream is { Length: < 1_000_000 } data)
                {
                    using var copy = new MemoryStream();
                    await data.CopyToAsync(copy);
                    json[entry.Name.TrimStart('.', '/')] = copy.ToArray();
                }
            }
        }

        using var index = JsonDocument.Parse(json["index.json"]);
        var digest = index.RootElement.GetProperty("manifests")[0].GetProperty("digest").GetString()!;
        using var manifest = JsonDocument.Parse(json[$"blobs/sha256/{digest["sha256:".Length..]}"]);
        return [.. manifest.RootElement.GetProperty("layers").EnumerateArray().Select(l => (l.GetProperty("mediaType").GetString()!, l.GetProperty("size").GetInt64()))];
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
