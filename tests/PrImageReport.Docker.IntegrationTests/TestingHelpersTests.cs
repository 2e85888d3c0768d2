using PrImageReport.Testing;
using Xunit.Sdk;

namespace PrImageReport.Docker.IntegrationTests;

/// <summary>The shared helpers the integration tests stand on.</summary>
public class TestingHelpersTests
{
    [Fact]
    public async Task ProcessRunnerCapturesOutputErrorAndExitCode()
    {
        var result = await ProcessRunner.RunAsync("/bin/sh", ["-c", "read line; echo \"out $line\"; echo err >&2; exit 3"], input: "hello\n");

        Assert.Equal(new ProcessResult(3, "out hello\n", "err\n"), result);
    }

    [Fact]
    public async Task ProcessRunnerPassesAndRemovesEnvironmentVariables()
    {
        var result = await ProcessRunner.RunAsync(
            "/bin/sh",
            ["-c", "echo \"${GIVEN}-${HOME:-unset}\""],
            environment: new Dictionary<string, string?> { ["GIVEN"] = "yes", ["HOME"] = null });

        Assert.Equal("yes-unset\n", result.StandardOutput);
    }

    [Fact]
    public async Task ProcessRunnerKillsAProcessThatOutlivesItsTimeout()
    {
        var error = await Assert.ThrowsAsync<TimeoutException>(() =>
            ProcessRunner.RunAsync("/bin/sh", ["-c", "echo started; sleep 30"], timeout: TimeSpan.FromMilliseconds(500)));

        Assert.StartsWith("/bin/sh -c echo started; sleep 30 ran longer than 00:00:00.5000000; killed it.", error.Message);
    }

    [Fact]
    public async Task ProcessRunnerStopsOnCancellation()
    {
        using var cancel = new CancellationTokenSource();
        await cancel.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => ProcessRunner.RunAsync("/bin/sh", ["-c", "sleep 30"], ct: cancel.Token));
    }

    [Fact]
    public void TempDirectoryWritesFilesAndDeletesEverythingOnDispose()
    {
        string root;
        using (var scratch = new TempDirectory())
        {
            root = scratch.Path;
            var file = scratch.Write("a/b/c.txt", "x");
            Assert.Equal("x", File.ReadAllText(file));
        }

        Assert.False(Directory.Exists(root));
    }

    [Fact]
    public async Task DockerRequirementFailsInsteadOfSkippingWhenNoEngineAnswers()
    {
        var error = await Assert.ThrowsAsync<XunitException>(() => DockerRequirement.EngineAsync("unix:///nonexistent.sock"));

        Assert.Contains("no Docker engine at unix:///nonexistent.sock (no such socket)", error.Message);
        Assert.StartsWith(DockerRequirement.IsCi ? "CI=true but this test needs a Docker engine" : "this test needs a Docker engine", error.Message);
    }
}
