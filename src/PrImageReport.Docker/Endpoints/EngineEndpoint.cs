using System.Diagnostics;

namespace PrImageReport.Docker.Endpoints;

/// <summary>The TLS files of a tcp:// engine: DOCKER_CERT_PATH, or a context's tls folder (ca.pem, cert.pem, key.pem).</summary>
/// <param name="Verify">Whether the engine's certificate must be signed by ca.pem (DOCKER_TLS_VERIFY); false is DOCKER_TLS or a context's SkipTLSVerify.</param>
public sealed record EngineTls(string CertDirectory, bool Verify)
{
    public string CaFile => Path.Combine(CertDirectory, "ca.pem");

    public string CertFile => Path.Combine(CertDirectory, "cert.pem");

    public string KeyFile => Path.Combine(CertDirectory, "key.pem");
}

/// <summary>
/// The one engine a run talks to, resolved once (<see cref="EngineEndpointResolver"/>): the Engine API client connects to
/// it and every docker CLI the tool starts is told it explicitly, so the two can never reach different engines.
/// </summary>
/// <param name="Host">unix://, tcp://, http(s):// or ssh:// address.</param>
/// <param name="Tls">TLS for a tcp:// engine; null speaks plain HTTP.</param>
/// <param name="Origin">Where the address came from ("DOCKER_HOST", "current context lane2"), for messages; empty when the caller named it or for the default socket.</param>
public sealed record EngineEndpoint(Uri Host, EngineTls? Tls, string Origin)
{
    /// <summary>The variables through which the docker CLI could pick an engine of its own.</summary>
    private static readonly string[] SelectingVariables = ["DOCKER_HOST", "DOCKER_CONTEXT", "DOCKER_TLS", "DOCKER_TLS_VERIFY", "DOCKER_CERT_PATH"];

    public bool IsSsh => Host.Scheme == "ssh";

    /// <summary>Tells a docker CLI process this engine and nothing else: the address and its TLS, no context to fall back on.</summary>
    public void ApplyTo(ProcessStartInfo start)
    {
        ArgumentNullException.ThrowIfNull(start);
        foreach (var name in SelectingVariables)
        {
            start.Environment.Remove(name);
        }

        start.Environment["DOCKER_HOST"] = Host.OriginalString;
        if (Tls is { } tls)
        {
            start.Environment[tls.Verify ? "DOCKER_TLS_VERIFY" : "DOCKER_TLS"] = "1";
            start.Environment["DOCKER_CERT_PATH"] = tls.CertDirectory;
        }
    }

    /// <summary>The engine as messages name it: its address, and where that came from.</summary>
    public override string ToString() => Origin.Length == 0 ? Host.OriginalString : $"{Host.OriginalString} from {Origin}";
}
