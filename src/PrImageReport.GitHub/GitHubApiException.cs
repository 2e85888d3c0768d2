namespace PrImageReport.GitHub;

/// <summary>How a GitHub API call failed, which decides whether to retry, degrade or stop.</summary>
public enum GitHubFailureKind
{
    /// <summary>403 that is not a rate limit, or 404: the token may not see or write this (fork PRs get a read-only token).</summary>
    NoAccess,
    /// <summary>401: the token is invalid or expired.</summary>
    BadCredentials,
    /// <summary>403/429 with Retry-After or x-ratelimit-remaining: 0, or 429: a primary or secondary rate limit.</summary>
    RateLimited,
    /// <summary>5xx.</summary>
    ServerError,
    /// <summary>No answer: connection failure or timeout.</summary>
    Unreachable,
    /// <summary>422: GitHub refused the request's content.</summary>
    Rejected,
    /// <summary>Any other error answer.</summary>
    Other,
}

/// <summary>A GitHub API call failed. The message is one line, names the operation and carries GitHub's own message;
/// it never contains the token.</summary>
public sealed class GitHubApiException : Exception
{
    public GitHubApiException(GitHubFailureKind kind, int? statusCode, string message, Exception? innerException = null)
        : base(message, innerException)
    {
        Kind = kind;
        StatusCode = statusCode;
    }

    public GitHubFailureKind Kind { get; }

    /// <summary>The HTTP status GitHub answered with, or null when there was no answer.</summary>
    public int? StatusCode { get; }

    /// <summary>The wait GitHub asked for in Retry-After (seconds form).</summary>
    public TimeSpan? RetryAfter { get; init; }

    /// <summary>When GitHub said a retry may succeed: Retry-After in date form, or x-ratelimit-reset when x-ratelimit-remaining is 0.</summary>
    public DateTimeOffset? RetryAt { get; init; }

    /// <summary>Worth retrying: the same request may succeed later.</summary>
    public bool IsTransient => Kind is GitHubFailureKind.RateLimited or GitHubFailureKind.ServerError or GitHubFailureKind.Unreachable;
}
