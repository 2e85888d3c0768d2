namespace PrImageReport.Testing.Endpoints;

/// <summary>
/// An engine's unix socket served over TLS on 127.0.0.1 by socat, which demands a client certificate its CA signed.
/// The CA, server and client certificates are made with openssl in a scratch folder; <see cref="ClientCertificates"/>
/// is a DOCKER_CERT_PATH for it, <see cref="WrongCaCertificates"/> the same client files with another CA's ca.pem.
/// </summary>
public sealed class TlsEngineProxy : IDisposable
{
    private readonly TempDirectory folder;
    private readonly BackgroundProcess socat;

    private TlsEngineProxy(TempDirectory folder, BackgroundProcess socat, int port)
    {
        this.folder = folder;
        this.socat = socat;
        Host = $"tcp://127.0.0.1:{port}";
    }

    public string Host { get; }

    public string ClientCertificates => folder.Combine("client");

    public string WrongCaCertificates => folder.Combine("wrong-ca");

    /// <summary>How many connections socat has accepted: proof that a client came this way.</summary>
    public int Connections => socat.Count("accepting connection from");

    public static async Task<TlsEngineProxy> StartAsync(string engineSocket)
    {
        var folder = new TempDirectory("pr-image-report-tls-");
        try
        {
            await MakeCertificatesAsync(folder).ConfigureAwait(false);
            var port = BackgroundProcess.FreePort();
            var server = $"cert={folder.Combine("server-cert.pem")},key={folder.Combine("server-key.pem")},cafile={folder.Combine("ca.pem")},verify=1";
            var socat = await BackgroundProcess.StartAsync(
                "socat",
                ["-d", "-d", $"OPENSSL-LISTEN:{port},bind=127.0.0.1,reuseaddr,fork,{server}", $"UNIX-CONNECT:{engineSocket}"],
                "listening on").ConfigureAwait(false);
            return new TlsEngineProxy(folder, socat, port);
        }
        catch
        {
            folder.Dispose();
            throw;
        }
    }

    public void Dispose()
    {
        socat.Dispose();
        folder.Dispose();
    }

    private static async Task MakeCertificatesAsync(TempDirectory folder)
    {
        string[] key = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"];
        await OpenSslAsync(folder, ["req", "-x509", .. key, "-keyout", "ca-key.pem", "-out", "ca.pem", "-days", "2", "-subj", "/CN=pr-image-report test CA"]).ConfigureAwait(false);
        await OpenSslAsync(folder, ["req", "-x509", .. key, "-keyout", "other-ca-key.pem", "-out", "other-ca.pem", "-days", "2", "-subj", "/CN=another CA"]).ConfigureAwait(false);
        await SignAsync(folder, "server", "127.0.0.1", "subjectAltName=IP:127.0.0.1\nextendedKeyUsage=serverAuth\n").ConfigureAwait(false);
        await SignAsync(folder, "client", "pr-image-report test client", "extendedKeyUsage=clientAuth\n").ConfigureAwait(false);

        foreach (var (directory, ca) in new[] { ("client", "ca.pem"), ("wrong-ca", "other-ca.pem") })
        {
            folder.CreateDirectory(directory);
            File.Copy(folder.Combine(ca), folder.Combine($"{directory}/ca.pem"));
            File.Copy(folder.Combine("client-cert.pem"), folder.Combine($"{directory}/cert.pem"));
            File.Copy(folder.Combine("client-key.pem"), folder.Combine($"{directory}/key.pem"));
        }
    }

    private static async Task SignAsync(TempDirectory folder, string name, string commonName, string extensions)
    {
        folder.Write($"{name}.ext", extensions);
        await OpenSslAsync(folder, ["req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-keyout", $"{name}-key.pem", "-out", $"{name}.csr", "-subj", $"/CN={commonName}"]).ConfigureAwait(false);
        await OpenSslAsync(folder, ["x509", "-req", "-in", $"{name}.csr", "-CA", "ca.pem", "-CAkey", "ca-key.pem", "-CAcreateserial", "-out", $"{name}-cert.pem", "-days", "2", "-extfile", $"{name}.ext"]).ConfigureAwait(false);
    }

    private static async Task OpenSslAsync(TempDirectory folder, string[] arguments)
    {
        var run = await ProcessRunner.RunAsync("openssl", arguments, folder.Path, timeout: TimeSpan.FromMinutes(1)).ConfigureAwait(false);
        if (run.ExitCode != 0)
        {
            throw new InvalidOperationException($"openssl {string.Join(' ', arguments)} failed: {run.Describe()}");
        }
    }
}
