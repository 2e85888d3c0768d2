using System.Diagnostics;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using PrImageReport.GitHub.Publishing;

namespace PrImageReport.GitHub.IntegrationTests.Support;

/// <summary>Prism mocking GitHub's official OpenAPI description (from @octokit/openapi) with --errors, so any request
/// that breaks the description is answered with an error and an sl-violations header. Started once per test class:
/// loading the description takes Prism tens of seconds.</summary>
public sealed partial class PrismFixture : IAsyncLifetime
{
    /// <summary>The key whose marker the mock's canned comment list carries, so publishing it takes the update path.</summary>
    public const string ExistingReportKey = "prism-existing";

    static readonly TimeSpan StartupLimit = TimeSpan.FromMinutes(3);

    readonly Queue<string> outputTail = new();
    readonly TaskCompletionSource<Uri> listening = new(TaskCreationOptions.RunContinuationsAsynchronously);
    Process? prism;
    string? workDirectory;

    public Uri BaseUrl { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        var tools = Path.Combine(FindRepositoryRoot(), "tools", "node_modules");
        var prismCli = Path.Combine(tools, "@stoplight", "prism-cli", "dist", "index.js");
        var description = Path.Combine(tools, "@octokit", "openapi", "generated", "api.github.com.json");
        if (!File.Exists(prismCli) || !File.Exists(description))
        {
            throw new InvalidOperationException(
                $"Prism or GitHub's OpenAPI description is missing under {tools}: run scripts/install-node-tools.sh");
        }

        workDirectory = Directory.CreateTempSubdirectory("pr-image-report-prism-").FullName;
        var spec = Path.Combine(workDirectory, "api.github.com.json");
        await WriteDescriptionWithOurCommentAsync(description, spec);

        var start = new ProcessStartInfo("node")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[] { prismCli, "mock", spec, "--errors", "--host", "127.0.0.1", "--port", "0" })
        {
            start.ArgumentList.Add(argument);
        }
        prism = Process.Start(start) ?? throw new InvalidOperationException("node did not start: is Node.js 20 or later on PATH?");
        prism.OutputDataReceived += (_, e) => Observe(e.Data);
        prism.ErrorDataReceived += (_, e) => Observe(e.Data);
        prism.BeginOutputReadLine();
        prism.BeginErrorReadLine();

        var exited = prism.WaitForExitAsync();
        var first = await Task.WhenAny(listening.Task, exited, Task.Delay(StartupLimit));
        if (first != listening.Task)
        {
            var why = first == exited ? $"exited with code {prism.ExitCode}" : $"was not listening after {StartupLimit.TotalSeconds:0} s";
            throw new InvalidOperationException($"Prism {why}. Last output:\n{Tail()}");
        }
        BaseUrl = await listening.Task;
    }

    public async Task DisposeAsync()
    {
        if (prism is not null)
        {
            if (!prism.HasExited)
            {
                prism.Kill(entireProcessTree: true);
            }
            await prism.WaitForExitAsync();
            prism.Dispose();
        }
        if (workDirectory is not null)
        {
            Directory.Delete(workDirectory, recursive: true);
        }
    }

    /// <summary>Prism answers a comment list with the description's example; making that example's body carry our
    /// marker lets the update path run too. Only a response example changes: request validation is GitHub's own.</summary>
    static async Task WriteDescriptionWithOurCommentAsync(string source, string target)
    {
        JsonNode document;
        await using (var input = File.OpenRead(source))
        {
            document = await JsonNode.ParseAsync(input) ?? throw new InvalidOperationException($"{source} is empty");
        }
        var example = document["components"]?["examples"]?["issue-comment-items"]?["value"]?[0]
            ?? throw new InvalidOperationException($"{source} has no components.examples.issue-comment-items example: the update path cannot be exercised");
        example["body"] = StickyCommentBody.Marker(ExistingReportKey) + "\nthe previous report";
        await File.WriteAllTextAsync(target, document.ToJsonString());
    }

    [GeneratedRegex(@"Prism is listening on (?<url>http://\S+)")]
    private static partial Regex ListeningLine();

    [GeneratedRegex(@"\x1B\[[0-9;]*m")]
    private static partial Regex AnsiColour();

    void Observe(string? line)
    {
        if (line is null)
        {
            return;
        }
        line = AnsiColour().Replace(line, "");
        lock (outputTail)
        {
            outputTail.Enqueue(line.Length > 300 ? line[..300] + "..." : line);
            while (outputTail.Count > 40)
            {
                outputTail.Dequeue();
            }
        }
        if (ListeningLine().Match(line) is { Success: true } match)
        {
            listening.TrySetResult(new Uri(match.Groups["url"].Value));
        }
    }

    string Tail()
    {
        lock (outputTail)
        {
            return string.Join('\n', outputTail);
        }
    }

    static string FindRepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "tools", "package.json")) && File.Exists(Path.Combine(dir.FullName, "PrImageReport.sln")))
            {
                return dir.FullName;
            }
        }
        throw new InvalidOperationException($"No repository root (with PrImageReport.sln and tools/package.json) above {AppContext.BaseDirectory}");
    }
}
