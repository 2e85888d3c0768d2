using System.Globalization;
using PrImageReport.Cli.Pipeline;

namespace PrImageReport.Cli.Terminal;

/// <summary>Progress on standard error: every build step on a terminal, one line per side otherwise (logs stay short).</summary>
public sealed class ConsoleBuildReporter(TextWriter error, bool interactive, bool color) : IBuildReporter
{
    public void SideStarted(string side, string what) => error.WriteLine($"{Label(side)} {what}");

    public void Step(string side, string step)
    {
        if (interactive)
        {
            error.WriteLine($"{Label(side)}   {step}");
        }
    }

    public void SideFinished(string side, bool built, TimeSpan elapsed)
    {
        var seconds = elapsed.TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture);
        error.WriteLine(built ? $"{Label(side)} done in {seconds} s" : $"{Label(side)} {Paint("build failed", "31")} after {seconds} s");
    }

    public void Note(string message) => error.WriteLine(message);

    public void Kept(IReadOnlyList<string> tags)
    {
        foreach (var tag in tags)
        {
            error.WriteLine($"kept image {tag}");
        }
    }

    private string Label(string side) => Paint($"[{side}]", side == "base" ? "36" : "35");

    private string Paint(string text, string ansi) => color ? $"\u001b[{ansi}m{text}\u001b[0m" : text;
}
