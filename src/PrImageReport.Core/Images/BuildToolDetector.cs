using System.Text.RegularExpressions;

namespace PrImageReport.Core.Images;

/// <summary>What a <see cref="BuildToolRule"/> pattern is matched against.</summary>
public enum BuildToolSource
{
    /// <summary>The name of a file, hard link or symlink directly inside a "bin" or "sbin" directory.</summary>
    BinaryName,

    /// <summary>The absolute path of any entry; a named group "evidence" picks the part to report, e.g. an SDK directory.</summary>
    Path,

    /// <summary>The name of a package dpkg lists as installed.</summary>
    DpkgPackage,

    /// <summary>The name of a package apk lists as installed.</summary>
    ApkPackage,
}

/// <summary>One line of the detection table: whatever <paramref name="Pattern"/> matches is evidence of <paramref name="Tool"/>.</summary>
/// <param name="Tool">The name the report shows; rules sharing a name are reported as one tool.</param>
/// <param name="Pattern">A regular expression, anchored by the rule itself where it needs to be.</param>
public sealed record BuildToolRule(string Tool, BuildToolSource Source, string Pattern);

/// <summary>Finds compilers, build systems and development packages in a final filesystem, driven by a table of rules.</summary>
public sealed class BuildToolDetector
{
    private const int ListedPerKind = 3;

    /// <summary>"x86_64-linux-gnu-" or "x86_64-alpine-linux-musl-" in front of cross-named compilers.</summary>
    private const string Triplet = @"(?:\w+(?:-\w+)*-linux-\w+-)?";

    /// <summary>"-12" or "-15.0" after versioned compiler names.</summary>
    private const string Version = @"(?:-\d+(?:\.\d+)*)?";

    /// <summary>Debian's architecture suffix on cross packages, e.g. "gcc-14-x86-64-linux-gnu".</summary>
    private const string DebianArch = @"(?:-[a-z0-9]+(?:-[a-z0-9]+)*-linux-gnu\w*)?";

    private readonly IReadOnlyList<(BuildToolRule Rule, Regex Pattern)> _rules;

    public BuildToolDetector(IEnumerable<BuildToolRule> rules)
    {
        _rules = [.. rules.Select(r => (r, new Regex(r.Pattern, RegexOptions.CultureInvariant)))];
    }

    /// <summary>
    /// Compilers and build systems by binary, SDK directory or package. The binutils that gcc needs are named only
    /// through their package, since "as" and "ld" alone say little; pip is a package installer, not a build tool.
    /// </summary>
    public static IReadOnlyList<BuildToolRule> DefaultRules { get; } =
    [
        new("gcc", BuildToolSource.BinaryName, $"^{Triplet}gcc{Version}$"),
        new("g++", BuildToolSource.BinaryName, $@"^{Triplet}g\+\+{Version}$"),
        new("cc", BuildToolSource.BinaryName, "^cc$"),
        new("c++", BuildToolSource.BinaryName, @"^c\+\+$"),
        new("clang", BuildToolSource.BinaryName, $@"^{Triplet}clang(?:\+\+)?{Version}$"),
        new("make", BuildToolSource.BinaryName, "^g?make$"),
        new("cmake", BuildToolSource.BinaryName, "^cmake$"),
        new("ninja", BuildToolSource.BinaryName, "^(?:ninja|samu)$"),
        new("go", BuildToolSource.BinaryName, "^go$"),
        new("rustc", BuildToolSource.BinaryName, "^rustc$"),
        new("cargo", BuildToolSource.BinaryName, "^cargo$"),
        new("jdk", BuildToolSource.BinaryName, "^javac$"),
        new("maven", BuildToolSource.BinaryName, "^mvn$"),
        new("gradle", BuildToolSource.BinaryName, "^gradle$"),
        new("dotnet-sdk", BuildToolSource.Path, @"^(?<evidence>(?:/[^/]+)*/dotnet/sdk/\d[^/]*)(?:/|$)"),

        new("build-essential", BuildToolSource.DpkgPackage, "^build-essential$"),
        new("gcc", BuildToolSource.DpkgPackage, $@"^gcc(?:-\d+)?{DebianArch}$"),
        new("g++", BuildToolSource.DpkgPackage, $@"^g\+\+(?:-\d+)?{DebianArch}$"),
        new("clang", BuildToolSource.DpkgPackage, @"^clang(?:-\d+)?$"),
        new("make", BuildToolSource.DpkgPackage, "^make(?:-guile)?$"),
        new("cmake", BuildToolSource.DpkgPackage, "^cmake$"),
        new("ninja", BuildToolSource.DpkgPackage, "^ninja-build$"),
        new("go", BuildToolSource.DpkgPackage, @"^golang(?:-\d+(?:\.\d+)*)?(?:-go)?$"),
        new("rustc", BuildToolSource.DpkgPackage, @"^rustc(?:-[\d.]+|-web)?$"),
        new("cargo", BuildToolSource.DpkgPackage, @"^cargo(?:-[\d.]+|-web)?$"),
        new("jdk", BuildToolSource.DpkgPackage, @"^(?:default-jdk|openjdk-\d+-jdk)(?:-headless)?$"),
        new("maven", BuildToolSource.DpkgPackage, "^maven$"),
        new("gradle", BuildToolSource.DpkgPackage, "^gradle$"),
        new("dotnet-sdk", BuildToolSource.DpkgPackage, @"^dotnet-sdk-[\d.]+$"),
        new("binutils", BuildToolSource.DpkgPackage, $"^binutils{DebianArch}$"),
        // dpkg-dev holds Debian packaging scripts, not headers; build-essential already stands for it.
        new("dev headers", BuildToolSource.DpkgPackage, "^(?!dpkg-dev$).+-dev$"),

        new("build-base", BuildToolSource.ApkPackage, "^build-base$"),
        new("gcc", BuildToolSource.ApkPackage, "^gcc$"),
        new("g++", BuildToolSource.ApkPackage, @"^g\+\+$"),
        new("clang", BuildToolSource.ApkPackage, @"^clang\d*$"),
        new("make", BuildToolSource.ApkPackage, "^make$"),
        new("cmake", BuildToolSource.ApkPackage, "^cmake$"),
        new("ninja", BuildToolSource.ApkPackage, "^(?:samurai|ninja-build)$"),
        new("go", BuildToolSource.ApkPackage, "^go$"),
        new("rustc", BuildToolSource.ApkPackage, "^rust$"),
        new("cargo", BuildToolSource.ApkPackage, "^cargo$"),
        new("jdk", BuildToolSource.ApkPackage, @"^openjdk\d+-jdk$"),
        new("maven", BuildToolSource.ApkPackage, "^maven$"),
        new("gradle", BuildToolSource.ApkPackage, "^gradle$"),
        new("dotnet-sdk", BuildToolSource.ApkPackage, @"^dotnet\d+-sdk$"),
        new("binutils", BuildToolSource.ApkPackage, "^binutils$"),
        new("dev headers", BuildToolSource.ApkPackage, "(?:-dev|^linux-headers)$"),
    ];

    public static BuildToolDetector Default { get; } = new(DefaultRules);

    /// <summary>
    /// One <see cref="BuildTool"/> per tool name, sorted by name, evidence listing paths first, then packages. A
    /// tool's layer is the lowest layer among its evidence, the one that first brought the tool in: a path's
    /// <see cref="ImageFile.Layer"/>, and for packages what <paramref name="packageLayer"/> says.
    /// </summary>
    /// <param name="packageLayer">The layer that installed a package, null when unknown; packages give no layer without it.</param>
    public IReadOnlyList<BuildTool> Detect(IEnumerable<ImageFile> files, IEnumerable<InstalledPackage> packages, Func<InstalledPackage, int?>? packageLayer = null)
    {
        var found = new Dictionary<string, Evidence>(StringComparer.Ordinal);
        Evidence For(string tool) => found.TryGetValue(tool, out var e) ? e : found[tool] = new Evidence();

        foreach (var file in files)
        {
            var binaryName = IsBinary(file) ? file.Path[(file.Path.LastIndexOf('/') + 1)..] : null;
            foreach (var (rule, pattern) in _rules)
            {
                if (rule.Source == BuildToolSource.BinaryName && binaryName is not null && pattern.IsMatch(binaryName))
                {
                    For(rule.Tool).AddPath(file.Path, file.Layer);
                }
                else if (rule.Source == BuildToolSource.Path && pattern.Match(file.Path) is { Success: true } match)
                {
                    var evidence = match.Groups["evidence"];
                    For(rule.Tool).AddPath(evidence.Success ? evidence.Value : file.Path, file.Layer);
                }
            }
        }

        foreach (var package in packages)
        {
            BuildToolSource? source = package.Manager switch
            {
                PackageManager.Dpkg => BuildToolSource.DpkgPackage,
                PackageManager.Apk => BuildToolSource.ApkPackage,
                // Python distributions are libraries; a compiler pip installs shows up by its binary.
                _ => null,
            };
            foreach (var (rule, pattern) in _rules)
            {
                if (rule.Source == source && pattern.IsMatch(package.Name))
                {
                    For(rule.Tool).AddPackage(package, packageLayer?.Invoke(package));
                }
            }
        }

        return
        [
            .. found
                .OrderBy(f => f.Key, StringComparer.Ordinal)
                .Select(f => new BuildTool(f.Key, f.Value.Describe(), f.Value.Layer)),
        ];
    }

    private static bool IsBinary(ImageFile file)
    {
        if (file.Kind is not (FileKind.File or FileKind.HardLink or FileKind.Symlink))
        {
            return false;
        }

        var nameStart = file.Path.LastIndexOf('/');
        if (nameStart <= 0)
        {
            return false;
        }

        var directoryStart = file.Path.LastIndexOf('/', nameStart - 1) + 1;
        return file.Path.AsSpan(directoryStart, nameStart - directoryStart) is "bin" or "sbin";
    }

    private sealed class Evidence
    {
        public SortedSet<string> Paths { get; } = new(StringComparer.Ordinal);

        public HashSet<InstalledPackage> Packages { get; } = [];

        /// <summary>The lowest layer of any evidence, null while none is known.</summary>
        public int? Layer { get; private set; }

        public void AddPath(string path, int layer)
        {
            Paths.Add(path);
            SeenIn(layer);
        }

        public void AddPackage(InstalledPackage package, int? layer)
        {
            Packages.Add(package);
            SeenIn(layer);
        }

        private void SeenIn(int? layer)
        {
            if (layer < (Layer ?? int.MaxValue))
            {
                Layer = layer;
            }
        }

        /// <summary>"/usr/bin/gcc, /usr/bin/gcc-12 (dpkg gcc 4:12.2.0-3, gcc-12 12.2.0-14)"; long package lists become a count and the first names.</summary>
        public string Describe()
        {
            var packages = string.Join("; ", Packages
                .GroupBy(p => p.Manager)
                .OrderBy(g => g.Key)
                .Select(g => DescribePackages(g.Key, [.. g.OrderBy(p => p.Name, StringComparer.Ordinal)])));
            var paths = Paths.Count > 0 ? Listed(Paths) : "";
            return (paths, packages) switch
            {
                ("", _) => packages,
                (_, "") => paths,
                _ => $"{paths} ({packages})",
            };
        }

        private static string DescribePackages(PackageManager manager, IReadOnlyList<InstalledPackage> packages)
        {
            var name = manager.ToString().ToLowerInvariant();
            return packages.Count <= ListedPerKind
                ? $"{name} {string.Join(", ", packages.Select(p => p.Version.Length > 0 ? $"{p.Name} {p.Version}" : p.Name))}"
                : $"{packages.Count} {name} packages: {Listed(packages.Select(p => p.Name).ToList())}";
        }

        private static string Listed(IReadOnlyCollection<string> items)
        {
            var shown = string.Join(", ", items.Take(ListedPerKind));
            return items.Count > ListedPerKind ? $"{shown}, +{items.Count - ListedPerKind} more" : shown;
        }
    }
}
