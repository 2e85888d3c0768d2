using System.Formats.Tar;
using System.Runtime.Versioning;
using PrImageReport.Docker.Context;
using PrImageReport.Testing;

namespace PrImageReport.Docker.IntegrationTests.Context;

public sealed class BuildContextArchiveTests : IDisposable
{
    private readonly TempDirectory scratch = new();

    public void Dispose() => scratch.Dispose();

    [Fact]
    public async Task LeavesOutWhatDockerignoreExcludesAndKeepsItsExceptions()
    {
        var context = scratch.CreateDirectory("ctx");
        scratch.Write("ctx/Dockerfile", "FROM scratch\n");
        scratch.Write("ctx/app.py", "print(1)\n");
        scratch.Write("ctx/secret.env", "TOKEN=x\n");
        scratch.Write("ctx/logs/debug.log", "noise\n");
        scratch.Write("ctx/logs/keep/important.log", "keep\n");
        scratch.Write("ctx/node_modules/left-pad/index.js", "module.exports = 1\n");
        scratch.Write("ctx/src/pkg/secret.env", "TOKEN=y\n");
        scratch.Write("ctx/.dockerignore", "# build context\n*.env\n**/*.env\nlogs\n!logs/keep/important.log\n/node_modules\n");

        var entries = await EntriesAsync(context, Path.Combine(context, "Dockerfile"));

        Assert.Equal(
            [".dockerignore", "Dockerfile", "app.py", "logs/keep/important.log", "src/", "src/pkg/"],
            entries.Keys.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task AlwaysSendsTheDockerfileAndDockerignoreEvenWhenExcluded()
    {
        var context = scratch.CreateDirectory("ctx");
        scratch.Write("ctx/build/app.Dockerfile", "FROM scratch\n");
        scratch.Write("ctx/build/other.txt", "x\n");
        scratch.Write("ctx/main.go", "package main\n");
        scratch.Write("ctx/.dockerignore", "*\n!main.go\n");

        var archive = await BuildContextArchive.PrepareAsync(context, Path.Combine(context, "build/app.Dockerfile"), CancellationToken.None);
        var entries = await EntriesAsync(context, Path.Combine(context, "build/app.Dockerfile"));

        Assert.Equal("build/app.Dockerfile", archive.DockerfileInTar);
        Assert.Equal([".dockerignore", "build/app.Dockerfile", "main.go"], entries.Keys.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task SendsADockerfileFromOutsideTheContextUnderAGeneratedName()
    {
        var context = scratch.CreateDirectory("ctx");
        scratch.Write("ctx/app.py", "print(1)\n");
        var dockerfile = scratch.Write("elsewhere/Dockerfile", "FROM python:3.11-slim\n");

        var archive = await BuildContextArchive.PrepareAsync(context, dockerfile, CancellationToken.None);
        var entries = await EntriesAsync(context, dockerfile);

        Assert.StartsWith(".dockerfile.", archive.DockerfileInTar);
        Assert.DoesNotContain('/', archive.DockerfileInTar);
        Assert.Contains("app.py", entries.Keys);
        Assert.Equal("FROM python:3.11-slim\n", entries.Single(e => e.Key.StartsWith(".dockerfile.", StringComparison.Ordinal)).Value.Content);
    }

    [Fact]
    [UnsupportedOSPlatform("windows")]
    public async Task StoresFilesOwnedByRootWithTheirModeAndLinksAsLinks()
    {
        var context = scratch.CreateDirectory("ctx");
        scratch.Write("ctx/Dockerfile", "FROM scratch\n");
        var script = scratch.Write("ctx/run.sh", "#!/bin/sh\necho hi\n");
        File.SetUnixFileMode(script, (UnixFileMode)0b111_101_101);
        File.CreateSymbolicLink(scratch.Combine("ctx/start"), "run.sh");
        Directory.CreateSymbolicLink(scratch.Combine("ctx/outside"), scratch.Path);

        var entries = await EntriesAsync(context, Path.Combine(context, "Dockerfile"));

        var run = entries["run.sh"];
        Assert.Equal(TarEntryType.RegularFile, run.Type);
        Assert.Equal((UnixFileMode)0b111_101_101, run.Mode);
        Assert.Equal((0, 0), (run.Uid, run.Gid));
        Assert.Equal("#!/bin/sh\necho hi\n", run.Content);
        Assert.Equal((TarEntryType.SymbolicLink, "run.sh"), (entries["start"].Type, entries["start"].LinkName));
        Assert.Equal(TarEntryType.SymbolicLink, entries["outside"].Type);
        Assert.DoesNotContain(entries.Keys, k => k.StartsWith("outside/", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ABadDockerignorePatternNamesTheFileAndLine()
    {
        var context = scratch.CreateDirectory("ctx");
        scratch.Write("ctx/.dockerignore", "*.pyc\n[cache\n");

        var error = await Assert.ThrowsAsync<DockerignoreException>(() => BuildContextArchive.PrepareAsync(context, Path.Combine(context, "Dockerfile"), CancellationToken.None));

        Assert.Equal($"{Path.Combine(context, ".dockerignore")} line 2: \"[cache\" is not a valid pattern; close every '[' with ']' or escape it as '\\['", error.Message);
    }

    private sealed record Entry(TarEntryType Type, UnixFileMode Mode, int Uid, int Gid, string LinkName, string? Content);

    private static async Task<Dictionary<string, Entry>> EntriesAsync(string context, string dockerfile)
    {
        var archive = await BuildContextArchive.PrepareAsync(context, dockerfile, CancellationToken.None);
        using var tar = new MemoryStream();
        await archive.WriteAsync(tar, CancellationToken.None);
        tar.Position = 0;
        var entries = new Dictionary<string, Entry>(StringComparer.Ordinal);
        await using var reader = new TarReader(tar);
        while (await reader.GetNextEntryAsync() is { } entry)
        {
            string? content = null;
            if (entry.DataStream is { } data)
            {
                using var text = new StreamReader(data);
                content = await text.ReadToEndAsync();
            }

            entries[entry.Name] = new Entry(entry.EntryType, entry.Mode, entry.Uid, entry.Gid, entry.LinkName, content);
        }

        return entries;
    }
}
