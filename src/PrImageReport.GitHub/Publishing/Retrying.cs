namespace PrImageReport.GitHub.Publishing;

internal static class Retrying
{
    /// <summary>Runs <paramref name="attempt"/> until it succeeds, fails for good, or the policy's attempts are used up.
    /// Only <see cref="GitHubApiException.IsTransient"/> failures are retried.</summary>
    public static async Task<T> RunAsync<T>(RetryPolicy policy, Func<CancellationToken, Task<T>> attempt, CancellationToken ct)
    {
        for (var number = 1; ; number++)
        {
            ct.ThrowIfCancellationRequested();
            try
            {
                return await attempt(ct).ConfigureAwait(false);
            }
            catch (GitHubApiException e) when (e.IsTransient)
            {
                if (number >= policy.MaxAttempts)
                {
                    throw new GitHubApiException(e.Kind, e.StatusCode, $"{e.Message} (gave up after {number} attempts)", e);
                }
                var wait = WaitBefore(number, e, policy);
                if (wait > policy.MaxWait)
                {
                    throw new GitHubApiException(e.Kind, e.StatusCode,
                        $"{e.Message} (GitHub asked to wait {wait.TotalSeconds:0} s, longer than the {policy.MaxWait.TotalSeconds:0} s this run waits)", e);
                }
                await Task.Delay(wait, policy.Time, ct).ConfigureAwait(false);
            }
        }
    }

    static TimeSpan WaitBefore(int failedAttempt, GitHubApiException e, RetryPolicy policy)
    {
        if (e.RetryAfter is { } retryAfter)
        {
            return retryAfter;
        }
        if (e.RetryAt is { } retryAt)
        {
            // Clocks differ a little; never retry before the next second.
            var untilThen = retryAt - policy.Time.GetUtcNow();
            return untilThen > TimeSpan.FromSeconds(1) ? untilThen : TimeSpan.FromSeconds(1);
        }
        if (e.Kind == GitHubFailureKind.RateLimited)
        {
            // GitHub's advice for a secondary rate limit without Retry-After: wait at least a minute.
            return policy.MaxWait;
        }
        return policy.FirstBackoff * Math.Pow(2, failedAttempt - 1);
    }
}
