using PrImageReport.Cli.IntegrationTests.Infrastructure;

namespace PrImageReport.Cli.IntegrationTests;

/// <summary>Input the tool cannot work with ends with exit code 2 and one line naming the problem, before anything is built.</summary>
public sealed class BadInputTests : IAsyncLifetime
{
    private GitWorkspace repository = null!;

    public async Task InitializeAsync()
    {
        repository = await GitWorkspace.CreateAsync();
        repository.CopyExample("school-api");
        await repository.CommitAsync("school-api");
        await repository.CreateBranchAsync("pr");
    }

    public Task DisposeAsync()
    {
        repository.Dispose();
        return Task.CompletedTask;
    }

    [Fact]
    public async Task AnUnknownRefIsNamed()
    {
        var run = await CompareRun.RunAsync(["--repo", repository.Path, "--base", "main", "--head", "no-such-branch"]);

        run.AssertExitCode(2);
        var message = run.AssertOneLineError();
        Assert.StartsWith("pr-image-report: ", message, StringComparison.Ordinal);
        Assert.Contains("'no-such-branch'", message, StringComparison.Ordinal);
        Assert.Null(run.JsonText);
    }

    [Fact]
    public async Task ADockerfileMissingAtBothRefsIsNamedWithTheFix()
    {
        var run = await CompareRun.RunAsync(["--repo", repository.Path, "--base", "main", "--head", "pr", "--dockerfile", "services/api/Dockerfile"]);

        run.AssertExitCode(2);
        var message = run.AssertOneLineError();
        Assert.Contains("services/api/Dockerfile: no such Dockerfile at main nor at pr", message, StringComparison.Ordinal);
        Assert.Contains("--dockerfile", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnUnparsableDockerfileIsNamedWithRefAndLine()
    {
        repository.Write("Dockerfile", """
            FROM python:3.11-slim
            WORKDIR /app

            COPYY app.py .

            """);
        await repository.CommitAsync("a typo");

        var run = await CompareRun.RunAsync(["--repo", repository.Path, "--base", "main", "--head", "pr"]);

        run.AssertExitCode(2);
        var message = run.AssertOneLineError();
        Assert.StartsWith("pr-image-report: Dockerfile (at pr):4: ", message, StringComparison.Ordinal);
        Assert.Contains("COPYY", message, StringComparison.Ordinal);
        Assert.Null(run.JsonText);
        run.AssertNoTemporaryLeftovers();
    }

    [Fact]
    public async Task NoPairIsAUsageError()
    {
        var run = await CompareRun.RunAsync(["--repo", repository.Path]);

        run.AssertExitCode(2);
        var message = run.AssertOneLineError();
        Assert.Contains("compare needs one pair", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task HalfAPairNamesTheMissingOption()
    {
        var run = await CompareRun.RunAsync(["--repo", repository.Path, "--base", "main"]);

        run.AssertExitCode(2);
        var message = run.AssertOneLineError();
        Assert.Contains("--head is missing", message, StringComparison.Ordinal);
    }
}
