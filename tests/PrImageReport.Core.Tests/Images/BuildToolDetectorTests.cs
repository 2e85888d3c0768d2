using PrImageReport.Core.Images;

namespace PrImageReport.Core.Tests.Images;

public sealed class BuildToolDetectorTests
{
    private static ImageFile File(string path) => new(path, FileKind.File, 100, null);

    private static ImageFile Link(string path, string target) => new(path, FileKind.Symlink, 0, target);

    private static InstalledPackage Dpkg(string name, string version) => new(PackageManager.Dpkg, name, version, 1024);

    private static InstalledPackage Apk(string name, string version) => new(PackageManager.Apk, name, version, 1024);

    private static IReadOnlyList<BuildTool> Detect(IEnumerable<ImageFile> files, params InstalledPackage[] packages) =>
        BuildToolDetector.Default.Detect(files, packages);

    /// <summary>What a Debian bookworm image with build-essential holds (as in the python:3.11 image).</summary>
    private static readonly ImageFile[] DebianBuildFiles =
    [
        Link("/usr/bin/c++", "/etc/alternatives/c++"),
        Link("/usr/bin/cc", "/etc/alternatives/cc"),
        Link("/usr/bin/g++", "g++-12"),
        Link("/usr/bin/g++-12", "x86_64-linux-gnu-g++-12"),
        Link("/usr/bin/gcc", "gcc-12"),
        Link("/usr/bin/gcc-12", "x86_64-linux-gnu-gcc-12"),
        Link("/usr/bin/gcc-ar-12", "x86_64-linux-gnu-gcc-ar-12"),
        File("/usr/bin/make"),
        File("/usr/bin/make-first-existing-target"),
        Link("/usr/bin/x86_64-linux-gnu-gcc", "gcc-12"),
        File("/usr/bin/x86_64-linux-gnu-gcc-12"),
        File("/usr/bin/x86_64-linux-gnu-g++-12"),
        File("/usr/bin/x86_64-linux-gnu-ld"),
        File("/usr/bin/x86_64-linux-gnu-as"),
        File("/usr/bin/python3.11"),
    ];

    private static readonly InstalledPackage[] DebianBuildPackages =
    [
        Dpkg("binutils", "2.40-2"),
        Dpkg("binutils-common", "2.40-2"),
        Dpkg("binutils-x86-64-linux-gnu", "2.40-2"),
        Dpkg("build-essential", "12.9"),
        Dpkg("cpp", "4:12.2.0-3"),
        Dpkg("dpkg-dev", "1.21.22"),
        Dpkg("cpp-12", "12.2.0-14+deb12u1"),
        Dpkg("g++", "4:12.2.0-3"),
        Dpkg("g++-12", "12.2.0-14+deb12u1"),
        Dpkg("gcc", "4:12.2.0-3"),
        Dpkg("gcc-12", "12.2.0-14+deb12u1"),
        Dpkg("gcc-12-base", "12.2.0-14+deb12u1"),
        Dpkg("libc6-dev", "2.36-9+deb12u14"),
        Dpkg("libcrypt-dev", "1:4.4.33-2"),
        Dpkg("libexpat1-dev", "2.5.0-1+deb12u2"),
        Dpkg("libpython3.11-dev", "3.11.2-6+deb12u9"),
        Dpkg("linux-libc-dev", "6.1.158-1"),
        Dpkg("make", "4.3-4.1"),
        Dpkg("python3-dev", "3.11.2-1+b1"),
        Dpkg("python3.11", "3.11.2-6+deb12u9"),
    ];

    [Fact]
    public void Debian_build_image_reports_each_tool_once_with_concise_evidence()
    {
        var tools = Detect(DebianBuildFiles, DebianBuildPackages);

        Assert.Equal(
            [
                new BuildTool("binutils", "dpkg binutils 2.40-2, binutils-x86-64-linux-gnu 2.40-2"),
                new BuildTool("build-essential", "dpkg build-essential 12.9"),
                new BuildTool("c++", "/usr/bin/c++", Layer: 0),
                new BuildTool("cc", "/usr/bin/cc", Layer: 0),
                new BuildTool("dev headers", "6 dpkg packages: libc6-dev, libcrypt-dev, libexpat1-dev, +3 more"),
                new BuildTool("g++", "/usr/bin/g++, /usr/bin/g++-12, /usr/bin/x86_64-linux-gnu-g++-12 (dpkg g++ 4:12.2.0-3, g++-12 12.2.0-14+deb12u1)", Layer: 0),
                new BuildTool("gcc", "/usr/bin/gcc, /usr/bin/gcc-12, /usr/bin/x86_64-linux-gnu-gcc, +1 more (dpkg gcc 4:12.2.0-3, gcc-12 12.2.0-14+deb12u1)", Layer: 0),
                new BuildTool("make", "/usr/bin/make (dpkg make 4.3-4.1)", Layer: 0),
            ],
            tools);
    }

    [Fact]
    public void Result_does_not_depend_on_the_order_files_and_packages_come_in()
    {
        var forward = Detect(DebianBuildFiles, DebianBuildPackages);
        var backward = Detect(DebianBuildFiles.Reverse(), [.. DebianBuildPackages.Reverse()]);

        Assert.Equal(forward, backward);
    }

    [Fact]
    public void Runtime_libraries_package_installers_and_tools_outside_bin_directories_are_not_build_tools()
    {
        var files = new[]
        {
            File("/usr/bin/pip"),
            File("/usr/bin/ld"),
            File("/usr/bin/as"),
            File("/usr/bin/gcc-ar"),
            File("/usr/bin/c++filt"),
            File("/usr/bin/gofmt"),
            File("/usr/share/doc/gcc-12/README.Debian"),
            File("/usr/lib/gcc/x86_64-linux-gnu/12/cc1"),
            File("/usr/share/bash-completion/completions/make"),
            new ImageFile("/usr/local/bin/make", FileKind.Directory, 0, null),
            File("/usr/share/dotnet/dotnet"),
            File("/usr/share/dotnet/shared/Microsoft.NETCore.App/8.0.11/libcoreclr.so"),
        };

        var tools = Detect(
            files,
            Dpkg("gcc-12-base", "12.2.0-14"),
            Dpkg("libgcc-s1", "12.2.0-14"),
            Dpkg("cpp-12", "12.2.0-14"),
            Dpkg("python3-pip", "23.0.1+dfsg-1"),
            Dpkg("binutils-common", "2.40-2"),
            Dpkg("libdevmapper1.02.1", "2:1.02.185-2"),
            Dpkg("cmake-data", "3.25.1-1"),
            Apk("libgcc", "13.2.1"),
            Apk("py3-pip", "24.0-r2"));

        Assert.Empty(tools);
    }

    [Theory]
    [InlineData("/usr/bin/clang-15", "clang")]
    [InlineData("/usr/bin/clang++", "clang")]
    [InlineData("/usr/bin/x86_64-linux-gnu-gcc-12", "gcc")]
    [InlineData("/usr/bin/x86_64-alpine-linux-musl-gcc", "gcc")]
    [InlineData("/usr/bin/aarch64-linux-gnu-g++-12", "g++")]
    [InlineData("/usr/bin/arm-linux-gnueabihf-gcc", "gcc")]
    [InlineData("/usr/local/go/bin/go", "go")]
    [InlineData("/usr/lib/go-1.19/bin/go", "go")]
    [InlineData("/usr/local/cargo/bin/cargo", "cargo")]
    [InlineData("/usr/local/cargo/bin/rustc", "rustc")]
    [InlineData("/usr/lib/jvm/java-17-openjdk-amd64/bin/javac", "jdk")]
    [InlineData("/opt/java/openjdk/bin/javac", "jdk")]
    [InlineData("/usr/share/maven/bin/mvn", "maven")]
    [InlineData("/opt/gradle/bin/gradle", "gradle")]
    [InlineData("/usr/local/bin/cmake", "cmake")]
    [InlineData("/usr/bin/ninja", "ninja")]
    [InlineData("/usr/bin/gmake", "make")]
    [InlineData("/sbin/make", "make")]
    public void Compiler_and_build_system_binaries_are_found_by_name(string path, string tool)
    {
        Assert.Equal([new BuildTool(tool, path, Layer: 0)], Detect([File(path)]));
    }

    [Fact]
    public void Hard_linked_binary_counts_like_the_file_it_links_to()
    {
        var tools = Detect([new ImageFile("/usr/local/bin/rustc", FileKind.HardLink, 100, "/usr/local/cargo/bin/rustc")]);

        Assert.Equal([new BuildTool("rustc", "/usr/local/bin/rustc", Layer: 0)], tools);
    }

    [Fact]
    public void Dotnet_sdk_is_found_by_its_sdk_directory_once_per_version()
    {
        var files = new[]
        {
            File("/usr/share/dotnet/dotnet"),
            new ImageFile("/usr/share/dotnet/sdk", FileKind.Directory, 0, null),
            new ImageFile("/usr/share/dotnet/sdk/8.0.404", FileKind.Directory, 0, null),
            File("/usr/share/dotnet/sdk/8.0.404/dotnet.dll"),
            File("/usr/share/dotnet/sdk/8.0.404/Roslyn/bincore/csc.dll"),
            File("/usr/lib/dotnet/sdk/9.0.100/dotnet.dll"),
        };

        var tools = Detect(files, Dpkg("dotnet-sdk-8.0", "8.0.404-1"), Dpkg("dotnet-runtime-8.0", "8.0.11-1"));

        Assert.Equal(
            [new BuildTool("dotnet-sdk", "/usr/lib/dotnet/sdk/9.0.100, /usr/share/dotnet/sdk/8.0.404 (dpkg dotnet-sdk-8.0 8.0.404-1)", Layer: 0)],
            tools);
    }

    [Fact]
    public void Apk_packages_map_to_the_same_tool_names_as_dpkg_packages()
    {
        var tools = Detect(
            [],
            Apk("build-base", "0.5-r3"),
            Apk("g++", "13.2.1-r0"),
            Apk("rust", "1.78.0-r0"),
            Apk("cargo", "1.78.0-r0"),
            Apk("samurai", "1.2-r5"),
            Apk("openjdk17-jdk", "17.0.11_p9-r0"),
            Apk("dotnet8-sdk", "8.0.105-r0"),
            Apk("go", "1.22.4-r0"),
            Apk("musl-dev", "1.2.5-r0"),
            Apk("linux-headers", "6.6-r0"),
            Apk("python3", "3.12.3-r1"));

        Assert.Equal(
            [
                new BuildTool("build-base", "apk build-base 0.5-r3"),
                new BuildTool("cargo", "apk cargo 1.78.0-r0"),
                new BuildTool("dev headers", "apk linux-headers 6.6-r0, musl-dev 1.2.5-r0"),
                new BuildTool("dotnet-sdk", "apk dotnet8-sdk 8.0.105-r0"),
                new BuildTool("g++", "apk g++ 13.2.1-r0"),
                new BuildTool("go", "apk go 1.22.4-r0"),
                new BuildTool("jdk", "apk openjdk17-jdk 17.0.11_p9-r0"),
                new BuildTool("ninja", "apk samurai 1.2-r5"),
                new BuildTool("rustc", "apk rust 1.78.0-r0"),
            ],
            tools);
    }

    [Theory]
    [InlineData("golang-go", "go")]
    [InlineData("golang-1.19-go", "go")]
    [InlineData("openjdk-17-jdk-headless", "jdk")]
    [InlineData("default-jdk", "jdk")]
    [InlineData("clang-15", "clang")]
    [InlineData("gcc-14-x86-64-linux-gnu", "gcc")]
    [InlineData("ninja-build", "ninja")]
    [InlineData("maven", "maven")]
    [InlineData("cargo", "cargo")]
    [InlineData("rustc", "rustc")]
    public void Dpkg_packages_are_found_by_name(string package, string tool)
    {
        Assert.Equal([new BuildTool(tool, $"dpkg {package} 1.0")], Detect([], Dpkg(package, "1.0")));
    }

    [Fact]
    public void Table_is_extended_by_adding_rules()
    {
        var detector = new BuildToolDetector([.. BuildToolDetector.DefaultRules, new BuildToolRule("autotools", BuildToolSource.BinaryName, "^(?:autoconf|automake)$")]);

        var tools = detector.Detect([File("/usr/bin/autoconf"), File("/usr/bin/make")], []);

        Assert.Equal([new BuildTool("autotools", "/usr/bin/autoconf", Layer: 0), new BuildTool("make", "/usr/bin/make", Layer: 0)], tools);
    }

    [Fact]
    public void Tool_layer_is_the_lowest_layer_of_its_paths_and_packages()
    {
        var files = new[]
        {
            new ImageFile("/usr/bin/gcc", FileKind.Symlink, 0, "gcc-12", Layer: 4),
            new ImageFile("/usr/bin/gcc-12", FileKind.Symlink, 0, "x86_64-linux-gnu-gcc-12", Layer: 3),
            new ImageFile("/usr/bin/make", FileKind.File, 100, null, Layer: 5),
        };
        var gcc = Dpkg("gcc-12", "12.2.0-14");
        var make = Dpkg("make", "4.3-4.1");
        var layers = new Dictionary<InstalledPackage, int> { [gcc] = 2 };

        var tools = BuildToolDetector.Default.Detect(files, [gcc, make], p => layers.TryGetValue(p, out var layer) ? layer : null);

        Assert.Equal(
            [
                new BuildTool("gcc", "/usr/bin/gcc, /usr/bin/gcc-12 (dpkg gcc-12 12.2.0-14)", Layer: 2),
                new BuildTool("make", "/usr/bin/make (dpkg make 4.3-4.1)", Layer: 5),
            ],
            tools);
    }

    [Fact]
    public void Tool_found_by_packages_alone_has_no_layer_unless_told_where_they_came_from()
    {
        var gcc = Dpkg("gcc-12", "12.2.0-14");

        Assert.Null(Assert.Single(Detect([], gcc)).Layer);
        Assert.Equal(7, Assert.Single(BuildToolDetector.Default.Detect([], [gcc], _ => 7)).Layer);
    }

    [Fact]
    public void Python_distributions_are_not_matched_against_package_rules()
    {
        var tools = Detect([], new InstalledPackage(PackageManager.Python, "cmake", "3.29.2", null), new InstalledPackage(PackageManager.Python, "gcc", "0.1", null));

        Assert.Empty(tools);
    }
}
