using System.Globalization;
using Octokit;

namespace PrImageReport.GitHub.Api;

/// <summary>Runs one Octokit request and turns every way it can fail into a <see cref="GitHubApiException"/>
/// whose text has the token masked, whatever the server echoed back.</summary>
internal sealed class GitHubCall(string token)
{
    const int MaxServerMessageLength = 300;

    public async Task<T> SendAsync<T>(Func<Task<T>> send, string operation, CancellationToken ct)
    {
        ct.ThrowIfCancellationRequested();
        try
        {
            return await send().ConfigureAwait(false);
        }
        catch (ApiException e)
        {
            // Octokit's exception is not kept as inner exception: its ToString prints the raw response body.
            throw Translate(e, operation);
        }
        catch (HttpRequestException e)
        {
            throw new GitHubApiException(GitHubFailureKind.Unreachable, null, Mask($"GitHub could not be reached while {operation}: {OneLine(e.Message)}"), e);
        }
        catch (TaskCanceledException e) when (!ct.IsCancellationRequested)
        {
            throw new GitHubApiException(GitHubFailureKind.Unreachable, null, $"GitHub did not answer in time while {operation}", e);
        }
    }

    GitHubApiException Translate(ApiException e, string operation)
    {
        var status = (int)e.StatusCode;
        var headers = e.HttpResponse?.Headers ?? new Dictionary<string, string>();
        var serverMessage = ServerMessage(e);
        var retryAfterText = Header(headers, "Retry-After");
        var remaining = Header(headers, "x-ratelimit-remaining");
        var rateLimited = status == 429
            || (status == 403 && (retryAfterText is not null || remaining == "0" || serverMessage.Contains("rate limit", StringComparison.OrdinalIgnoreCase)));
        var kind = status switch
        {
            _ when rateLimited => GitHubFailureKind.RateLimited,
            401 => GitHubFailureKind.BadCredentials,
            403 or 404 => GitHubFailureKind.NoAccess,
            422 => GitHubFailureKind.Rejected,
            >= 500 => GitHubFailureKind.ServerError,
            _ => GitHubFailureKind.Other,
        };

        TimeSpan? retryAfter = null;
        DateTimeOffset? retryAt = null;
        if (retryAfterText is not null)
        {
            if (int.TryParse(retryAfterText, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds))
            {
                retryAfter = TimeSpan.FromSeconds(seconds);
            }
            else if (DateTimeOffset.TryParse(retryAfterText, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var date))
            {
                retryAt = date;
            }
        }
        else if (remaining == "0" && long.TryParse(Header(headers, "x-ratelimit-reset"), NumberStyles.None, CultureInfo.InvariantCulture, out var resetEpoch))
        {
            retryAt = DateTimeOffset.FromUnixTimeSeconds(resetEpoch);
        }

        var message = $"GitHub answered {status} while {operation}" + (serverMessage.Length > 0 ? $": {serverMessage}" : "");
        return new GitHubApiException(kind, status, Mask(message)) { RetryAfter = retryAfter, RetryAt = retryAt };
    }

    /// <summary>GitHub's message plus, for validation failures, each error's own message ("body is too long ...").</summary>
    static string ServerMessage(ApiException e)
    {
        var error = e.ApiError;
        var parts = new List<string>();
        if (!string.IsNullOrWhiteSpace(error?.Message))
        {
            parts.Add(error.Message);
        }
        foreach (var detail in error?.Errors ?? [])
        {
            var text = !string.IsNullOrWhiteSpace(detail.Message)
                ? detail.Message
                : string.Join(' ', new[] { detail.Resource, detail.Field, detail.Code }.Where(p => !string.IsNullOrWhiteSpace(p)));
            if (text.Length > 0)
            {
                parts.Add(text);
            }
        }
        if (parts.Count == 0 && e.HttpResponse?.Body is string { Length: > 0 } raw)
        {
            // Not GitHub's JSON error shape (a proxy's HTML page, a problem+json): its text is still the best clue.
            parts.Add(raw);
        }
        var joined = OneLine(string.Join("; ", parts));
        return joined.Length <= MaxServerMessageLength ? joined : joined[..MaxServerMessageLength] + "...";
    }

    static string? Header(IReadOnlyDictionary<string, string> headers, string name) =>
        headers.FirstOrDefault(h => string.Equals(h.Key, name, StringComparison.OrdinalIgnoreCase)).Value?.Trim();

    static string OneLine(string text) => string.Join(' ', text.Split(['\r', '\n'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));

    string Mask(string text) => text.Replace(token, "***", StringComparison.Ordinal);
}
