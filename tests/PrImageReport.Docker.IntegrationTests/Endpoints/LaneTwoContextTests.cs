using PrImageReport.Core.Comparison;
using PrImageReport.Docker.Builds;
using PrImageReport.Docker.Endpoints;
using PrImageReport.Testing;
using PrImageReport.Testing.Endpoints;

namespace PrImageReport.Docker.IntegrationTests.Endpoints;

/// <summary>
/// The default socket is lane 1 while a context names lane 2: whatever the tool builds lands on lane 2 and not on lane 1.
/// Lane 2 (Docker 28.5, minimum API 1.44) also shows the engine refusing an old client, from both sides.
/// </summary>
[Trait(Lane2.Trait, Lane2.Name)]
public sealed class LaneTwoContextTests : IAsyncLifetime
{
    private const string Slim = "python:3.11-slim";

    private readonly TempDirectory scratch = new();
    private readonly DockerContexts contexts = new();
    private readonly List<string> tags = [];
    private DockerEngine laneOne = null!;
    private DockerEngine laneTwo = null!;
    private string laneTwoCli = null!;

    public async Task InitializeAsync()
    {
        var (socket, cli) = TestEngineSocket.LaneTwo();
        laneTwoCli = cli;
        laneOne = await DockerRequirement.EngineAsync(DockerEngine.DefaultHost);
        laneTwo = await DockerRequirement.EngineAsync($"unix://{socket}");
        await DockerRequirement.ImagesAsync(laneTwo, [Slim]);
        await contexts.CreateAsync("lane2", $"unix://{socket}");
    }

    public async Task DisposeAsync()
    {
        try
        {
            foreach (var tag in tags)
            {
                await laneTwo.RemoveImageAsync(tag, CancellationToken.None);
            }
        }
        finally
        {
            laneOne.Dispose();
            laneTwo.Dispose();
            contexts.Dispose();
            scratch.Dispose();
        }
    }

    [Theory]
    [InlineData(true, BuilderKind.Classic)]
    [InlineData(true, BuilderKind.BuildKit)]
    [InlineData(false, BuilderKind.Classic)]
    [InlineData(false, BuilderKind.BuildKit)]
    public async Task ABuildThroughTheContextLandsOnLaneTwoAndNotOnLaneOne(bool currentContext, BuilderKind builder)
    {
        if (currentContext)
        {
            await contexts.UseAsync("lane2");
        }

        using var engine = DockerEngine.Connect(null, currentContext
            ? EndpointEnvironment.Of(("DOCKER_CONFIG", contexts.ConfigDirectory))
            : EndpointEnvironment.Of(("DOCKER_CONFIG", contexts.ConfigDirectory), ("DOCKER_CONTEXT", "lane2")));
        var (request, tag) = Request(builder);

        // The BuildKit build goes through lane 2's docker CLI, the one that speaks its API, given the engine as the tool resolved it.
        var outcome = builder == BuilderKind.BuildKit
            ? await new BuildKitBuilder(laneTwoCli, engine.Endpoint).BuildAsync(request, null, null, CancellationToken.None)
            : await engine.BuildAsync(request, null, CancellationToken.None);

        Assert.Null(outcome.Failure);
        Assert.Equal("context lane2", engine.Endpoint.Origin);
        Assert.True(await laneTwo.ImageExistsAsync(tag, CancellationToken.None), $"{tag} is not on lane 2");
        Assert.False(await laneOne.ImageExistsAsync(tag, CancellationToken.None), $"{tag} is on lane 1, the default socket");
        Assert.Equal((await laneTwo.InspectImageAsync(tag, CancellationToken.None)).Id, (await engine.InspectImageAsync(tag, CancellationToken.None)).Id);
    }

    [Fact]
    public async Task AnEngineThatRefusesTheClientsApiVersionIsOneLineNamingTheEngineAndTheFix()
    {
        using var pinned = DockerEngine.Connect(laneTwo.Endpoint.Host.OriginalString, EndpointEnvironment.Of(("DOCKER_API_VERSION", "1.41")));

        var error = await Assert.ThrowsAsync<EngineUnavailableException>(() => pinned.PingAsync(CancellationToken.None));

        Assert.Equal($"the engine at {laneTwo.Endpoint.Host.OriginalString} refuses API 1.41 (it needs 1.44 or newer): set DOCKER_API_VERSION to 1.44 or newer, or unset it to let the engine choose", error.Message);
    }

    [Fact]
    public async Task AnEngineThatRefusesTheDockerClisApiVersionIsOneLineNamingTheCliTheEngineAndTheFix()
    {
        // Debian bookworm's docker 20.10 CLI speaks API 1.41, below lane 2's minimum.
        var (request, _) = Request(BuilderKind.BuildKit);
        // A guard, not a timing: that CLI's BuildKit session was once seen waiting forever after the refusal.
        using var bounded = new CancellationTokenSource(TimeSpan.FromMinutes(2));

        var error = await Assert.ThrowsAsync<EngineUnavailableException>(() => new BuildKitBuilder("/usr/bin/docker", laneTwo.Endpoint).BuildAsync(request, null, null, bounded.Token));

        Assert.Equal($"the docker CLI /usr/bin/docker speaks API 1.41, which the engine at {laneTwo.Endpoint.Host.OriginalString} refuses (it needs 1.44 or newer): set {BuildKitBuilder.CliVariable} to a newer docker CLI with the buildx plugin", error.Message);
    }

    private (BuildRequest Request, string Tag) Request(BuilderKind builder)
    {
        var context = scratch.CreateDirectory($"context-{Guid.NewGuid():N}");
        File.WriteAllText(Path.Combine(context, "Dockerfile"), $"FROM {Slim}\nRUN echo {builder} on lane 2 > /lane.txt\n");
        var tag = $"pr-image-report-test-context:{Guid.NewGuid():N}";
        tags.Add(tag);
        return (new BuildRequest(context, Path.Combine(context, "Dockerfile"), new Dictionary<string, string>(), null, tag, builder), tag);
    }
}
