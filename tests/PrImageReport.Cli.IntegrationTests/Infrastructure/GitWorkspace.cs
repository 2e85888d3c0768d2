using PrImageReport.Testing;

namespace PrImageReport.Cli.IntegrationTests.Infrastructure;

/// <summary>A throw-away git repository for one scenario, made with the real git and deleted on dispose.</summary>
internal sealed class GitWorkspace : IDisposable
{
    // The developer's own git configuration (signing, hooks, default branch) must not change what the tests build.
    private static readonly Dictionary<string, string?> Isolated = new(StringComparer.Ordinal)
    {
        ["GIT_CONFIG_NOSYSTEM"] = "1",
        ["GIT_CONFIG_GLOBAL"] = "/dev/null",
        ["GIT_AUTHOR_NAME"] = "Test Author",
        ["GIT_AUTHOR_EMAIL"] = "author@example.com",
        ["GIT_COMMITTER_NAME"] = "Test Author",
        ["GIT_COMMITTER_EMAIL"] = "author@example.com",
    };

    private readonly TempDirectory folder = new("pr-image-report-repo-");

    private GitWorkspace()
    {
    }

    public string Path => folder.Path;

    /// <summary>The seed regression: school-api, multi-stage on the slim base, on main; its single-stage rewrite on the full image on branch pr.</summary>
    public static async Task<GitWorkspace> CreateSeedRegressionAsync()
    {
        var repository = await CreateAsync().ConfigureAwait(false);
        repository.CopyExample("school-api");
        await repository.CommitAsync("school-api, multi-stage on the slim base").ConfigureAwait(false);
        await repository.CreateBranchAsync("pr").ConfigureAwait(false);
        repository.CopyExampleFile("school-api/Dockerfile.single-stage", "Dockerfile");
        await repository.CommitAsync("one stage on the full python image").ConfigureAwait(false);
        return repository;
    }

    /// <summary>An empty repository whose first branch is main.</summary>
    public static async Task<GitWorkspace> CreateAsync()
    {
        var workspace = new GitWorkspace();
        try
        {
            await workspace.GitAsync("init", "--quiet", "--initial-branch=main").ConfigureAwait(false);
            return workspace;
        }
        catch
        {
            workspace.Dispose();
            throw;
        }
    }

    /// <summary>Copies examples/<paramref name="example"/> (dot files included) to <paramref name="destination"/> in the repository.</summary>
    public void CopyExample(string example, string destination = "")
    {
        var source = RepositoryRoot.Combine(System.IO.Path.Combine("examples", example));
        if (!Directory.Exists(source))
        {
            throw new InvalidOperationException($"{source}: no such example");
        }

        foreach (var file in Directory.EnumerateFiles(source, "*", SearchOption.AllDirectories))
        {
            var target = folder.Combine(System.IO.Path.Combine(destination, System.IO.Path.GetRelativePath(source, file)));
            Directory.CreateDirectory(System.IO.Path.GetDirectoryName(target)!);
            File.Copy(file, target, overwrite: true);
        }
    }

    /// <summary>Copies one file of examples/ (path relative to examples/) to <paramref name="destination"/> in the repository.</summary>
    public void CopyExampleFile(string exampleFile, string destination) =>
        Write(destination, File.ReadAllText(RepositoryRoot.Combine(System.IO.Path.Combine("examples", exampleFile))));

    public void Write(string relativePath, string content) => folder.Write(relativePath, content);

    /// <summary>Writes <paramref name="size"/> bytes that do not compress, so the file weighs what it says in any image.</summary>
    public void WriteNoise(string relativePath, int size)
    {
        var bytes = new byte[size];
        new Random(42).NextBytes(bytes);
        var path = folder.Combine(relativePath);
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(path)!);
        File.WriteAllBytes(path, bytes);
    }

    public void Delete(string relativePath) => File.Delete(folder.Combine(relativePath));

    /// <summary>Stages every change and commits it on the current branch.</summary>
    public async Task CommitAsync(string message)
    {
        await GitAsync("add", "--all").ConfigureAwait(false);
        await GitAsync("commit", "--quiet", "--no-verify", "--message", message).ConfigureAwait(false);
    }

    public Task CreateBranchAsync(string branch) => GitAsync("switch", "--quiet", "--create", branch);

    public Task SwitchAsync(string branch) => GitAsync("switch", "--quiet", branch);

    /// <summary>Runs git in the repository and returns its standard output; a failing git fails the test setup.</summary>
    public async Task<string> GitAsync(params string[] arguments)
    {
        var result = await ProcessRunner.RunAsync("git", arguments, Path, Isolated).ConfigureAwait(false);
        if (result.ExitCode != 0)
        {
            throw new InvalidOperationException($"git {string.Join(' ', arguments)} failed in {Path}: {result.Describe()}");
        }

        return result.StandardOutput;
    }

    public void Dispose() => folder.Dispose();
}
