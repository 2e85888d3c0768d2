using PrImageReport.Cli.IntegrationTests.Infrastructure;

namespace PrImageReport.Cli.IntegrationTests;

/// <summary>No engine where DOCKER_HOST points: exit code 3 and how to get one, once the input has been checked.</summary>
public sealed class NoEngineTests
{
    [Fact]
    public async Task NoEngineIsAnInfrastructureErrorThatSaysHowToStartOne()
    {
        using var repository = await GitWorkspace.CreateAsync();
        repository.CopyExample("school-api");
        await repository.CommitAsync("school-api");
        await repository.CreateBranchAsync("pr");

        var run = await CompareRun.RunAsync(
            ["--repo", repository.Path, "--base", "main", "--head", "pr"],
            new Dictionary<string, string?> { ["DOCKER_HOST"] = "unix:///nonexistent.sock" });

        run.AssertExitCode(3);
        var message = run.AssertOneLineError();
        Assert.Contains("no Docker engine at unix:///nonexistent.sock", message, StringComparison.Ordinal);
        Assert.Contains("start one", message, StringComparison.Ordinal);
        Assert.Contains("DOCKER_HOST", message, StringComparison.Ordinal);
        Assert.Null(run.JsonText);
    }
}
