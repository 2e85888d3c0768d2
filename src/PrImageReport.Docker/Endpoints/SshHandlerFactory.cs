using Docker.DotNet.Handler.Abstractions;
using Microsoft.Extensions.Logging;
using Microsoft.Net.Http.Client;

namespace PrImageReport.Docker.Endpoints;

/// <summary>A Docker.DotNet transport whose every connection is a fresh <see cref="SshDialer"/> stream, as the docker CLI dials ssh.</summary>
internal sealed class SshHandlerFactory : IDockerHandlerFactory<SshDialer>
{
    public static readonly SshHandlerFactory Instance = new();

    // The Host header only; the connection itself is the ssh process.
    private static readonly Uri EffectiveEndpoint = new("http://docker.ssh");

    private SshHandlerFactory()
    {
    }

    public ResolvedTransport CreateHandler(ResolvedClientOptions clientOptions, ILogger logger) =>
        throw new NotSupportedException("an ssh engine needs its dialer");

    public ResolvedTransport CreateHandler(SshDialer transportOptions, ResolvedClientOptions clientOptions, ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(transportOptions);
        var handler = new ManagedHandler((_, _, ct) => transportOptions.OpenAsync(ct), logger) { UseProxy = false };
        return new ResolvedTransport(handler, EffectiveEndpoint);
    }

    public Task<WriteClosableStream> HijackStreamAsync(HttpContent content) =>
        content is HttpConnectionResponseContent hijackable
            ? Task.FromResult(hijackable.HijackStream())
            : throw new NotSupportedException("this response cannot be taken over as a stream");
}
