namespace PrImageReport.GitHub.Publishing;

/// <summary>How publishers retry rate limits, 5xx answers and network failures.</summary>
public sealed class RetryPolicy
{
    public static RetryPolicy Default { get; } = new();

    /// <summary>Attempts in all, the first included.</summary>
    public int MaxAttempts { get; init; } = 4;

    /// <summary>The longest single wait. When GitHub asks for longer, the publisher fails at once rather than
    /// retry before GitHub allows it.</summary>
    public TimeSpan MaxWait { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>The wait after the first 5xx or network failure; it doubles with each further attempt.</summary>
    public TimeSpan FirstBackoff { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>The clock and timers the waits use.</summary>
    public TimeProvider Time { get; init; } = TimeProvider.System;
}
