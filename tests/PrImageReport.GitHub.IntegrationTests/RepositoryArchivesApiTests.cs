using System.Formats.Tar;
using System.IO.Compression;
using System.Runtime.Versioning;
using System.Security.Cryptography;
using System.Text;
using PrImageReport.Testing;
using PrImageReport.Testing.GitHub;

namespace PrImageReport.GitHub.IntegrationTests;

/// <summary>Downloads of a commit's tree from the fake, which answers the API with a 302 to its codeload path, and
/// codeload with the real <c>git archive</c> of a real repository. Executable bits are Unix file modes.</summary>
[UnsupportedOSPlatform("windows")]
public sealed class RepositoryArchivesApiTests : IAsyncLifetime, IDisposable
{
    const string Owner = "acme";
    const string Repo = "shop";
    const string UnknownSha = "0123456789abcdef0123456789abcdef01234567";

    static readonly string LongPath = $"long/{new string('d', 70)}/{new string('f', 90)}.txt";

    readonly TempDirectory scratch = new();
    FakeGitHubServer server = null!;
    GitHubApi api = null!;

    string Repository => scratch.Combine("repository");

    public async Task InitializeAsync()
    {
        server = await FakeGitHubServer.StartAsync();
        api = GitHubApi.Create(new GitHubApiSettings(server.ApiUrl, FakeGitHubServer.Token), archiveRetry: new PrImageReport.GitHub.Publishing.RetryPolicy { FirstBackoff = TimeSpan.FromMilliseconds(10) });
    }

    public async Task DisposeAsync()
    {
        api.Dispose();
        await server.DisposeAsync();
    }

    public void Dispose() => scratch.Dispose();

    [Fact]
    public async Task The_extracted_tree_equals_git_archive_of_the_commit_without_the_top_folder()
    {
        var sha = await CommitSampleTreeAsync();
        server.AddTarball(Owner, Repo, sha, Repository);
        var destination = scratch.Combine("tree");

        await api.Archives.ExtractTreeAsync(Owner, Repo, sha, destination, CancellationToken.None);

        Assert.Equal(await GitArchiveSnapshotAsync(sha), Snapshot(destination));
        Assert.Equal("FROM python:3.11-slim\nCOPY . /app\n", File.ReadAllText(Path.Combine(destination, "Dockerfile")));
        Assert.True(File.GetUnixFileMode(Path.Combine(destination, "scripts/build.sh")).HasFlag(UnixFileMode.UserExecute));
        Assert.False(File.GetUnixFileMode(Path.Combine(destination, "src/app/main.py")).HasFlag(UnixFileMode.UserExecute));
        Assert.Equal("src/app/main.py", new FileInfo(Path.Combine(destination, "main-link")).LinkTarget);
        Assert.Equal("app", new DirectoryInfo(Path.Combine(destination, "src/current")).LinkTarget);
        Assert.True(File.Exists(Path.Combine(destination, LongPath)));
        Assert.DoesNotContain(Directory.EnumerateFileSystemEntries(destination), e => Path.GetFileName(e).StartsWith($"{Owner}-{Repo}-", StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_API_request_carries_the_token_and_the_redirect_is_followed_to_codeload()
    {
        var sha = await CommitSampleTreeAsync();
        server.AddTarball(Owner, Repo, sha, Repository);

        await api.Archives.ExtractTreeAsync(Owner, Repo, sha, scratch.Combine("tree"), CancellationToken.None);

        Assert.Equal(
            [$"GET /repos/{Owner}/{Repo}/tarball/{sha} 302", $"GET /_codeload/{Owner}/{Repo}/legacy.tar.gz/{sha} 200"],
            server.Requests.Select(r => $"{r.Method} {r.Path} {r.Status}"));
        Assert.True(server.Requests[0].HasAuthorization);
    }

    [Fact]
    public async Task A_502_on_the_tarball_request_is_retried_and_the_tree_still_arrives()
    {
        var sha = await CommitSampleTreeAsync();
        server.AddTarball(Owner, Repo, sha, Repository);
        server.FailNext(1, FakeFailure.ServerError(502), "GET");
        var destination = scratch.Combine("tree");

        await api.Archives.ExtractTreeAsync(Owner, Repo, sha, destination, CancellationToken.None);

        Assert.Equal(await GitArchiveSnapshotAsync(sha), Snapshot(destination));
        Assert.Equal(
            [$"GET /repos/{Owner}/{Repo}/tarball/{sha} 502", $"GET /repos/{Owner}/{Repo}/tarball/{sha} 302", $"GET /_codeload/{Owner}/{Repo}/legacy.tar.gz/{sha} 200"],
            server.Requests.Select(r => $"{r.Method} {r.Path} {r.Status}"));
    }

    [Fact]
    public async Task Each_commit_gets_its_own_tree()
    {
        var first = await CommitSampleTreeAsync();
        File.WriteAllText(Path.Combine(Repository, "Dockerfile"), "FROM python:3.11\n");
        var second = await CommitAsync("use the full image");
        server.AddTarball(Owner, Repo, first, Repository);
        server.AddTarball(Owner, Repo, second, Repository);

        await api.Archives.ExtractTreeAsync(Owner, Repo, first, scratch.Combine("base"), CancellationToken.None);
        await api.Archives.ExtractTreeAsync(Owner, Repo, second, scratch.Combine("head"), CancellationToken.None);

        Assert.Equal("FROM python:3.11-slim\nCOPY . /app\n", File.ReadAllText(scratch.Combine("base/Dockerfile")));
        Assert.Equal("FROM python:3.11\n", File.ReadAllText(scratch.Combine("head/Dockerfile")));
    }

    [Fact]
    public async Task An_unknown_commit_fails_with_no_access_and_a_one_line_message_that_names_the_fix()
    {
        var destination = scratch.Combine("tree");

        var e = await Assert.ThrowsAsync<GitHubApiException>(() => api.Archives.ExtractTreeAsync(Owner, Repo, UnknownSha, destination, CancellationToken.None));

        Assert.Equal(GitHubFailureKind.NoAccess, e.Kind);
        Assert.Equal(404, e.StatusCode);
        Assert.StartsWith($"GitHub answered 404 while downloading the tree of {Owner}/{Repo}@0123456: Not Found", e.Message);
        Assert.Contains("contents: read", e.Message);
        Assert.DoesNotContain('\n', e.Message);
        Assert.False(Directory.Exists(destination));
    }

    [Fact]
    public async Task A_bad_token_fails_with_bad_credentials_before_any_download()
    {
        var sha = await CommitSampleTreeAsync();
        server.AddTarball(Owner, Repo, sha, Repository);
        using var wrongApi = GitHubApi.Create(new GitHubApiSettings(server.ApiUrl, "ghs_WrongToken"));

        var e = await Assert.ThrowsAsync<GitHubApiException>(() => wrongApi.Archives.ExtractTreeAsync(Owner, Repo, sha, scratch.Combine("tree"), CancellationToken.None));

        Assert.Equal(GitHubFailureKind.BadCredentials, e.Kind);
        Assert.DoesNotContain("ghs_WrongToken", e.ToString());
        Assert.Equal([401], server.Requests.Select(r => r.Status));
    }

    [Fact]
    public async Task A_cancelled_download_sends_nothing()
    {
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(
            () => api.Archives.ExtractTreeAsync(Owner, Repo, UnknownSha, scratch.Combine("tree"), cancelled.Token));

        Assert.Empty(server.Requests);
    }

    [Fact]
    public async Task An_entry_that_climbs_out_of_the_tree_is_refused()
    {
        server.AddTarballFile(Owner, Repo, UnknownSha, WriteArchive(
            new PaxTarEntry(TarEntryType.RegularFile, "acme-shop-0123456/ok.txt") { DataStream = Text("ok") },
            new PaxTarEntry(TarEntryType.RegularFile, "acme-shop-0123456/../escaped.txt") { DataStream = Text("planted") }));
        var destination = scratch.Combine("out/tree");

        var e = await Assert.ThrowsAsync<GitHubApiException>(() => api.Archives.ExtractTreeAsync(Owner, Repo, UnknownSha, destination, CancellationToken.None));

        Assert.Equal("The archive GitHub sent while downloading the tree of acme/shop@0123456 has the entry acme-shop-0123456/../escaped.txt, which points outside the tree: refusing to extract it", e.Message);
        Assert.False(File.Exists(scratch.Combine("out/escaped.txt")));
    }

    [Fact]
    public async Task An_entry_below_a_symbolic_link_is_refused_so_the_link_cannot_carry_it_out_of_the_tree()
    {
        var outside = scratch.CreateDirectory("outside");
        server.AddTarballFile(Owner, Repo, UnknownSha, WriteArchive(
            new PaxTarEntry(TarEntryType.SymbolicLink, "acme-shop-0123456/config") { LinkName = outside },
            new PaxTarEntry(TarEntryType.RegularFile, "acme-shop-0123456/config/planted.txt") { DataStream = Text("planted") }));

        var e = await Assert.ThrowsAsync<GitHubApiException>(() => api.Archives.ExtractTreeAsync(Owner, Repo, UnknownSha, scratch.Combine("tree"), CancellationToken.None));

        Assert.EndsWith("has the entry acme-shop-0123456/config/planted.txt, which goes through the symbolic link config: refusing to extract it", e.Message);
        Assert.Empty(Directory.EnumerateFileSystemEntries(outside));
    }

    [Fact]
    public async Task A_truncated_archive_fails_clearly()
    {
        var sha = await CommitSampleTreeAsync();
        var whole = scratch.Combine("whole.tar.gz");
        var git = await ProcessRunner.RunAsync("git", ["-C", Repository, "archive", "--format=tar.gz", "--prefix=acme-shop-x/", "-o", whole, sha]);
        Assert.True(git.ExitCode == 0, git.Describe());
        var bytes = File.ReadAllBytes(whole);
        var truncated = scratch.Combine("truncated.tar.gz");
        File.WriteAllBytes(truncated, bytes[..(bytes.Length / 2)]);
        server.AddTarballFile(Owner, Repo, sha, truncated);

        var e = await Assert.ThrowsAsync<GitHubApiException>(() => api.Archives.ExtractTreeAsync(Owner, Repo, sha, scratch.Combine("tree"), CancellationToken.None));

        Assert.Equal(GitHubFailureKind.Unreachable, e.Kind);
        Assert.StartsWith($"The archive broke off or is corrupt while downloading the tree of {Owner}/{Repo}@{sha[..7]}: ", e.Message);
    }

    [Fact]
    public async Task The_fake_wants_the_token_on_the_API_but_not_on_codeload_whose_URL_carries_its_own()
    {
        var sha = await CommitSampleTreeAsync();
        server.AddTarball(Owner, Repo, sha, Repository);
        using var http = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false });
        var tarball = new Uri(server.ApiUrl, $"repos/{Owner}/{Repo}/tarball/{sha}");

        using var anonymous = await http.GetAsync(tarball);
        using var authorized = new HttpRequestMessage(HttpMethod.Get, tarball) { Headers = { { "Authorization", $"token {FakeGitHubServer.Token}" } } };
        using var redirect = await http.SendAsync(authorized);
        var codeload = redirect.Headers.Location!;
        using var download = await http.GetAsync(codeload);
        using var withoutToken = await http.GetAsync(new Uri(codeload.GetLeftPart(UriPartial.Path)));

        Assert.Equal(401, (int)anonymous.StatusCode);
        Assert.Equal(302, (int)redirect.StatusCode);
        Assert.Equal(server.BaseUrl.Authority, codeload.Authority);
        Assert.Equal(200, (int)download.StatusCode);
        Assert.Equal("application/x-gzip", download.Content.Headers.ContentType?.MediaType);
        Assert.Equal(404, (int)withoutToken.StatusCode);
    }

    /// <summary>A repository with what trips extractors up: folders, an executable, links to a file and to a folder,
    /// a path over tar's 100-character name limit, a name with a space and non-ASCII letters, binary and empty files.</summary>
    async Task<string> CommitSampleTreeAsync()
    {
        Directory.CreateDirectory(Repository);
        await GitAsync("init", "--quiet", "--initial-branch=main");
        scratch.Write("repository/Dockerfile", "FROM python:3.11-slim\nCOPY . /app\n");
        scratch.Write("repository/src/app/main.py", "print('hello')\n");
        scratch.Write("repository/src/app/data/deep/config.json", "{\"debug\": false}\n");
        var script = scratch.Write("repository/scripts/build.sh", "#!/bin/sh\necho building\n");
        File.SetUnixFileMode(script, File.GetUnixFileMode(script) | UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute);
        File.CreateSymbolicLink(scratch.Combine("repository/main-link"), "src/app/main.py");
        Directory.CreateSymbolicLink(scratch.Combine("repository/src/current"), "app");
        scratch.Write($"repository/{LongPath}", "far down\n");
        scratch.Write("repository/docs/read me ü.md", "# Doc\n");
        scratch.Write("repository/empty.txt", "");
        File.WriteAllBytes(scratch.Combine("repository/bytes.bin"), [.. Enumerable.Range(0, 256).Select(i => (byte)i)]);
        return await CommitAsync("sample tree");
    }

    async Task<string> CommitAsync(string message)
    {
        await GitAsync("add", "--all");
        await GitAsync("-c", "user.name=Test", "-c", "user.email=test@example.com", "commit", "--quiet", "-m", message);
        return (await GitAsync("rev-parse", "HEAD")).Trim();
    }

    async Task<string> GitAsync(params string[] arguments)
    {
        var result = await ProcessRunner.RunAsync("git", ["-C", Repository, .. arguments]);
        Assert.True(result.ExitCode == 0, $"git {string.Join(' ', arguments)}: {result.Describe()}");
        return result.StandardOutput;
    }

    /// <summary>The commit as <c>git archive</c> makes it, unpacked by tar: what the download must reproduce.</summary>
    async Task<IReadOnlyList<string>> GitArchiveSnapshotAsync(string sha)
    {
        var archive = scratch.Combine("expected.tar");
        var expected = scratch.CreateDirectory("expected");
        await GitAsync("archive", "--format=tar", "-o", archive, sha);
        var tar = await ProcessRunner.RunAsync("tar", ["-xf", archive, "-C", expected]);
        Assert.True(tar.ExitCode == 0, tar.Describe());
        return Snapshot(expected);
    }

    /// <summary>Every entry under <paramref name="root"/>, links not followed: kind, link target, executable bit, content hash.</summary>
    static IReadOnlyList<string> Snapshot(string root)
    {
        var entries = new List<string>();
        void Walk(string dir)
        {
            foreach (var path in Directory.EnumerateFileSystemEntries(dir))
            {
                var relative = Path.GetRelativePath(root, path);
                var info = new FileInfo(path);
                if (info.LinkTarget is { } target)
                {
                    entries.Add($"{relative} -> {target}");
                }
                else if (Directory.Exists(path))
                {
                    entries.Add($"{relative}/");
                    Walk(path);
                }
                else
                {
                    var executable = info.UnixFileMode.HasFlag(UnixFileMode.UserExecute) ? "x" : "-";
                    entries.Add($"{relative} {executable} {Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(path)))}");
                }
            }
        }
        Walk(root);
        entries.Sort(StringComparer.Ordinal);
        return entries;
    }

    string WriteArchive(params TarEntry[] entries)
    {
        var path = scratch.Combine($"crafted-{Guid.NewGuid():N}.tar.gz");
        using var file = File.Create(path);
        using var gzip = new GZipStream(file, CompressionLevel.Fastest);
        using var writer = new TarWriter(gzip, TarEntryFormat.Pax);
        foreach (var entry in entries)
        {
            writer.WriteEntry(entry);
        }
        return path;
    }

    static MemoryStream Text(string content) => new(Encoding.UTF8.GetBytes(content));
}
