using PrImageReport.Cli.IntegrationTests.Infrastructure;
using PrImageReport.Docker;
using PrImageReport.Testing;
using Xunit.Sdk;

namespace PrImageReport.Cli.IntegrationTests.Action;

/// <summary>The action's image, built once from the root Dockerfile for the tests that run it, and removed after them.</summary>
public sealed class ActionImageFixture : IAsyncLifetime
{
    public const string DockerCliImage = "docker:28-cli";

    private DockerEngine? engine;

    public string Image { get; } = $"pr-image-report-action-test:{Guid.NewGuid():N}";

    /// <summary>The engine's socket on this machine, to mount into the action's container as the runner does.</summary>
    public string Socket => engine!.Endpoint.Host.Scheme == "unix"
        ? engine.Endpoint.Host.LocalPath
        : throw new XunitException($"the action's container needs the engine's unix socket mounted; DOCKER_HOST={engine.Endpoint} is not one");

    internal BuildOutcome Build { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        await Engine.RequireAsync(Engine.SlimPython, Engine.FatPython, "mcr.microsoft.com/dotnet/sdk:10.0", "mcr.microsoft.com/dotnet/runtime:10.0", DockerCliImage);
        engine = await DockerRequirement.EngineAsync();

        // NuGet restore inside the build is the only step that needs the outside world, which only lane 1's host
        // network reaches (lane 2 runs in a network namespace with loopback alone). So the image is built there and
        // loaded into the engine under test, as a runner pulls a prebuilt action image.
        using var builder = await DockerRequirement.EngineAsync(DockerEngine.DefaultHost);
        Build = await builder.BuildAsync(
            new BuildRequest(RepositoryRoot.Path, RepositoryRoot.Combine("Dockerfile"), new Dictionary<string, string>(), null, Image, BuilderKind.Classic, "host"),
            null,
            CancellationToken.None);
        if (Build.Failure is null && engine.Endpoint.Host.OriginalString != DockerEngine.DefaultHost)
        {
            var copy = await ProcessRunner.RunAsync(
                "bash",
                ["-o", "pipefail", "-c", $"DOCKER_HOST={DockerEngine.DefaultHost} docker save {Image} | docker load"],
                null,
                null,
                null,
                TimeSpan.FromMinutes(5));
            await builder.RemoveImageAsync(Image, CancellationToken.None);
            Assert.True(copy.ExitCode == 0, $"the action image did not load into {engine.Endpoint}: {copy.Describe()}");
        }
    }

    /// <summary>Fails the test unless the image built.</summary>
    public void AssertBuilt() => Assert.True(
        Build.Failure is null,
        $"the action image did not build at {Build.Failure?.Step}: {Build.Failure?.Message}\n{string.Join('\n', Build.Failure?.LastLines ?? [])}");

    public async Task DisposeAsync()
    {
        if (engine is not null)
        {
            await engine.RemoveImageAsync(Image, CancellationToken.None);
            engine.Dispose();
        }
    }
}
