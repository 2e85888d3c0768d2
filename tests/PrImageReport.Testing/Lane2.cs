using PrImageReport.Docker;
using Xunit.Sdk;

namespace PrImageReport.Testing;

/// <summary>Engine lane 2: Docker 28 with the containerd image store, its docker CLI with the buildx plugin in PR_IMAGE_REPORT_DOCKER_CLI.</summary>
/// <remarks>
/// Tests that need lane 2 carry the trait Lane=lane2: scripts/test.sh runs them in its lane-2 pass only (and leaves them
/// out of the lane-1 pass); anywhere they run, a missing lane 2 fails them.
/// </remarks>
public static class Lane2
{
    public const string Trait = "Lane";
    public const string Name = "lane2";

    private const string Start =
        "start it with scripts/start-docker-lane2.sh and run with the variables of /var/lib/pr-image-report/lane2/lane2.env (DOCKER_HOST, PR_IMAGE_REPORT_DOCKER_CLI), or LANES=lane2 scripts/test.sh";

    /// <summary>The lane's docker CLI, with buildx; fails the test when the engine does not answer, is not on the containerd store, or the CLI has no buildx.</summary>
    public static async Task<string> RequireAsync()
    {
        using var engine = await DockerRequirement.EngineAsync().ConfigureAwait(false);
        var cli = Environment.GetEnvironmentVariable("PR_IMAGE_REPORT_DOCKER_CLI");
        if (string.IsNullOrEmpty(cli))
        {
            throw Missing("PR_IMAGE_REPORT_DOCKER_CLI is not set");
        }

        var buildx = await ProcessRunner.RunAsync(cli, ["buildx", "version"]).ConfigureAwait(false);
        if (buildx.ExitCode != 0)
        {
            throw Missing($"{cli} has no buildx plugin ({buildx.StandardError.Trim()})");
        }

        var store = await ProcessRunner.RunAsync(cli, ["info", "--format", "{{json .DriverStatus}}"]).ConfigureAwait(false);
        if (!store.StandardOutput.Contains("io.containerd.snapshotter", StringComparison.Ordinal))
        {
            throw Missing($"the engine at {engine.Endpoint} is not on the containerd image store (docker info: {store.StandardOutput.Trim()}{store.StandardError.Trim()})");
        }

        return cli;
    }

    private static XunitException Missing(string what) => new(DockerRequirement.IsCi
        ? $"CI=true but this test needs engine lane 2 and {what}; {Start}"
        : $"this test needs engine lane 2 and {what}; {Start}");
}
