using System.Collections.Concurrent;

namespace PrImageReport.GitHub.IntegrationTests.Support;

/// <summary>One request and Prism's verdict on it.</summary>
/// <param name="Violations">Prism's sl-violations header: how the request breaks GitHub's OpenAPI description; null when it does not.</param>
public sealed record Exchange(string Method, string PathAndQuery, string? ContentType, int Status, string? Violations);

/// <summary>Sits under Octokit's HTTP client and records every request with Prism's verdict.</summary>
public sealed class ExchangeRecorder() : DelegatingHandler(new HttpClientHandler())
{
    readonly ConcurrentQueue<Exchange> exchanges = new();

    public IReadOnlyList<Exchange> Exchanges => [.. exchanges];

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var response = await base.SendAsync(request, cancellationToken);
        var violations = response.Headers.TryGetValues("sl-violations", out var values) ? string.Join(' ', values) : null;
        exchanges.Enqueue(new Exchange(
            request.Method.Method,
            request.RequestUri!.PathAndQuery,
            request.Content?.Headers.ContentType?.ToString(),
            (int)response.StatusCode,
            violations));
        return response;
    }
}
