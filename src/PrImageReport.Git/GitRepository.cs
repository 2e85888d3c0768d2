using System.Diagnostics;
using System.Formats.Tar;
using System.Text;

namespace PrImageReport.Git;

/// <summary>Reads commits of a local repository without touching its working tree or index.</summary>
public sealed class GitRepository
{
    private GitRepository(string root) => Root = root;

    /// <summary>The repository's top-level folder.</summary>
    public string Root { get; }

    public static async Task<GitRepository> OpenAsync(string path, CancellationToken ct)
    {
        if (!Directory.Exists(path))
        {
            throw new GitException($"{path}: no such folder; pass --repo with the path of a git repository");
        }

        var result = await RunAsync(path, ct, "rev-parse", "--show-toplevel").ConfigureAwait(false);
        if (result.ExitCode != 0)
        {
            throw new GitException($"{Path.GetFullPath(path)}: not a git repository ({FirstLine(result.Error)}); pass --repo with the path of one");
        }

        return new GitRepository(result.Output.Trim());
    }

    /// <summary>The full commit id that <paramref name="reference"/> names.</summary>
    public async Task<string> ResolveCommitAsync(string reference, CancellationToken ct)
    {
        var result = await RunAsync(Root, ct, "rev-parse", "--verify", "--quiet", "--end-of-options", reference + "^{commit}").ConfigureAwait(false);
        if (result.ExitCode != 0)
        {
            throw new GitException($"{Root}: unknown git ref '{reference}'; name a branch, tag or commit that exists here (git fetch it first if it is remote)");
        }

        return result.Output.Trim();
    }

    /// <summary>Whether <paramref name="path"/> (relative to the repository root) exists as a file in <paramref name="commit"/>.</summary>
    public async Task<bool> FileExistsAsync(string commit, string path, CancellationToken ct)
    {
        var result = await RunAsync(Root, ct, "cat-file", "-e", $"{commit}:{ToGitPath(path)}").ConfigureAwait(false);
        return result.ExitCode == 0;
    }

    /// <summary>Writes the tree of <paramref name="commit"/> into <paramref name="destination"/>, streaming git archive's tar.</summary>
    public async Task ExportTreeAsync(string commit, string destination, CancellationToken ct)
    {
        Directory.CreateDirectory(destination);
        var start = StartInfo(Root, "archive", "--format=tar", commit);
        using var process = Process.Start(start) ?? throw new GitException("could not start git");
        var errorTask = process.StandardError.ReadToEndAsync(ct);
        try
        {
            await TarFile.ExtractToDirectoryAsync(process.StandardOutput.BaseStream, destination, overwriteFiles: true, ct).ConfigureAwait(false);
            await process.WaitForExitAsync(ct).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }

        var error = await errorTask.ConfigureAwait(false);
        if (process.ExitCode != 0)
        {
            throw new GitException($"{Root}: git archive {commit} failed: {FirstLine(error)}");
        }
    }

    private static string ToGitPath(string path) => path.Replace('\\', '/').TrimStart('/');

    private static string FirstLine(string text) =>
        text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).FirstOrDefault() ?? "no output";

    private static ProcessStartInfo StartInfo(string workingDirectory, params string[] arguments)
    {
        var start = new ProcessStartInfo("git")
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            StandardOutputEncoding = Encoding.UTF8,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        ChildEnvironment.RemoveTokens(start.Environment);
        // A workspace owned by another user (a container action's mounted checkout) is still ours to read.
        start.Environment["GIT_CONFIG_COUNT"] = "1";
        start.Environment["GIT_CONFIG_KEY_0"] = "safe.directory";
        start.Environment["GIT_CONFIG_VALUE_0"] = "*";
        return start;
    }

    private static async Task<(int ExitCode, string Output, string Error)> RunAsync(string workingDirectory, CancellationToken ct, params string[] arguments)
    {
        using var process = Process.Start(StartInfo(workingDirectory, arguments)) ?? throw new GitException("could not start git");
        var output = process.StandardOutput.ReadToEndAsync(ct);
        var error = process.StandardError.ReadToEndAsync(ct);
        try
        {
            await process.WaitForExitAsync(ct).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }

        return (process.ExitCode, await output.ConfigureAwait(false), await error.ConfigureAwait(false));
    }
}
