using System.Runtime.Versioning;
using PrImageReport.Cli.IntegrationTests.Infrastructure;
using PrImageReport.Testing;

namespace PrImageReport.Cli.IntegrationTests;

/// <summary>git runs repository configuration of its own (hooks, filters, helpers): it must never see the job's tokens.</summary>
[UnsupportedOSPlatform("windows")]
public sealed class GitChildEnvironmentTests
{
    private static readonly string[] TokenVariables =
        ["GITHUB_TOKEN", "GH_TOKEN", "INPUT_GITHUB-TOKEN", "ACTIONS_RUNTIME_TOKEN", "ACTIONS_ID_TOKEN_REQUEST_TOKEN", "ACTIONS_ID_TOKEN_REQUEST_URL"];

    [Fact]
    public async Task Git_runs_without_the_token_variables_of_the_job()
    {
        using var repository = await GitWorkspace.CreateAsync();
        repository.CopyExample("school-api");
        await repository.CommitAsync("school-api");
        await repository.CreateBranchAsync("pr");
        using var bin = new TempDirectory();
        var log = bin.Combine("git-environment.log");
        // A git first on PATH that writes down the environment it was started with (from /proc: the shell would drop
        // INPUT_GITHUB-TOKEN, not a shell name), then runs the real git.
        var realGit = (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':')
            .Select(dir => Path.Combine(dir, "git")).First(File.Exists);
        bin.Write("git", $"#!/bin/sh\ntr '\\0' '\\n' < /proc/$$/environ >> '{log}'\necho ---- >> '{log}'\nexec '{realGit}' \"$@\"\n");
        File.SetUnixFileMode(bin.Combine("git"), UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        var environment = TokenVariables.ToDictionary(name => name, name => (string?)$"secret-{name}");
        environment["PATH"] = bin.Path + ":" + Environment.GetEnvironmentVariable("PATH");
        environment["PR_IMAGE_REPORT_CANARY"] = "passed-on";
        environment["DOCKER_HOST"] = "unix:///nonexistent.sock";

        var run = await CompareRun.RunAsync(["--repo", repository.Path, "--base", "main", "--head", "pr"], environment);

        run.AssertExitCode(3);
        var seen = File.ReadAllText(log);
        Assert.True(seen.Split("----\n").Length > 3, seen);
        Assert.Contains("PR_IMAGE_REPORT_CANARY=passed-on", seen, StringComparison.Ordinal);
        Assert.All(TokenVariables, name => Assert.DoesNotContain(name + "=", seen, StringComparison.Ordinal));
        Assert.DoesNotContain("secret-", seen, StringComparison.Ordinal);
    }
}
