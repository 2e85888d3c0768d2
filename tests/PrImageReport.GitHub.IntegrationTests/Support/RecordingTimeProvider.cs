using System.Collections.Concurrent;

namespace PrImageReport.GitHub.IntegrationTests.Support;

/// <summary>The system clock, recording every wait that is asked of it, so tests assert which waits a retry
/// chose instead of timing them.</summary>
public sealed class RecordingTimeProvider : TimeProvider
{
    readonly ConcurrentQueue<TimeSpan> waits = new();

    public IReadOnlyList<TimeSpan> Waits => [.. waits];

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        waits.Enqueue(dueTime);
        return System.CreateTimer(callback, state, dueTime, period);
    }
}
