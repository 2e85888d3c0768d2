using PrImageReport.Docker.Context;

namespace PrImageReport.Docker.IntegrationTests.Context;

public class DockerignoreMatcherTests
{
    private static bool Excluded(string dockerignore, string path) =>
        DockerignoreMatcher.Parse(dockerignore, ".dockerignore").IsExcluded(path);

    // Cases taken from moby/patternmatcher's own tests, so the matcher answers as Docker does.
    [Theory]
    [InlineData("*", "fileutils.go", true)]
    [InlineData("*.go", "fileutils.go", true)]
    [InlineData("!fileutils.go\n*.go", "fileutils.go", true)]
    [InlineData("*.go\n!fileutils.go", "fileutils.go", false)]
    [InlineData("docs\n!docs/README.md", "docs/README.md", false)]
    [InlineData("docs/\n!docs/README.md", "docs/README.md", false)]
    [InlineData("docs/*\n!docs/README.md", "docs/README.md", false)]
    [InlineData("**", "dir/file", true)]
    [InlineData("**/", "file", true)]
    [InlineData("dir/**", "dir/dir2/file", true)]
    [InlineData("**/dir", "dir/file", true)]
    [InlineData("**/dir2/*", "dir/dir2/file", true)]
    [InlineData("**file", "dir/dir/file", true)]
    [InlineData("**/file*.txt", "dir/dir/file.txt", true)]
    [InlineData("**/**/*.txt2", "dir/dir/file.txt", false)]
    [InlineData("**/*.txt", "file.txt", true)]
    [InlineData("a**/*.txt", "a/dir/dir/file.txt", true)]
    [InlineData("a/*.txt", "a/dir/file.txt", false)]
    [InlineData("a/*.txt", "a/file.txt", true)]
    [InlineData("a[b-d]e", "ace", true)]
    [InlineData("a[b-d]e", "aae", false)]
    [InlineData("a[^b-d]e", "aze", true)]
    [InlineData(".*", ".foo", true)]
    [InlineData(".*", "foo", false)]
    [InlineData("abc.def", "abcZdef", false)]
    [InlineData("abc?def", "abcZdef", true)]
    [InlineData("abc?def", "abcdef", false)]
    [InlineData(@"a\\", @"a\", true)]
    [InlineData(@"a\*b", "a*b", true)]
    [InlineData(@"a\*b", "axb", false)]
    [InlineData("**/foo/bar", "foo/bar", true)]
    [InlineData("abc/**", "abc", false)]
    [InlineData("abc/**", "abc/def/ghi", true)]
    [InlineData("**/.foo", "bar.foo", false)]
    [InlineData("a(b)c/def", "a(b)c/def", true)]
    [InlineData("a.|)$(}+{bc", "a.|)$(}+{bc", true)]
    [InlineData("dist/*.whl", "dist/proxy.py-2.4.0rc3.dev36+g08acad9-py3-none-any.whl", true)]
    [InlineData("**\n!util/docker/web", "util/docker/web/foo", false)]
    public void MatchesAsDockerDoes(string dockerignore, string path, bool excluded) =>
        Assert.Equal(excluded, Excluded(dockerignore, path));

    [Theory]
    [InlineData("/secrets", "secrets/key")]
    [InlineData("./build", "build/out.o")]
    [InlineData("  node_modules  ", "node_modules/x/index.js")]
    [InlineData("logs/../tmp", "tmp/a")]
    public void TrimsLeadingSlashDotAndSpacesAndCleansThePath(string pattern, string path) =>
        Assert.True(Excluded(pattern, path));

    [Fact]
    public void CommentsStartOnlyInTheFirstColumn()
    {
        Assert.False(Excluded("#secret", "#secret"));
        Assert.True(Excluded(" #secret", "#secret"));
    }

    [Fact]
    public void TheLastMatchingPatternWins()
    {
        var matcher = DockerignoreMatcher.Parse("*.log\n!important.log\nimportant.log\n", ".dockerignore");
        Assert.True(matcher.IsExcluded("important.log"));
        Assert.True(matcher.IsExcluded("debug.log"));
        Assert.False(matcher.IsExcluded("app.py"));
    }

    [Fact]
    public void AnExcludedDirectoryExcludesEverythingUnderIt()
    {
        var matcher = DockerignoreMatcher.Parse("build\n", ".dockerignore");
        Assert.True(matcher.IsExcluded("build/a/b/c.o"));
        Assert.False(matcher.IsExcluded("builder/c.o"));
    }

    [Fact]
    public void AnExcludedDirectoryIsWalkedOnlyWhenAnExceptionNamesSomethingUnderIt()
    {
        var matcher = DockerignoreMatcher.Parse("logs\n!logs/keep/important.log\n", ".dockerignore");
        Assert.True(matcher.MayKeepSomethingUnder("logs"));
        Assert.True(matcher.MayKeepSomethingUnder("logs/keep"));
        Assert.False(matcher.IsExcluded("logs/keep/important.log"));
        Assert.True(matcher.IsExcluded("logs/other.log"));
        Assert.False(DockerignoreMatcher.Parse("logs\n!**/important.log\n", ".dockerignore").MayKeepSomethingUnder("logs"));
    }

    [Fact]
    public void KeepingAddsAnExceptionOnlyForAnExcludedPath()
    {
        var matcher = DockerignoreMatcher.Parse("*\n", ".dockerignore");
        Assert.True(matcher.IsExcluded("Dockerfile"));
        var keeping = matcher.Keeping("Dockerfile");
        Assert.False(keeping.IsExcluded("Dockerfile"));
        Assert.True(keeping.IsExcluded("app.py"));
        Assert.Same(DockerignoreMatcher.Empty, DockerignoreMatcher.Empty.Keeping("Dockerfile"));
    }

    [Theory]
    [InlineData("ok\n[abc\n", 2)]
    [InlineData("ok\n\n!\n", 3)]
    public void ABadLineIsAnErrorNamingFileAndLine(string text, int line)
    {
        var error = Assert.Throws<DockerignoreException>(() => DockerignoreMatcher.Parse(text, "/ctx/.dockerignore"));
        Assert.StartsWith($"/ctx/.dockerignore line {line}: ", error.Message);
    }

    [Theory]
    [InlineData("a//b/./c", "a/b/c")]
    [InlineData("a/b/../c", "a/c")]
    [InlineData("../a", "../a")]
    [InlineData("/../a", "/a")]
    [InlineData("./", ".")]
    [InlineData("/", "/")]
    public void CleansPathsAsGoDoes(string path, string clean) => Assert.Equal(clean, DockerignoreMatcher.Clean(path));
}
