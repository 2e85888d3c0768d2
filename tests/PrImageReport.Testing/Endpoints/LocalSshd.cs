namespace PrImageReport.Testing.Endpoints;

/// <summary>
/// An sshd on 127.0.0.1 with a throwaway host key and one authorized key, whose sessions see <c>docker</c> in /usr/bin and
/// the engine at <c>DOCKER_HOST</c>. ssh reads ~/.ssh from the passwd entry, not $HOME, so the client side is an
/// <c>ssh</c> on <see cref="ClientPath"/> that adds <c>-F</c> with this key and known_hosts; put that folder first on PATH.
/// </summary>
public sealed class LocalSshd : IDisposable
{
    private readonly TempDirectory folder;
    private readonly BackgroundProcess sshd;

    private LocalSshd(TempDirectory folder, BackgroundProcess sshd, int port)
    {
        this.folder = folder;
        this.sshd = sshd;
        Host = $"ssh://root@127.0.0.1:{port}";
    }

    public string Host { get; }

    /// <summary>The folder holding the configured <c>ssh</c>.</summary>
    public string ClientPath => folder.Combine("bin");

    /// <summary>PATH with <see cref="ClientPath"/> first.</summary>
    public string SearchPath => $"{ClientPath}:{Environment.GetEnvironmentVariable("PATH")}";

    /// <summary>A key sshd does not accept, for the refusal test.</summary>
    public string StrangerSearchPath => $"{folder.Combine("stranger-bin")}:{Environment.GetEnvironmentVariable("PATH")}";

    /// <param name="engineSocket">The engine that `docker system dial-stdio` reaches in a session.</param>
    /// <param name="remotePath">PATH in a session; one without /usr/bin has no docker.</param>
    public static async Task<LocalSshd> StartAsync(string engineSocket, string remotePath = "/usr/bin:/bin")
    {
        var folder = new TempDirectory("pr-image-report-sshd-");
        try
        {
            foreach (var key in new[] { "host_key", "client_key", "stranger_key" })
            {
                var made = await ProcessRunner.RunAsync("ssh-keygen", ["-q", "-t", "ed25519", "-N", "", "-f", folder.Combine(key)], folder.Path).ConfigureAwait(false);
                if (made.ExitCode != 0)
                {
                    throw new InvalidOperationException($"ssh-keygen failed: {made.Describe()}");
                }
            }

            File.Copy(folder.Combine("client_key.pub"), folder.Combine("authorized_keys"));
            var port = BackgroundProcess.FreePort();
            folder.Write("sshd_config", $"""
                Port {port}
                ListenAddress 127.0.0.1
                HostKey {folder.Combine("host_key")}
                PidFile none
                AuthorizedKeysFile {folder.Combine("authorized_keys")}
                PermitRootLogin prohibit-password
                PasswordAuthentication no
                KbdInteractiveAuthentication no
                UsePAM no
                StrictModes no
                SetEnv PATH={remotePath} DOCKER_HOST=unix://{engineSocket}

                """);
            folder.Write("known_hosts", $"[127.0.0.1]:{port} {File.ReadAllText(folder.Combine("host_key.pub")).Trim()}\n");
            await WriteClientAsync(folder, "bin", "client_key").ConfigureAwait(false);
            await WriteClientAsync(folder, "stranger-bin", "stranger_key").ConfigureAwait(false);

            // sshd's privilege separation needs this folder; a fresh container may lack it.
            Directory.CreateDirectory("/run/sshd");
            var sshd = await BackgroundProcess.StartAsync("/usr/sbin/sshd", ["-D", "-e", "-f", folder.Combine("sshd_config")], "Server listening on").ConfigureAwait(false);
            return new LocalSshd(folder, sshd, port);
        }
        catch
        {
            folder.Dispose();
            throw;
        }
    }

    public void Dispose()
    {
        sshd.Dispose();
        folder.Dispose();
    }

    private static async Task WriteClientAsync(TempDirectory folder, string directory, string key)
    {
        folder.Write($"{directory}/ssh_config", $"""
            Host *
              IdentityFile {folder.Combine(key)}
              IdentitiesOnly yes
              UserKnownHostsFile {folder.Combine("known_hosts")}
              GlobalKnownHostsFile /dev/null
              StrictHostKeyChecking yes

            """);
        var ssh = folder.Write($"{directory}/ssh", $"#!/bin/sh\nexec /usr/bin/ssh -F {folder.Combine($"{directory}/ssh_config")} \"$@\"\n");
        var made = await ProcessRunner.RunAsync("chmod", ["755", ssh]).ConfigureAwait(false);
        if (made.ExitCode != 0)
        {
            throw new InvalidOperationException($"chmod failed: {made.Describe()}");
        }
    }
}
