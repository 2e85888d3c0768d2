using System.Formats.Tar;

namespace PrImageReport.Docker.Context;

/// <summary>A context file that cannot be read; the message names it and the fix.</summary>
internal sealed class BuildContextException(string message, Exception inner) : Exception(message, inner);

/// <summary>
/// Writes a build context as the docker CLI sends it: a tar of the context folder without what .dockerignore
/// excludes (the Dockerfile and .dockerignore are always kept), entries owned by root, symbolic links not followed.
/// Files are streamed into the tar one after the other; nothing is held whole in memory.
/// </summary>
internal sealed class BuildContextArchive
{
    private const string IgnoreFile = ".dockerignore";

    private readonly string root;
    private readonly DockerignoreMatcher matcher;
    private readonly string? outsideDockerfile;

    private BuildContextArchive(string root, DockerignoreMatcher matcher, string dockerfileInTar, string? outsideDockerfile)
    {
        this.root = root;
        this.matcher = matcher;
        DockerfileInTar = dockerfileInTar;
        this.outsideDockerfile = outsideDockerfile;
    }

    /// <summary>The Dockerfile's path inside the tar, for the build's <c>dockerfile</c> parameter.</summary>
    public string DockerfileInTar { get; }

    /// <summary>Reads the context's .dockerignore and places the Dockerfile; throws <see cref="DockerignoreException"/> on a bad pattern.</summary>
    public static async Task<BuildContextArchive> PrepareAsync(string contextDirectory, string dockerfilePath, CancellationToken ct)
    {
        var root = Path.GetFullPath(contextDirectory);
        var dockerfile = Path.GetFullPath(dockerfilePath);
        var ignorePath = Path.Combine(root, IgnoreFile);
        var matcher = File.Exists(ignorePath)
            ? DockerignoreMatcher.Parse(await File.ReadAllTextAsync(ignorePath, ct).ConfigureAwait(false), ignorePath)
            : DockerignoreMatcher.Empty;
        matcher = matcher.Keeping(IgnoreFile);

        var relative = Path.GetRelativePath(root, dockerfile);
        if (relative == ".." || relative.StartsWith("../", StringComparison.Ordinal) || Path.IsPathRooted(relative))
        {
            // The engine only reads the Dockerfile from the context, so one from elsewhere travels under a name of its own (as the CLI does).
            return new BuildContextArchive(root, matcher, $".dockerfile.{Guid.NewGuid():N}", dockerfile);
        }

        relative = relative.Replace(Path.DirectorySeparatorChar, '/');
        return new BuildContextArchive(root, matcher.Keeping(relative), relative, null);
    }

    public async Task WriteAsync(Stream output, CancellationToken ct)
    {
        await using var tar = new TarWriter(output, TarEntryFormat.Pax, leaveOpen: true);
        await WriteDirectoryAsync(tar, new DirectoryInfo(root), "", ct).ConfigureAwait(false);
        if (outsideDockerfile is not null)
        {
            await WriteFileAsync(tar, new FileInfo(outsideDockerfile), DockerfileInTar, ct).ConfigureAwait(false);
        }
    }

    private async Task WriteDirectoryAsync(TarWriter tar, DirectoryInfo directory, string relativeDirectory, CancellationToken ct)
    {
        FileSystemInfo[] children;
        try
        {
            children = directory.GetFileSystemInfos();
        }
        catch (Exception e) when (e is UnauthorizedAccessException or IOException)
        {
            throw Unreadable(relativeDirectory.Length == 0 ? "." : relativeDirectory, e);
        }

        // Sorted by name as the CLI walks, so the same context gives the same tar.
        Array.Sort(children, (a, b) => string.CompareOrdinal(a.Name, b.Name));
        foreach (var child in children)
        {
            ct.ThrowIfCancellationRequested();
            var relative = relativeDirectory.Length == 0 ? child.Name : $"{relativeDirectory}/{child.Name}";
            var excluded = matcher.IsExcluded(relative);
            if (child.LinkTarget is { } target)
            {
                if (!excluded)
                {
                    await tar.WriteEntryAsync(Entry(TarEntryType.SymbolicLink, relative, child, target), ct).ConfigureAwait(false);
                }
            }
            else if (child is DirectoryInfo subdirectory)
            {
                if (!excluded)
                {
                    await tar.WriteEntryAsync(Entry(TarEntryType.Directory, relative + "/", child, null), ct).ConfigureAwait(false);
                    await WriteDirectoryAsync(tar, subdirectory, relative, ct).ConfigureAwait(false);
                }
                else if (matcher.MayKeepSomethingUnder(relative))
                {
                    await WriteDirectoryAsync(tar, subdirectory, relative, ct).ConfigureAwait(false);
                }
            }
            else if (!excluded && child is FileInfo file)
            {
                await WriteFileAsync(tar, file, relative, ct).ConfigureAwait(false);
            }
        }
    }

    private static async Task WriteFileAsync(TarWriter tar, FileInfo file, string name, CancellationToken ct)
    {
        FileStream data;
        try
        {
            data = new FileStream(file.FullName, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, 81920, useAsync: true);
        }
        catch (Exception e) when (e is UnauthorizedAccessException or IOException)
        {
            throw Unreadable(name, e);
        }

        await using (data.ConfigureAwait(false))
        {
            var entry = Entry(TarEntryType.RegularFile, name, file, null);
            entry.DataStream = data;
            await tar.WriteEntryAsync(entry, ct).ConfigureAwait(false);
        }
    }

    private static PaxTarEntry Entry(TarEntryType type, string name, FileSystemInfo info, string? linkTarget)
    {
        var entry = new PaxTarEntry(type, name)
        {
            // The CLI sends every entry as owned by root; COPY and ADD decide ownership in the image.
            Uid = 0,
            Gid = 0,
            Mode = type == TarEntryType.SymbolicLink ? (UnixFileMode)0b111_111_111 : info.UnixFileMode,
            ModificationTime = info.LastWriteTimeUtc,
        };
        if (linkTarget is not null)
        {
            entry.LinkName = linkTarget;
        }

        return entry;
    }

    private static BuildContextException Unreadable(string relative, Exception e) =>
        new($"cannot read {relative} in the build context ({e.Message}); make it readable or list it in .dockerignore", e);
}
