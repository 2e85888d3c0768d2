namespace PrImageReport.Testing.Endpoints;

/// <summary>The engines the endpoint tests put behind TLS, ssh and contexts.</summary>
public static class TestEngineSocket
{
    /// <summary>Written by scripts/start-docker-lane2.sh.</summary>
    public const string LaneTwoEnvironmentFile = "/var/lib/pr-image-report/lane2/lane2.env";

    /// <summary>The unix socket of the engine this test run is for: DOCKER_HOST's when it is one, else lane 1's default socket.</summary>
    public static string Current =>
        Environment.GetEnvironmentVariable("DOCKER_HOST") is { } host && host.StartsWith("unix://", StringComparison.Ordinal)
            ? host["unix://".Length..]
            : "/var/run/docker.sock";

    /// <summary>Lane 2's unix socket and docker CLI (with buildx), from the file its start script writes.</summary>
    public static (string Socket, string Cli) LaneTwo()
    {
        if (!File.Exists(LaneTwoEnvironmentFile))
        {
            throw new Xunit.Sdk.XunitException($"this test needs engine lane 2 beside lane 1 and {LaneTwoEnvironmentFile} is missing: run scripts/start-docker-lane2.sh");
        }

        string? socket = null;
        string? cli = null;
        foreach (var line in File.ReadLines(LaneTwoEnvironmentFile))
        {
            var assignment = line.StartsWith("export ", StringComparison.Ordinal) ? line["export ".Length..] : line;
            if (assignment.StartsWith("DOCKER_HOST=unix://", StringComparison.Ordinal))
            {
                socket = assignment["DOCKER_HOST=unix://".Length..].Trim();
            }
            else if (assignment.StartsWith("PR_IMAGE_REPORT_DOCKER_CLI=", StringComparison.Ordinal))
            {
                cli = assignment["PR_IMAGE_REPORT_DOCKER_CLI=".Length..].Trim();
            }
        }

        return socket is not null && cli is not null
            ? (socket, cli)
            : throw new Xunit.Sdk.XunitException($"{LaneTwoEnvironmentFile} sets no unix:// DOCKER_HOST or no PR_IMAGE_REPORT_DOCKER_CLI: rerun scripts/start-docker-lane2.sh");
    }
}
