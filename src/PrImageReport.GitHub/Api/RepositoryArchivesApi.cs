using System.Formats.Tar;
using System.IO.Compression;
using Octokit;

namespace PrImageReport.GitHub.Api;

/// <summary>The repository-contents archive area: a commit's tree without a git clone.</summary>
public interface IRepositoryArchivesApi
{
    /// <summary>GET /repos/{owner}/{repo}/tarball/{ref}, streamed into <paramref name="destination"/> without
    /// the archive's top-level folder (owner-repo-sha/).</summary>
    Task ExtractTreeAsync(string owner, string name, string sha, string destination, CancellationToken ct);
}

internal sealed class RepositoryArchivesApi(IConnection connection, GitHubCall call) : IRepositoryArchivesApi
{
    public async Task ExtractTreeAsync(string owner, string name, string sha, string destination, CancellationToken ct)
    {
        RepositoryNames.Check(owner, name);
        RepositoryNames.CheckSha(sha);
        var operation = $"downloading the tree of {owner}/{name}@{sha[..7]}";
        var response = await call.SendAsync(
            () => connection.GetRawStream(new Uri($"repos/{owner}/{name}/tarball/{sha}", UriKind.Relative), GitHubApi.NoParameters),
            operation,
            ct).ConfigureAwait(false);
        await using var archive = response.Body;
        await using var gzip = new GZipStream(archive, CompressionMode.Decompress);
        Directory.CreateDirectory(destination);
        var root = Path.GetFullPath(destination);
        await using var reader = new TarReader(gzip);
        while (await reader.GetNextEntryAsync(copyData: false, ct).ConfigureAwait(false) is { } entry)
        {
            var relative = StripTopFolder(entry.Name);
            if (relative is null || entry.EntryType is TarEntryType.GlobalExtendedAttributes or TarEntryType.ExtendedAttributes)
            {
                continue;
            }

            var path = Path.GetFullPath(Path.Combine(root, relative));
            if (!path.StartsWith(root + Path.DirectorySeparatorChar, StringComparison.Ordinal))
            {
                throw new GitHubApiException(GitHubFailureKind.Other, null, $"{operation}: the archive entry {entry.Name} points outside the tree");
            }

            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            switch (entry.EntryType)
            {
                case TarEntryType.Directory:
                    Directory.CreateDirectory(path);
                    break;
                case TarEntryType.SymbolicLink:
                    File.CreateSymbolicLink(path, entry.LinkName);
                    break;
                case TarEntryType.RegularFile or TarEntryType.V7RegularFile:
                    await entry.ExtractToFileAsync(path, overwrite: true, ct).ConfigureAwait(false);
                    break;
            }
        }
    }

    /// <summary>GitHub wraps the tree in one folder named after the repository and commit.</summary>
    private static string? StripTopFolder(string name)
    {
        var slash = name.IndexOf('/', StringComparison.Ordinal);
        var rest = slash < 0 ? "" : name[(slash + 1)..].TrimEnd('/');
        return rest.Length == 0 ? null : rest;
    }
}
