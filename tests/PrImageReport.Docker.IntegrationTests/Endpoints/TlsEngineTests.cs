using PrImageReport.Core.Comparison;
using PrImageReport.Docker.Builds;
using PrImageReport.Docker.IntegrationTests.Builds;
using PrImageReport.Testing;
using PrImageReport.Testing.Endpoints;

namespace PrImageReport.Docker.IntegrationTests.Endpoints;

/// <summary>
/// DOCKER_HOST=tcp:// with DOCKER_TLS_VERIFY and DOCKER_CERT_PATH against this run's engine behind socat, which
/// demands a client certificate: the Engine API client and the docker CLI both get through, and only with the right CA.
/// </summary>
public sealed class TlsEngineTests : IAsyncLifetime
{
    private const string Slim = "python:3.11-slim";

    private readonly TempDirectory scratch = new();
    private readonly List<string> tags = [];
    private TlsEngineProxy proxy = null!;

    public async Task InitializeAsync()
    {
        using var local = await DockerRequirement.EngineAsync();
        await DockerRequirement.ImagesAsync(local, [Slim]);
        proxy = await TlsEngineProxy.StartAsync(TestEngineSocket.Current);
    }

    public async Task DisposeAsync()
    {
        try
        {
            using var local = await DockerRequirement.EngineAsync();
            foreach (var tag in tags)
            {
                await local.RemoveImageAsync(tag, CancellationToken.None);
            }
        }
        finally
        {
            proxy.Dispose();
            scratch.Dispose();
        }
    }

    [Theory]
    [InlineData(BuilderKind.Classic)]
    [InlineData(BuilderKind.BuildKit)]
    public async Task PingInspectAndBuildGoThroughTls(BuilderKind builder)
    {
        using var engine = Connect(proxy.ClientCertificates);

        await engine.PingAsync(CancellationToken.None);
        var slim = await engine.InspectImageAsync(Slim, CancellationToken.None);
        var before = proxy.Connections;
        int? duringBuild = null;
        var outcome = await BuildAsync(engine, builder, new Synchronous(_ => duringBuild ??= proxy.Connections));

        Assert.Null(outcome.Failure);
        Assert.True(slim.SizeBytes > 0);
        // Counted at the first build step, before the client inspects the result: the builder itself (for BuildKit, the docker CLI) came through TLS.
        Assert.True(duringBuild > before, $"the {builder} build made no connection through the TLS proxy ({before} before, {duringBuild} at its first step)");
        Assert.True(await engine.ImageExistsAsync(tags[^1], CancellationToken.None));
        Assert.Equal("tcp", engine.Endpoint.Host.Scheme);
    }

    [Fact]
    public async Task AnEngineCertificateTheCaDidNotSignIsOneLineNamingTheEngineAndTheFix()
    {
        using var engine = Connect(proxy.WrongCaCertificates);

        var error = await Assert.ThrowsAsync<EngineUnavailableException>(() => engine.PingAsync(CancellationToken.None));

        Assert.StartsWith($"TLS with the engine at {proxy.Host} from DOCKER_HOST failed: its certificate is not signed by {proxy.WrongCaCertificates}/ca.pem", error.Message, StringComparison.Ordinal);
        Assert.EndsWith(": point DOCKER_CERT_PATH at the CA that signed the engine's certificate", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', error.Message);
    }

    [Theory]
    [InlineData("ca.pem")]
    [InlineData("key.pem")]
    public void AMissingTlsFileIsOneLineBeforeAnyConnection(string missing)
    {
        var folder = scratch.CreateDirectory($"no-{missing}");
        foreach (var file in new[] { "ca.pem", "cert.pem", "key.pem" }.Where(file => file != missing))
        {
            File.Copy(Path.Combine(proxy.ClientCertificates, file), Path.Combine(folder, file));
        }

        var error = Assert.Throws<EngineUnavailableException>(() => Connect(folder));

        Assert.Equal($"no TLS file {folder}/{missing} for the engine at {proxy.Host} from DOCKER_HOST: set DOCKER_CERT_PATH to a folder holding the engine's ca.pem and your cert.pem and key.pem", error.Message);
    }

    [Fact]
    public void AnUnreadableTlsFileIsOneLineBeforeAnyConnection()
    {
        var folder = scratch.CreateDirectory("garbled-ca");
        File.WriteAllText(Path.Combine(folder, "ca.pem"), "not a certificate\n");
        File.Copy(Path.Combine(proxy.ClientCertificates, "cert.pem"), Path.Combine(folder, "cert.pem"));
        File.Copy(Path.Combine(proxy.ClientCertificates, "key.pem"), Path.Combine(folder, "key.pem"));

        var error = Assert.Throws<EngineUnavailableException>(() => Connect(folder));

        Assert.StartsWith($"TLS file {folder}/ca.pem for the engine at {proxy.Host} from DOCKER_HOST cannot be read (", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', error.Message);
    }

    private DockerEngine Connect(string certificates) =>
        DockerEngine.Connect(null, EndpointEnvironment.Of(("DOCKER_HOST", proxy.Host), ("DOCKER_TLS_VERIFY", "1"), ("DOCKER_CERT_PATH", certificates)));

    private async Task<BuildOutcome> BuildAsync(DockerEngine engine, BuilderKind builder, IProgress<BuildProgress> progress)
    {
        var context = scratch.CreateDirectory($"context-{builder}");
        File.WriteAllText(Path.Combine(context, "Dockerfile"), $"FROM {Slim}\nRUN echo {builder} over tls > /tls.txt\n");
        var tag = $"pr-image-report-test-tls:{Guid.NewGuid():N}";
        tags.Add(tag);
        return await engine.BuildAsync(new BuildRequest(context, Path.Combine(context, "Dockerfile"), new Dictionary<string, string>(), null, tag, builder), progress, CancellationToken.None);
    }
}
