namespace PrImageReport.Testing.Endpoints;

/// <summary>The engines the endpoint tests put behind TLS, ssh and contexts.</summary>
public static class TestEngineSocket
{
    /// <summary>The unix socket of the engine this test run is for: DOCKER_HOST's when it is one, else lane 1's default socket.</summary>
    public static string Current =>
        Environment.GetEnvironmentVariable("DOCKER_HOST") is { } host && host.StartsWith("unix://", StringComparison.Ordinal)
            ? host["unix://".Length..]
            : "/var/run/docker.sock";

    /// <summary>Lane 2's unix socket and docker CLI (with buildx), from the file its start script writes.</summary>
    public static (string Socket, string Cli) LaneTwo()
    {
        var lane = EngineLanes.Lane2Settings();
        return lane.DockerHost.StartsWith("unix://", StringComparison.Ordinal) && lane.DockerCli is { } cli
            ? (lane.DockerHost["unix://".Length..], cli)
            : throw new Xunit.Sdk.XunitException($"{EngineLanes.Lane2EnvFile} sets no unix:// DOCKER_HOST or no PR_IMAGE_REPORT_DOCKER_CLI: rerun scripts/start-docker-lane2.sh");
    }
}
