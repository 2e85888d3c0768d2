using PrImageReport.Core.Comparison;
using PrImageReport.Testing;
using Xunit.Sdk;

namespace PrImageReport.Cli.IntegrationTests.Infrastructure;

/// <summary>What the scenarios check on the real engine, before and after a run.</summary>
internal static class Engine
{
    public const string SlimPython = "python:3.11-slim";
    public const string FatPython = "python:3.11";
    public const string Golang = "golang:1.19";

    /// <summary>Fails (never skips) when no engine answers or an image the scenario builds on is missing.</summary>
    public static async Task RequireAsync(params string[] images)
    {
        using var engine = await DockerRequirement.EngineAsync().ConfigureAwait(false);
        await DockerRequirement.ImagesAsync(engine, images).ConfigureAwait(false);
    }

    /// <summary>
    /// Fails unless every image the run built (the tags in its report) is gone from the engine: the tool removes what it
    /// built. The tags are checked one by one, so other runs on the same engine cannot disturb the check.
    /// </summary>
    /// <param name="dockerHost">The engine the run used; null for the test run's own (DOCKER_HOST, else the default socket).</param>
    public static async Task AssertBuiltImagesRemovedAsync(ComparisonReport report, string? dockerHost = null)
    {
        var built = report.Images
            .SelectMany(i => new[] { i.Base, i.Head })
            .Where(side => side?.Dockerfile is not null && side.Image is not null)
            .Select(side => side!.Image!.Reference)
            .ToList();
        if (built.Count == 0)
        {
            throw new XunitException("the report names no built image to check");
        }

        foreach (var tag in built)
        {
            Assert.StartsWith("pr-image-report-", tag, StringComparison.Ordinal);
        }

        using var engine = await DockerRequirement.EngineAsync(dockerHost).ConfigureAwait(false);
        var left = new List<string>();
        foreach (var tag in built)
        {
            if (await engine.ImageExistsAsync(tag, CancellationToken.None).ConfigureAwait(false))
            {
                left.Add(tag);
            }
        }

        Assert.True(left.Count == 0, $"images the run built are still on the engine: {string.Join(", ", left)}");

        // What a user would look at: no image of the run's repository in `docker image ls`, whatever its tag.
        foreach (var repository in built.Select(tag => tag[..tag.LastIndexOf(':')]).Distinct(StringComparer.Ordinal))
        {
            var listed = await ProcessRunner.RunAsync(
                "docker", ["image", "ls", "--format", "{{.Repository}}:{{.Tag}}", repository], null,
                dockerHost is null ? null : new Dictionary<string, string?> { ["DOCKER_HOST"] = dockerHost }).ConfigureAwait(false);
            Assert.True(listed.ExitCode == 0, listed.Describe());
            Assert.True(listed.StandardOutput.Trim().Length == 0, $"docker image ls still lists images of {repository}:\n{listed.StandardOutput}");
        }
    }
}
