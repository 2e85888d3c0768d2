using System.Formats.Tar;
using System.IO.Compression;
using Octokit;
using PrImageReport.GitHub.Publishing;

namespace PrImageReport.GitHub.Api;

/// <summary>The repository-contents archive area: a commit's tree without a git clone.</summary>
public interface IRepositoryArchivesApi
{
    /// <summary>GET /repos/{owner}/{repo}/tarball/{ref}, streamed into <paramref name="destination"/> (a new or empty
    /// folder) without the archive's top-level folder (owner-repo-sha7/). Files keep their executable bit, symbolic
    /// links stay links; an entry that would land outside <paramref name="destination"/> stops the extraction. A 5xx, rate
    /// limit or lost connection on the request is retried as the publishers retry theirs.</summary>
    Task ExtractTreeAsync(string owner, string name, string sha, string destination, CancellationToken ct);
}

internal sealed class RepositoryArchivesApi(IConnection connection, GitHubCall call, RetryPolicy retry) : IRepositoryArchivesApi
{
    public async Task ExtractTreeAsync(string owner, string name, string sha, string destination, CancellationToken ct)
    {
        RepositoryNames.Check(owner, name);
        RepositoryNames.CheckSha(sha);
        ArgumentException.ThrowIfNullOrWhiteSpace(destination);
        var operation = $"downloading the tree of {owner}/{name}@{sha[..7]}";

        IApiResponse<Stream> response;
        try
        {
            // Only the request is retried (5xx, rate limits, no answer): nothing is on disk until it succeeds.
            response = await Retrying.RunAsync(retry, attemptCt => call.SendAsync(
                // Get<Stream> rather than GetRawStream: it takes the cancellation token and an Accept header GitHub's
                // description allows. Octokit follows the 302 to codeload itself, dropping Authorization on a new host;
                // it hands the body over as a stream for application/x-gzip, codeload's content type.
                () => connection.Get<Stream>(new Uri($"repos/{owner}/{name}/tarball/{sha}", UriKind.Relative), GitHubApi.NoParameters, GitHubApi.AcceptJson, attemptCt),
                operation,
                attemptCt), ct).ConfigureAwait(false);
        }
        catch (GitHubApiException e) when (e.Kind == GitHubFailureKind.NoAccess)
        {
            throw new GitHubApiException(e.Kind, e.StatusCode,
                $"{e.Message} (the commit must be in {owner}/{name} and the token must read its contents: give the workflow `permissions: contents: read`)", e);
        }

        await using var archive = response.Body ?? throw new GitHubApiException(GitHubFailureKind.Other, (int)response.HttpResponse.StatusCode,
            $"GitHub answered {(int)response.HttpResponse.StatusCode} with {response.HttpResponse.ContentType ?? "no content type"} instead of a tar.gz archive while {operation}");
        try
        {
            await ExtractAsync(archive, Path.GetFullPath(destination), operation, ct).ConfigureAwait(false);
        }
        catch (Exception e) when (e is HttpIOException or InvalidDataException or EndOfStreamException)
        {
            throw new GitHubApiException(GitHubFailureKind.Unreachable, null, $"The archive broke off or is corrupt while {operation}: {e.Message}", e);
        }
    }

    static async Task ExtractAsync(Stream archive, string root, string operation, CancellationToken ct)
    {
        await using var gzip = new GZipStream(archive, CompressionMode.Decompress);
        await using var reader = new TarReader(gzip);
        Directory.CreateDirectory(root);
        while (await reader.GetNextEntryAsync(copyData: false, ct).ConfigureAwait(false) is { } entry)
        {
            // git archive puts the commit id in a pax global header; the tree has no such file.
            if (entry.EntryType is TarEntryType.GlobalExtendedAttributes || StripTopFolder(entry.Name) is not { } relative)
            {
                continue;
            }

            var path = Path.GetFullPath(Path.Combine(root, relative));
            if (!path.StartsWith(root + Path.DirectorySeparatorChar, StringComparison.Ordinal))
            {
                throw Refused(operation, entry, "points outside the tree");
            }
            // A link extracted earlier must not carry later entries out of the tree (link -> /etc, then link/passwd).
            if (LinkAbove(root, path) is { } link)
            {
                throw Refused(operation, entry, $"goes through the symbolic link {Path.GetRelativePath(root, link)}");
            }
            if (entry.EntryType is not TarEntryType.Directory && (File.Exists(path) || Directory.Exists(path) || new FileInfo(path).LinkTarget is not null))
            {
                throw Refused(operation, entry, "is in the archive twice");
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
                    await entry.ExtractToFileAsync(path, overwrite: false, ct).ConfigureAwait(false);
                    break;
                default:
                    throw Refused(operation, entry, $"is a {entry.EntryType}, which a git tree cannot hold");
            }
        }
    }

    /// <summary>GitHub wraps the tree in one folder named after the repository and commit.</summary>
    static string? StripTopFolder(string name)
    {
        var slash = name.IndexOf('/', StringComparison.Ordinal);
        var rest = slash < 0 ? "" : name[(slash + 1)..].TrimEnd('/');
        return rest.Length == 0 ? null : rest;
    }

    /// <summary>The first folder between <paramref name="root"/> and <paramref name="path"/> that is a symbolic link.</summary>
    static string? LinkAbove(string root, string path)
    {
        var ancestors = new Stack<string>();
        for (var dir = Path.GetDirectoryName(path); dir is not null && dir != root; dir = Path.GetDirectoryName(dir))
        {
            ancestors.Push(dir);
        }
        return ancestors.FirstOrDefault(dir => new FileInfo(dir).LinkTarget is not null);
    }

    static GitHubApiException Refused(string operation, TarEntry entry, string why) =>
        new(GitHubFailureKind.Other, null, $"The archive GitHub sent while {operation} has the entry {entry.Name}, which {why}: refusing to extract it");
}
