using System.Collections.Concurrent;
using System.Net;

namespace PrImageReport.GitHub.IntegrationTests.Support;

/// <summary>One request and Prism's verdict on it.</summary>
/// <param name="Violations">Prism's sl-violations header: how the request breaks GitHub's OpenAPI description; null when it does not.</param>
/// <param name="Status">The answer's status; null when the request was not sent (its host is not loopback).</param>
/// <param name="HasAuthorization">The request carried an Authorization header.</param>
public sealed record Exchange(string Method, string PathAndQuery, string? ContentType, int? Status, string? Violations, string Host, bool HasAuthorization);

/// <summary>Sits under Octokit's HTTP client and records every request with Prism's verdict. Redirects are left to
/// Octokit, as with its default handler; a request to a host that is not loopback (Prism's example codeload URL)
/// is recorded but not sent: it fails as an unreachable host would.</summary>
public sealed class ExchangeRecorder() : DelegatingHandler(new HttpClientHandler { AllowAutoRedirect = false })
{
    readonly ConcurrentQueue<Exchange> exchanges = new();

    public IReadOnlyList<Exchange> Exchanges => [.. exchanges];

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var uri = request.RequestUri!;
        var hasAuthorization = request.Headers.Authorization is not null;
        if (!IPAddress.TryParse(uri.Host, out var address) || !IPAddress.IsLoopback(address))
        {
            exchanges.Enqueue(new Exchange(request.Method.Method, uri.PathAndQuery, request.Content?.Headers.ContentType?.ToString(), null, null, uri.Host, hasAuthorization));
            throw new HttpRequestException($"the tests send nothing to {uri.Host}, only to loopback");
        }

        var response = await base.SendAsync(request, cancellationToken);
        var violations = response.Headers.TryGetValues("sl-violations", out var values) ? string.Join(' ', values) : null;
        exchanges.Enqueue(new Exchange(
            request.Method.Method,
            uri.PathAndQuery,
            request.Content?.Headers.ContentType?.ToString(),
            (int)response.StatusCode,
            violations,
            uri.Host,
            hasAuthorization));
        return response;
    }
}
