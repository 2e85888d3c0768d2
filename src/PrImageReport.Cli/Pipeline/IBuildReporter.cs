namespace PrImageReport.Cli.Pipeline;

/// <summary>Where the runner says what it is doing, side by side.</summary>
public interface IBuildReporter
{
    void SideStarted(string side, string what);

    void Step(string side, string step);

    void SideFinished(string side, bool built, TimeSpan elapsed);

    /// <summary>Something about the whole run, such as a builder that is not there.</summary>
    void Note(string message);

    void Kept(IReadOnlyList<string> tags);
}
