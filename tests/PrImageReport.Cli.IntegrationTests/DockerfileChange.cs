using PrImageReport.Cli.IntegrationTests.Infrastructure;

namespace PrImageReport.Cli.IntegrationTests;

/// <summary>A pull request that changes only the Dockerfile: main has one, the pr branch another, over the same app.py.</summary>
internal static class DockerfileChange
{
    /// <summary>Commits both Dockerfiles on their branches and runs compare --base main --head pr with <paramref name="options"/>.</summary>
    public static async Task<CompareRun> CompareAsync(string baseDockerfile, string headDockerfile, params string[] options)
    {
        using var repository = await GitWorkspace.CreateAsync();
        repository.Write("app.py", "print('hello')\n");
        repository.Write("Dockerfile", baseDockerfile);
        await repository.CommitAsync("the base Dockerfile");
        await repository.CreateBranchAsync("pr");
        repository.Write("Dockerfile", headDockerfile);
        await repository.CommitAsync("the pull request's Dockerfile");

        return await CompareRun.RunAsync(["--repo", repository.Path, "--base", "main", "--head", "pr", .. options]);
    }

    /// <summary>The 1-based line of the only line of <paramref name="dockerfile"/> that is <paramref name="instruction"/>.</summary>
    public static int LineOf(string dockerfile, string instruction) =>
        dockerfile.Split('\n').Select((text, index) => (text, index)).Single(l => l.text.Trim() == instruction).index + 1;
}
