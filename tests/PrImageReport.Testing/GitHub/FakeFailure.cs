namespace PrImageReport.Testing.GitHub;

/// <summary>An error answer the fake gives instead of serving a request, with GitHub's JSON error body.</summary>
/// <param name="AfterServing">Serve the request first, then answer with the error: GitHub's 502 after it created the comment.</param>
public sealed record FakeFailure(int Status, string Message, IReadOnlyDictionary<string, string> Headers, string? ErrorDetail = null, bool AfterServing = false)
{
    public static FakeFailure Forbidden(string message = "Resource not accessible by integration") =>
        new(403, message, new Dictionary<string, string>());

    public static FakeFailure NotFound() => new(404, "Not Found", new Dictionary<string, string>());

    /// <summary>422 Validation Failed with one error whose message is <paramref name="detail"/>.</summary>
    public static FakeFailure Unprocessable(string detail) =>
        new(422, "Validation Failed", new Dictionary<string, string>(), detail);

    public static FakeFailure ServerError(int status = 502) => new(status, "Server Error", new Dictionary<string, string>());

    public static FakeFailure ServerErrorAfterServing() => ServerError() with { AfterServing = true };

    /// <summary>GitHub's secondary rate limit: 403 (or 429) with Retry-After.</summary>
    public static FakeFailure SecondaryRateLimit(int retryAfterSeconds, int status = 403) =>
        new(status, "You have exceeded a secondary rate limit. Please wait a few minutes before you try again.",
            new Dictionary<string, string> { ["Retry-After"] = retryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture) });

    /// <summary>GitHub's primary rate limit: 403 with x-ratelimit-remaining: 0 and the reset time.</summary>
    public static FakeFailure PrimaryRateLimit(DateTimeOffset reset) =>
        new(403, "API rate limit exceeded for installation.", new Dictionary<string, string>
        {
            ["x-ratelimit-limit"] = "5000",
            ["x-ratelimit-remaining"] = "0",
            ["x-ratelimit-reset"] = reset.ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture),
        });
}
