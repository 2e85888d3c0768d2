using PrImageReport.Docker;
using PrImageReport.Testing;
using Xunit.Sdk;

namespace PrImageReport.Cli.IntegrationTests.Infrastructure;

/// <summary>
/// The Podman lane: Podman's Docker-compatible API (`podman system service`, started by scripts/start-podman.sh). Its
/// tests carry the trait Lane=podman, so a run selects them (--filter Lane=podman) or leaves them out (Lane!=podman);
/// selected, they fail rather than skip when Podman does not answer.
/// </summary>
internal static class PodmanLane
{
    public const string Trait = "Lane";
    public const string Name = "podman";

    /// <summary>Names the lane a test run is for; with it set to podman, DOCKER_HOST says where Podman's API is.</summary>
    public const string LaneVariable = "PR_IMAGE_REPORT_TEST_LANE";

    public const string DefaultHost = "unix:///run/podman/podman.sock";

    /// <summary>Podman's API: DOCKER_HOST when the podman lane is selected, else the socket scripts/start-podman.sh starts.</summary>
    public static string Host =>
        System.Environment.GetEnvironmentVariable(LaneVariable) == Name && System.Environment.GetEnvironmentVariable("DOCKER_HOST") is { Length: > 0 } host
            ? host
            : DefaultHost;

    /// <summary>What the CLI and the docker client need to talk to Podman whatever DOCKER_HOST the test run has.</summary>
    public static IReadOnlyDictionary<string, string?> Environment => new Dictionary<string, string?>(StringComparer.Ordinal)
    {
        ["DOCKER_HOST"] = Host,
        ["DOCKER_CONTEXT"] = null,
    };

    /// <summary>Fails (never skips) unless Podman answers at <see cref="Host"/> and has every image: nothing can be pulled here.</summary>
    public static async Task RequireAsync(params string[] images)
    {
        using var engine = DockerEngine.Connect(Host);
        try
        {
            await engine.PingAsync(CancellationToken.None);
        }
        catch (EngineUnavailableException e)
        {
            throw new XunitException(
                $"{(DockerRequirement.IsCi ? "CI=true but " : "")}the podman lane's tests need Podman's Docker API at {Host} and none answers ({e.Message}); run scripts/start-podman.sh");
        }

        var version = await ProcessRunner.RunAsync("docker", ["version", "--format", "{{range .Server.Components}}{{.Name}};{{end}}"], null, Environment);
        if (!version.StandardOutput.Contains("Podman Engine;", StringComparison.Ordinal))
        {
            throw new XunitException($"the engine at {Host} is not Podman, so the podman lane's tests would test something else: {version.Describe()}");
        }

        await DockerRequirement.ImagesAsync(engine, images);
    }
}
