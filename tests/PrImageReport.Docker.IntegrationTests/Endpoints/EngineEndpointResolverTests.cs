using System.Diagnostics;
using PrImageReport.Docker.Endpoints;
using PrImageReport.Testing.Endpoints;

namespace PrImageReport.Docker.IntegrationTests.Endpoints;

/// <summary>The engine is chosen as the docker CLI chooses it, from contexts the real docker CLI wrote.</summary>
public sealed class EngineEndpointResolverTests : IDisposable
{
    private readonly DockerContexts contexts = new();

    public void Dispose() => contexts.Dispose();

    [Fact]
    public async Task PrecedenceIsExplicitHostThenDockerHostThenDockerContextThenCurrentContextThenTheDefaultSocket()
    {
        await contexts.CreateAsync("chosen", "unix:///run/chosen.sock");
        await contexts.CreateAsync("current", "unix:///run/current.sock");
        await contexts.UseAsync("current");
        var config = ("DOCKER_CONFIG", contexts.ConfigDirectory);
        var context = ("DOCKER_CONTEXT", "chosen");
        var host = ("DOCKER_HOST", "unix:///run/host.sock");

        Assert.Equal("unix:///run/explicit.sock", Resolve("unix:///run/explicit.sock", config, context, host).ToString());
        Assert.Equal("unix:///run/host.sock from DOCKER_HOST", Resolve(null, config, context, host).ToString());
        Assert.Equal("unix:///run/chosen.sock from context chosen", Resolve(null, config, context).ToString());
        Assert.Equal("unix:///run/current.sock from context current", Resolve(null, config).ToString());
        Assert.Equal(DockerEngine.DefaultHost, Resolve(null, config, ("DOCKER_CONTEXT", "default")).ToString());
        await contexts.UseAsync("default");
        Assert.Equal(DockerEngine.DefaultHost, Resolve(null, config).ToString());
    }

    [Fact]
    public async Task AContextWithTlsFilesVerifiesWithThemAndTheCliIsToldTheSameEngine()
    {
        using var proxy = await TlsEngineProxy.StartAsync(TestEngineSocket.Current);
        await contexts.CreateAsync("secure", proxy.Host, proxy.ClientCertificates);

        var endpoint = Resolve(null, ("DOCKER_CONFIG", contexts.ConfigDirectory), ("DOCKER_CONTEXT", "secure"));
        var start = new ProcessStartInfo("docker");
        start.Environment["DOCKER_CONTEXT"] = "secure";
        start.Environment["DOCKER_TLS"] = "1";
        endpoint.ApplyTo(start);

        var tls = Assert.IsType<EngineTls>(endpoint.Tls);
        Assert.True(tls.Verify);
        Assert.Equal(File.ReadAllText(Path.Combine(proxy.ClientCertificates, "ca.pem")), File.ReadAllText(tls.CaFile));
        Assert.Equal(File.ReadAllText(Path.Combine(proxy.ClientCertificates, "key.pem")), File.ReadAllText(tls.KeyFile));
        Assert.Equal(proxy.Host, start.Environment["DOCKER_HOST"]);
        Assert.Equal("1", start.Environment["DOCKER_TLS_VERIFY"]);
        Assert.Equal(tls.CertDirectory, start.Environment["DOCKER_CERT_PATH"]);
        Assert.False(start.Environment.ContainsKey("DOCKER_CONTEXT"));
        Assert.False(start.Environment.ContainsKey("DOCKER_TLS"));

        using var engine = DockerEngine.Connect(null, EndpointEnvironment.Of(("DOCKER_CONFIG", contexts.ConfigDirectory), ("DOCKER_CONTEXT", "secure")));
        await engine.PingAsync(CancellationToken.None);
    }

    [Fact]
    public async Task AnUnknownContextIsOneLineSayingWhereItWasLookedForAndWhatToDo()
    {
        await contexts.CreateAsync("other", "unix:///run/other.sock");

        var byVariable = Assert.Throws<EngineUnavailableException>(() => Resolve(null, ("DOCKER_CONFIG", contexts.ConfigDirectory), ("DOCKER_CONTEXT", "missing")));
        File.WriteAllText(Path.Combine(contexts.ConfigDirectory, "config.json"), """{"currentContext": "gone"}""");
        var byConfig = Assert.Throws<EngineUnavailableException>(() => Resolve(null, ("DOCKER_CONFIG", contexts.ConfigDirectory)));

        var store = Path.Combine(contexts.ConfigDirectory, "contexts");
        Assert.Equal($"docker context \"missing\" (DOCKER_CONTEXT) does not exist in {store}: create it (docker context create missing --docker host=...), pick one of `docker context ls`, or unset DOCKER_CONTEXT", byVariable.Message);
        Assert.Equal($"docker context \"gone\" (currentContext in {contexts.ConfigDirectory}/config.json) does not exist in {store}: create it (docker context create gone --docker host=...), pick one of `docker context ls`, or run `docker context use default`", byConfig.Message);
    }

    [Fact]
    public async Task NoEngineWhereAContextPointsSaysWhichContextAndHowToLeaveIt()
    {
        await contexts.CreateAsync("stopped", "unix:///nonexistent.sock");
        using var engine = DockerEngine.Connect(null, EndpointEnvironment.Of(("DOCKER_CONFIG", contexts.ConfigDirectory), ("DOCKER_CONTEXT", "stopped")));

        var error = await Assert.ThrowsAsync<EngineUnavailableException>(() => engine.PingAsync(CancellationToken.None));

        Assert.Equal("no Docker engine at unix:///nonexistent.sock from context stopped (no such socket): start one (sudo systemctl start docker, or dockerd) or pick another context (docker context use NAME)", error.Message);
    }

    [Theory]
    [InlineData("npipe:////./pipe/docker_engine", "DOCKER_HOST=npipe:////./pipe/docker_engine is not an engine address this tool can use: set it to unix:///path/to/docker.sock, tcp://host:2376 or ssh://user@host")]
    [InlineData("ssh://build@host/var/run/docker.sock", "DOCKER_HOST=ssh://build@host/var/run/docker.sock is not an ssh address this tool can use: write it as ssh://[user@]host[:port], with no path or query")]
    [InlineData("ssh://build:secret@host", "DOCKER_HOST holds a password in its ssh:// address, which the docker CLI does not accept: use an ssh key (ssh-agent or ~/.ssh) and write ssh://user@host")]
    public void AnAddressThatIsNoEngineAddressIsRejectedWithTheFix(string host, string message)
    {
        var error = Assert.Throws<EngineUnavailableException>(() => Resolve(null, ("DOCKER_HOST", host)));

        Assert.Equal(message, error.Message);
    }

    private static EngineEndpoint Resolve(string? explicitHost, params (string Name, string Value)[] variables) =>
        EngineEndpointResolver.Resolve(explicitHost, EndpointEnvironment.Of(variables));
}
