using PrImageReport.Core.Comparison;
using PrImageReport.Docker.Builds;
using PrImageReport.Docker.IntegrationTests.Builds;
using PrImageReport.Testing;
using PrImageReport.Testing.Endpoints;

namespace PrImageReport.Docker.IntegrationTests.Endpoints;

/// <summary>
/// DOCKER_HOST=ssh:// against a local sshd whose sessions reach this run's engine: the Engine API client dials
/// `ssh ... docker system dial-stdio` per connection, and every way ssh fails is one line naming the engine and the fix.
/// </summary>
public sealed class SshEngineTests : IAsyncLifetime
{
    private const string Slim = "python:3.11-slim";

    private readonly TempDirectory scratch = new();
    private LocalSshd sshd = null!;

    public async Task InitializeAsync()
    {
        using var local = await DockerRequirement.EngineAsync();
        await DockerRequirement.ImagesAsync(local, [Slim]);
        sshd = await LocalSshd.StartAsync(TestEngineSocket.Current);
    }

    public Task DisposeAsync()
    {
        sshd.Dispose();
        scratch.Dispose();
        return Task.CompletedTask;
    }

    [Fact]
    public async Task PingInspectAndAClassicBuildGoThroughSsh()
    {
        using var engine = Connect(sshd.SearchPath);
        var context = scratch.CreateDirectory("context");
        File.WriteAllText(Path.Combine(context, "Dockerfile"), $"FROM {Slim}\nRUN echo over ssh > /ssh.txt\n");
        var tag = $"pr-image-report-test-ssh:{Guid.NewGuid():N}";

        await engine.PingAsync(CancellationToken.None);
        var slim = await engine.InspectImageAsync(Slim, CancellationToken.None);
        var outcome = await engine.BuildAsync(new BuildRequest(context, Path.Combine(context, "Dockerfile"), new Dictionary<string, string>(), null, tag, BuilderKind.Classic), null, CancellationToken.None);
        try
        {
            Assert.Null(outcome.Failure);
            Assert.True(slim.SizeBytes > 0);
            using var local = await DockerRequirement.EngineAsync();
            Assert.Equal(outcome.ImageId, (await local.InspectImageAsync(tag, CancellationToken.None)).Id);
        }
        finally
        {
            await engine.RemoveImageAsync(tag, CancellationToken.None);
        }

        Assert.False(await engine.ImageExistsAsync(tag, CancellationToken.None));
    }

    [Fact]
    public async Task ACancelledBuildLeavesNoSshProcessBehind()
    {
        using var engine = Connect(sshd.SearchPath);
        var context = scratch.CreateDirectory("sleeping");
        File.WriteAllText(Path.Combine(context, "Dockerfile"), $"FROM {Slim}\nRUN sleep 600\n");
        using var cancel = new CancellationTokenSource();
        var progress = new Synchronous(p =>
        {
            if (p.Step.Contains("RUN sleep 600", StringComparison.Ordinal))
            {
                cancel.Cancel();
            }
        });

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => engine.BuildAsync(
            new BuildRequest(context, Path.Combine(context, "Dockerfile"), new Dictionary<string, string>(), null, "pr-image-report-test-ssh:cancelled", BuilderKind.Classic), progress, cancel.Token));

        // Killed on dispose, so gone at once; a short wait only lets the kernel reap it.
        var port = $"-p {new Uri(sshd.Host).Port} ";
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (SshProcesses(port).Count > 0 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(100);
        }

        Assert.Empty(SshProcesses(port));
    }

    [Fact]
    public async Task AKeyTheServerRefusesIsOneLineWithWhatSshSaid()
    {
        using var engine = Connect(sshd.StrangerSearchPath);

        var error = await Assert.ThrowsAsync<EngineUnavailableException>(() => engine.PingAsync(CancellationToken.None));

        Assert.StartsWith($"no Docker engine at {sshd.Host} from DOCKER_HOST (ssh: root@127.0.0.1: Permission denied (publickey", error.Message, StringComparison.Ordinal);
        Assert.Contains($"): check that `ssh -l root -p {new Uri(sshd.Host).Port} -o BatchMode=yes", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', error.Message);
    }

    [Fact]
    public async Task NoDockerOnTheRemoteIsOneLineWithWhatTheRemoteSaid()
    {
        using var bare = await LocalSshd.StartAsync(TestEngineSocket.Current, remotePath: "/nonexistent");
        using var engine = DockerEngine.Connect(null, EndpointEnvironment.Of(("DOCKER_HOST", bare.Host), ("PATH", bare.SearchPath)));

        var error = await Assert.ThrowsAsync<EngineUnavailableException>(() => engine.PingAsync(CancellationToken.None));

        Assert.StartsWith($"no Docker engine at {bare.Host} from DOCKER_HOST (ssh: ", error.Message, StringComparison.Ordinal);
        Assert.Contains("docker: command not found", error.Message, StringComparison.Ordinal);
        Assert.Contains("docker on the remote's PATH", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task NoSshServerIsOneLineWithoutSshNamedTwice()
    {
        var port = BackgroundProcess.FreePort();
        var host = $"ssh://root@127.0.0.1:{port}";
        using var engine = DockerEngine.Connect(null, EndpointEnvironment.Of(("DOCKER_HOST", host), ("PATH", sshd.SearchPath)));

        var error = await Assert.ThrowsAsync<EngineUnavailableException>(() => engine.PingAsync(CancellationToken.None));

        Assert.Equal(
            $"no Docker engine at {host} from DOCKER_HOST (ssh: connect to host 127.0.0.1 port {port}: Connection refused): check that `ssh -l root -p {port} -o BatchMode=yes -o ConnectTimeout=30 -T -- 127.0.0.1 docker system dial-stdio` works here (your key in ssh-agent or ~/.ssh, the host in known_hosts, docker on the remote's PATH)",
            error.Message);
    }

    [Fact]
    public async Task NoSshClientIsOneLineSayingWhatToInstall()
    {
        using var engine = Connect(scratch.CreateDirectory("empty-bin"));

        var error = await Assert.ThrowsAsync<EngineUnavailableException>(() => engine.PingAsync(CancellationToken.None));

        Assert.Equal($"no Docker engine at {sshd.Host} from DOCKER_HOST (ssh: no ssh client on PATH): install openssh-client", error.Message);
    }

    /// <summary>The ssh clients running now whose command line holds <paramref name="port"/> ("-p 2222 ").</summary>
    private static List<string> SshProcesses(string port) =>
        Directory.EnumerateDirectories("/proc")
            .Select(directory => Path.Combine(directory, "cmdline"))
            .Select(path =>
            {
                try
                {
                    return File.ReadAllText(path).Replace('\0', ' ');
                }
                catch (IOException)
                {
                    return "";
                }
            })
            .Where(command => command.StartsWith("/usr/bin/ssh ", StringComparison.Ordinal) && command.Contains(port, StringComparison.Ordinal))
            .ToList();

    private DockerEngine Connect(string searchPath) =>
        DockerEngine.Connect(null, EndpointEnvironment.Of(("DOCKER_HOST", sshd.Host), ("PATH", searchPath)));
}
