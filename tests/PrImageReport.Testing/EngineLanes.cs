using Xunit.Sdk;

namespace PrImageReport.Testing;

/// <summary>An engine lane: its address, and the docker CLI that speaks to it (null: the docker on PATH).</summary>
public sealed record EngineLane(string Name, string DockerHost, string? DockerCli)
{
    /// <summary>The variables that point the tool (and the docker CLI) at this lane; a null value removes the variable.</summary>
    public IReadOnlyDictionary<string, string?> Environment => new Dictionary<string, string?>(StringComparer.Ordinal)
    {
        ["DOCKER_HOST"] = DockerHost,
        ["PR_IMAGE_REPORT_DOCKER_CLI"] = DockerCli,
    };
}

/// <summary>
/// The two engines the tests compare: lane 1, Debian bookworm's Docker 20.10 on overlay2 at the default socket, and
/// lane 2, Docker 28 with the containerd image store, whose scripts/start-docker-lane2.sh writes its address to an env
/// file. Tests that need a lane fail, never skip, when it does not answer.
/// </summary>
public static class EngineLanes
{
    public static EngineLane Lane1 { get; } = new("lane 1", "unix:///var/run/docker.sock", null);

    /// <summary>Where scripts/start-docker-lane2.sh writes lane 2's settings (LANE2_DIR defaults to /var/lib/pr-image-report/lane2).</summary>
    public static string Lane2EnvFile =>
        System.Environment.GetEnvironmentVariable("PR_IMAGE_REPORT_LANE2_ENV") is { Length: > 0 } file ? file : "/var/lib/pr-image-report/lane2/lane2.env";

    /// <summary>Lane 2 from its env file; fails the test when the file is missing or the engine does not answer.</summary>
    public static async Task<EngineLane> Lane2Async(CancellationToken ct = default)
    {
        var lane = Lane2Settings();
        (await DockerRequirement.EngineAsync(lane.DockerHost, ct).ConfigureAwait(false)).Dispose();
        return lane;
    }

    /// <summary>Lane 2 as its env file names it, without asking the engine; fails the test when the file is missing.</summary>
    public static EngineLane Lane2Settings()
    {
        var path = Lane2EnvFile;
        if (!File.Exists(path))
        {
            throw new XunitException(
                $"{(DockerRequirement.IsCi ? "CI=true but " : "")}this test needs engine lane 2 and {path} does not exist: start it with scripts/start-docker-lane2.sh. Tests that need an engine fail rather than skip.");
        }

        var settings = File.ReadAllLines(path)
            .Select(line => line.Trim())
            .Where(line => line.StartsWith("export ", StringComparison.Ordinal) && line.Contains('=', StringComparison.Ordinal))
            .Select(line => line["export ".Length..].Split('=', 2))
            .ToDictionary(pair => pair[0], pair => pair[1].Trim('"', '\''), StringComparer.Ordinal);
        return settings.TryGetValue("DOCKER_HOST", out var host)
            ? new EngineLane("lane 2", host, settings.GetValueOrDefault("PR_IMAGE_REPORT_DOCKER_CLI"))
            : throw new XunitException($"{path} sets no DOCKER_HOST; run scripts/start-docker-lane2.sh again to rewrite it");
    }
}
