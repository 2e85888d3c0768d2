using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Docker.DotNet;
using Docker.DotNet.Handler.Abstractions;
using Docker.DotNet.X509;

namespace PrImageReport.Docker.Endpoints;

/// <summary>
/// How the Engine API client reaches an <see cref="EngineEndpoint"/>: the socket or TCP as Docker.DotNet does, TLS with
/// the endpoint's certificates (the server checked against its ca.pem, never the system store), ssh through
/// <see cref="SshDialer"/>. TLS material is read once, here, so bad files fail before any connection.
/// </summary>
internal sealed class EngineTransport : IDisposable
{
    private readonly EngineEndpoint endpoint;
    private readonly List<X509Certificate2> certificates = [];
    private IAuthProvider? tls;

    private EngineTransport(EngineEndpoint endpoint, string? searchPath)
    {
        this.endpoint = endpoint;
        Ssh = endpoint.IsSsh ? new SshDialer(endpoint.Host, SshDialer.Find(searchPath)) : null;
    }

    /// <summary>Why the last TLS handshake refused the engine's certificate, when it did.</summary>
    public string? CertificateRejection { get; private set; }

    public SshDialer? Ssh { get; }

    /// <param name="searchPath">PATH, where ssh is looked for.</param>
    /// <exception cref="EngineUnavailableException">A TLS file is missing or cannot be read.</exception>
    public static EngineTransport For(EngineEndpoint endpoint, string? searchPath)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        var transport = new EngineTransport(endpoint, searchPath);
        if (endpoint.Tls is { } files)
        {
            var ca = files.Verify ? transport.Load([files.CaFile], () => X509CertificateLoader.LoadCertificateFromFile(files.CaFile)) : null;
            var client = File.Exists(files.CertFile) || File.Exists(files.KeyFile)
                ? transport.Load([files.CertFile, files.KeyFile], () => DockerTlsCertificates.LoadCertificateFromPemFiles(files.CertFile, files.KeyFile))
                : null;
            transport.tls = new CertificateCredentials(client)
            {
                ServerCertificateValidationCallback = ca is null ? (_, _, _, _) => true : transport.Validator(ca, files.CaFile),
            };
        }

        return transport;
    }

    public DockerClient CreateClient(Version? api, TimeSpan timeout)
    {
        var builder = new DockerClientBuilder().WithEndpoint(endpoint.Host).WithApiVersion(api).WithTimeout(timeout);
        if (tls is not null)
        {
            builder = builder.WithAuthProvider(tls);
        }

        return Ssh is null
            ? builder.Build()
            : builder.WithTransportOptions(SshHandlerFactory.Instance, Ssh).Build();
    }

    public void Dispose()
    {
        foreach (var certificate in certificates)
        {
            certificate.Dispose();
        }
    }

    /// <summary>Trusts the engine's certificate only when ca.pem signed it and it names the host dialled, as the docker CLI checks.</summary>
    private RemoteCertificateValidationCallback Validator(X509Certificate2 ca, string caFile) => (_, certificate, _, errors) =>
    {
        if (certificate is null)
        {
            CertificateRejection = "it presented no certificate";
            return false;
        }

        if (errors.HasFlag(SslPolicyErrors.RemoteCertificateNameMismatch))
        {
            CertificateRejection = $"its certificate does not name {endpoint.Host.Host}";
            return false;
        }

        using var server = X509CertificateLoader.LoadCertificate(certificate.GetRawCertData());
        using var chain = new X509Chain();
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(ca);
        if (chain.Build(server))
        {
            return true;
        }

        var status = string.Join("; ", chain.ChainStatus.Select(s => s.StatusInformation.Trim()).Where(s => s.Length > 0).Distinct(StringComparer.Ordinal));
        CertificateRejection = $"its certificate is not signed by {caFile}{(status.Length == 0 ? "" : $" ({status.TrimEnd('.')})")}";
        return false;
    };

    /// <param name="paths">The files <paramref name="load"/> reads.</param>
    private X509Certificate2 Load(string[] paths, Func<X509Certificate2> load)
    {
        var fix = endpoint.Origin.StartsWith("context ", StringComparison.Ordinal)
            ? $"recreate the {endpoint.Origin} with docker context create --docker host=...,ca=...,cert=...,key=..."
            : "set DOCKER_CERT_PATH to a folder holding the engine's ca.pem and your cert.pem and key.pem";
        if (paths.FirstOrDefault(path => !File.Exists(path)) is { } missing)
        {
            throw new EngineUnavailableException($"no TLS file {missing} for the engine at {endpoint}: {fix}");
        }

        try
        {
            var certificate = load();
            certificates.Add(certificate);
            return certificate;
        }
        catch (Exception e) when (e is CryptographicException or IOException or UnauthorizedAccessException or ArgumentException)
        {
            throw new EngineUnavailableException($"TLS file {string.Join(" or ", paths)} for the engine at {endpoint} cannot be read ({e.Message.Trim().TrimEnd('.')}): {fix}");
        }
    }
}
