namespace PrImageReport.Cli.Pipeline;

/// <summary>Reports on the caller's thread: Progress&lt;T&gt; posts to the thread pool, which can print build steps out of order.</summary>
public sealed class InlineProgress<T>(Action<T> report) : IProgress<T>
{
    public void Report(T value) => report(value);
}
