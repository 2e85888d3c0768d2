using PrImageReport.Docker;
using Xunit.Sdk;

namespace PrImageReport.Testing;

/// <summary>
/// For tests that need the real Docker engine: they fail, never skip, when it is missing, with a message that says
/// how to provide one (the house rule: with CI=true a missing engine is a broken CI setup, not a reason to pass).
/// </summary>
public static class DockerRequirement
{
    public static bool IsCi => string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);

    /// <summary>Connects to the engine and fails the test when it does not answer.</summary>
    /// <param name="dockerHost">The engine's address; null reads DOCKER_HOST, then uses the default socket.</param>
    public static async Task<DockerEngine> EngineAsync(string? dockerHost = null, CancellationToken ct = default)
    {
        var engine = DockerEngine.Connect(dockerHost);
        try
        {
            await engine.PingAsync(ct).ConfigureAwait(false);
            return engine;
        }
        catch (EngineUnavailableException e)
        {
            engine.Dispose();
            throw new XunitException(IsCi
                ? $"CI=true but this test needs a Docker engine and none answers: {e.Message}. Give the CI job a Docker engine (service or socket)."
                : $"this test needs a Docker engine and none answers: {e.Message}. Tests that need Docker fail rather than skip.");
        }
    }

    /// <summary>Fails the test unless every image is already on the engine (nothing can be pulled here).</summary>
    public static async Task ImagesAsync(DockerEngine engine, IEnumerable<string> images, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(engine);
        var missing = new List<string>();
        foreach (var image in images)
        {
            if (!await engine.ImageExistsAsync(image, ct).ConfigureAwait(false))
            {
                missing.Add(image);
            }
        }

        if (missing.Count > 0)
        {
            throw new XunitException($"images missing on the Docker engine at {engine.Endpoint}: {string.Join(", ", missing)}; create or load them first (`docker image ls` must list them)");
        }
    }
}
