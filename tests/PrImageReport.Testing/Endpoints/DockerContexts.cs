using Xunit;

namespace PrImageReport.Testing.Endpoints;

/// <summary>A DOCKER_CONFIG folder of a test's own, whose contexts the real docker CLI creates and selects.</summary>
public sealed class DockerContexts : IDisposable
{
    private readonly TempDirectory folder = new("pr-image-report-docker-config-");

    public string ConfigDirectory => folder.Path;

    /// <summary>`docker context create NAME --docker host=...` (with ca=, cert=, key= from <paramref name="tlsFolder"/>).</summary>
    public Task CreateAsync(string name, string host, string? tlsFolder = null)
    {
        var docker = tlsFolder is null
            ? $"host={host}"
            : $"host={host},ca={tlsFolder}/ca.pem,cert={tlsFolder}/cert.pem,key={tlsFolder}/key.pem";
        return DockerAsync("context", "create", name, "--docker", docker);
    }

    /// <summary>`docker context use NAME`: writes currentContext to config.json.</summary>
    public Task UseAsync(string name) => DockerAsync("context", "use", name);

    public void Dispose() => folder.Dispose();

    private async Task DockerAsync(params string[] arguments)
    {
        var run = await ProcessRunner.RunAsync(
            "/usr/bin/docker",
            arguments,
            environment: new Dictionary<string, string?> { ["DOCKER_CONFIG"] = folder.Path, ["DOCKER_HOST"] = null, ["DOCKER_CONTEXT"] = null },
            timeout: TimeSpan.FromMinutes(1));
        Assert.True(run.ExitCode == 0, $"docker {string.Join(' ', arguments)}: {run.Describe()}");
    }
}
