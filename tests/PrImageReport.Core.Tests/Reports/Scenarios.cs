using System.Globalization;
using System.Runtime.CompilerServices;
using PrImageReport.Core.Comparison;
using PrImageReport.Core.Dockerfiles;
using PrImageReport.Core.Images;
using static PrImageReport.Core.Tests.Comparison.SampleFacts;

namespace PrImageReport.Core.Tests.Reports;

/// <summary>
/// The reports the golden files are made from. The regression and the improvement are the seed articles' School API:
/// a multi-stage build on python:3.11-slim (wheels built in a builder stage, installed through a bind mount) and its
/// single-stage rewrite on python:3.11 that installs gcc and libpq-dev, pip installs with its cache and deletes the
/// cache in a later RUN. The evidence is set here, so the golden files test rendering, not the comparer.
/// </summary>
internal static class Scenarios
{
    private const string MultiStageText = """
        FROM python:3.11-slim AS builder
        RUN apt-get update && apt-get install -y --no-install-recommends build-essential libpq-dev
        COPY requirements.txt .
        RUN pip wheel --no-cache-dir --wheel-dir /wheels -r requirements.txt

        FROM python:3.11-slim AS runtime
        RUN apt-get update && apt-get install -y --no-install-recommends libpq5 && rm -rf /var/lib/apt/lists/*
        WORKDIR /app
        COPY requirements.txt .
        RUN --mount=type=bind,from=builder,source=/wheels,target=/wheels pip install --no-cache-dir --no-index --find-links=/wheels -r requirements.txt
        COPY . .
        CMD ["gunicorn", "--bind", "0.0.0.0:8000", "school.wsgi:application"]
        """;

    private const string SingleStageText = """
        FROM python:3.11
        RUN apt-get update && apt-get install -y gcc libpq-dev
        WORKDIR /app
        COPY requirements.txt .
        RUN pip install -r requirements.txt
        COPY . .
        RUN rm -rf /root/.cache/pip
        CMD ["gunicorn", "--bind", "0.0.0.0:8000", "school.wsgi:application"]
        """;

    private const string Cmd = "CMD [\"gunicorn\", \"--bind\", \"0.0.0.0:8000\", \"school.wsgi:application\"]";

    private const string MultiStagePip =
        "RUN --mount=type=bind,from=builder,source=/wheels,target=/wheels pip install --no-cache-dir --no-index --find-links=/wheels -r requirements.txt";

    /// <summary>Layer rows of both images: the multi-stage (slim) side, then the single-stage (fat) side.</summary>
    private static readonly SeedLayer[] SeedLayers =
    [
        new(LayerOrigin.BaseImage, "FROM python:3.11-slim", 6, 216_974_412, "FROM python:3.11", 1, 569_021_833),
        new(LayerOrigin.Dockerfile, null, null, null, "RUN apt-get update && apt-get install -y gcc libpq-dev", 2, 41_287_104),
        new(LayerOrigin.Dockerfile, "RUN apt-get update && apt-get install -y --no-install-recommends libpq5 && rm -rf /var/lib/apt/lists/*", 7, 3_612_209, null, null, null),
        new(LayerOrigin.Dockerfile, "COPY requirements.txt .", 9, 214, "COPY requirements.txt .", 4, 214),
        new(LayerOrigin.Dockerfile, MultiStagePip, 10, 48_208_776, "RUN pip install -r requirements.txt", 5, 112_416_530),
        new(LayerOrigin.Dockerfile, "COPY . .", 11, 1_874_220, "COPY . .", 6, 1_874_388),
        new(LayerOrigin.Dockerfile, null, null, null, "RUN rm -rf /root/.cache/pip", 7, 0),
    ];

    /// <summary>Docker 20.10 on overlay2 with the classic builder, as `docker save` exports it: uncompressed layers.</summary>
    public static ImageOrigin Lane1Classic { get; } = new("Docker 20.10.24+dfsg1", "overlay2", "classic");

    /// <summary>Docker 28.5 on the containerd store with BuildKit: gzip blobs, so the compressed sizes are known.</summary>
    public static ImageOrigin Lane2BuildKit { get; } = new("Docker 28.5.2+dfsg4", "containerd (overlayfs)", "BuildKit");

    public static ComparisonReport Regression()
    {
        var comparison = Compare(On(SeedSlimSide("main"), Lane1Classic), On(SeedFatSide("feature"), Lane1Classic)) with { Evidence = SeedEvidence(slimIsHead: false) };
        return new([WithSuggestions(comparison, new Dictionary<string, string>
        {
            ["fat-base-image"] = "-FROM python:3.11\n+FROM python:3.11-slim",
            ["multi-stage-dropped"] = """
                +FROM python:3.11-slim AS builder
                +RUN apt-get update && apt-get install -y --no-install-recommends build-essential libpq-dev
                +COPY requirements.txt .
                +RUN pip wheel --no-cache-dir --wheel-dir /wheels -r requirements.txt
                +
                -FROM python:3.11
                +FROM python:3.11-slim AS runtime
                """,
            ["build-tools-in-final-image"] = "-RUN apt-get update && apt-get install -y gcc libpq-dev",
        })]);
    }

    /// <summary>The base built on lane 1's engine, the head on lane 2's, whose export knows the compressed sizes.</summary>
    public static ComparisonReport Improvement()
    {
        var head = On(SeedSlimSide("feature"), Lane2BuildKit);
        head = head with { Image = head.Image! with { CompressedBytes = Compressed(head.Image.SizeBytes) } };
        var evidence = SeedEvidence(slimIsHead: true);
        evidence = evidence with { Layers = [.. evidence.Layers.Select(l => l with { HeadCompressedBytes = l.HeadBytes is { } h ? Compressed(h) : null })] };
        return new([Compare(On(SeedFatSide("main"), Lane1Classic), head) with { Evidence = evidence }]);
    }

    private static SideFacts On(SideFacts side, ImageOrigin origin) => side with { Image = side.Image! with { Origin = origin } };

    /// <summary>A stand-in for gzip's ratio on these layers: 37 % of the files' bytes.</summary>
    private static long Compressed(long bytes) => bytes * 37 / 100;

    public static ComparisonReport FailedBuild() =>
        new([Compare(SlimSide(), new SideFacts("feature", MultiStage(), null, PipFailure))]);

    public static ComparisonReport AddedImage() =>
        new([ImageComparer.Compare(
            "worker/Dockerfile",
            "worker",
            null,
            new SideFacts("feature", MultiStage("worker/Dockerfile"), SlimImage("pr-image-report/head:feature-worker"), null),
            RuleOptions.Default)]);

    public static TheoryData<string> Names => ["regression", "improvement", "failed-build", "added-image"];

    public static ComparisonReport ByName(string name) => name switch
    {
        "regression" => Regression(),
        "improvement" => Improvement(),
        "failed-build" => FailedBuild(),
        "added-image" => AddedImage(),
        _ => throw new ArgumentOutOfRangeException(nameof(name), name, "No such scenario."),
    };

    /// <summary>The multi-stage side: FROM ... AS builder at line 1, FROM python:3.11-slim AS runtime at line 6.</summary>
    public static SideFacts SeedSlimSide(string gitRef)
    {
        var history = History(SlimBaseLayers, SideLayers(slim: true));
        var image = new ImageFacts(
            "pr-image-report-3f2a:base-0",
            "sha256:5d0c6e1b7a4f3e2d9c8b1a0f6e5d4c3b2a1f0e9d8c7b6a5f4e3d2c1b0a9f8e7d",
            history.Sum(l => l.SizeBytes),
            history,
            [])
        {
            Packages = [.. ReadDpkg("python-3.11-slim.dpkg.tsv"), LibPq5, .. PythonPackages(slim: true)],
            Wasted = Wasted(SlimWasted, SlimWastedFiles()),
        };
        return new SideFacts(gitRef, Resolve(MultiStageText), image, null);
    }

    /// <summary>The single-stage side on python:3.11, whose toolchain ships in the final image.</summary>
    public static SideFacts SeedFatSide(string gitRef)
    {
        var history = History(FatBaseLayers, SideLayers(slim: false));
        var image = new ImageFacts(
            "pr-image-report-3f2a:head-0",
            "sha256:a8e1f2d3c4b5a6978877665544332211ffeeddccbbaa99887766554433221100",
            history.Sum(l => l.SizeBytes),
            history,
            [
                new("build-essential", "dpkg build-essential 12.9", 3),
                new("gcc", "/usr/bin/gcc", 3),
                new("g++", "/usr/bin/g++", 3),
                new("make", "/usr/bin/make", 3),
                new("dev headers", "dpkg libpq-dev 15.14-0+deb12u1, libssl-dev 3.0.22-1~deb12u2", 7),
            ])
        {
            Packages = [.. ReadDpkg("python-3.11.dpkg.tsv"), LibPq5, .. FatExtraDpkg, .. PythonPackages(slim: false)],
            Wasted = Wasted(FatWasted, FatWastedFiles()),
        };
        return new SideFacts(gitRef, Resolve(SingleStageText), image, null);
    }

    /// <summary>python:3.11-slim as Docker Hub builds it: four layers.</summary>
    private static IReadOnlyList<(string Instruction, long Size, bool IsEmpty)> SlimBaseLayers { get; } =
    [
        ("ADD file:4b1be1de1a1e1f0b in /", 97_128_703, false),
        ("RUN set -eux; apt-get update; apt-get install -y --no-install-recommends ca-certificates netbase tzdata; rm -rf /var/lib/apt/lists/*", 9_204_817, false),
        ("RUN set -eux; wget -O python.tar.xz \"$PYTHON_URL\"; ./configure --enable-optimizations; make -j \"$nproc\"; make install", 110_640_860, false),
        ("RUN set -eux; for src in idle3 pydoc3 python3 python3-config; do ln -svT \"$src\" \"/usr/local/bin/${src%3}\"; done", 32, false),
    ];

    /// <summary>python:3.11 on buildpack-deps: seven layers, the toolchain among them.</summary>
    private static IReadOnlyList<(string Instruction, long Size, bool IsEmpty)> FatBaseLayers { get; } =
    [
        ("ADD file:9d6c5a1f0e2b3c4d in /", 116_539_122, false),
        ("RUN set -eux; apt-get update; apt-get install -y --no-install-recommends ca-certificates curl gnupg netbase wget; rm -rf /var/lib/apt/lists/*", 24_053_448, false),
        ("RUN set -eux; apt-get update; apt-get install -y --no-install-recommends git mercurial openssh-client subversion procps; rm -rf /var/lib/apt/lists/*", 64_011_730, false),
        ("RUN set -ex; apt-get update; apt-get install -y --no-install-recommends autoconf automake bzip2 dpkg-dev file g++ gcc make patch libc6-dev; rm -rf /var/lib/apt/lists/*", 211_032_114, false),
        ("RUN set -eux; apt-get update; apt-get install -y --no-install-recommends libbluetooth-dev tk-dev uuid-dev; rm -rf /var/lib/apt/lists/*", 23_571_340, false),
        ("RUN set -eux; wget -O python.tar.xz \"$PYTHON_URL\"; ./configure --enable-optimizations; make -j \"$nproc\"; make install", 129_814_047, false),
        ("RUN set -eux; for src in idle3 pydoc3 python3 python3-config; do ln -svT \"$src\" \"/usr/local/bin/${src%3}\"; done", 32, false),
    ];

    private static InstalledPackage LibPq5 { get; } = new(PackageManager.Dpkg, "libpq5", "15.14-0+deb12u1", 939_008);

    /// <summary>What the single-stage Dockerfile's apt-get install brings beyond the fat base.</summary>
    private static IReadOnlyList<InstalledPackage> FatExtraDpkg { get; } =
    [
        new(PackageManager.Dpkg, "libpq-dev", "15.14-0+deb12u1", 692_224),
        new(PackageManager.Dpkg, "libssl-dev", "3.0.22-1~deb12u2", 12_719_104),
    ];

    /// <summary>pip, setuptools, wheel and the app's requirements; the fat side compiles psycopg2 with gcc and bumps gunicorn.</summary>
    private static IEnumerable<InstalledPackage> PythonPackages(bool slim)
    {
        (string Name, string Version, long Size)[] shared =
        [
            ("blinker", "1.8.2", 41_806), ("click", "8.1.7", 402_519), ("Flask", "3.0.3", 362_114), ("greenlet", "3.0.3", 1_521_339),
            ("itsdangerous", "2.2.0", 61_403), ("Jinja2", "3.1.4", 791_238), ("MarkupSafe", "2.1.5", 71_530), ("packaging", "24.0", 245_193),
            ("pip", "24.0", 13_254_080), ("setuptools", "65.5.1", 3_517_208), ("SQLAlchemy", "2.0.30", 14_907_120), ("typing_extensions", "4.11.0", 137_422),
            ("Werkzeug", "3.0.3", 1_014_977), ("wheel", "0.43.0", 150_225),
        ];
        (string Name, string Version, long Size)[] own = slim
            ? [("psycopg2-binary", "2.9.9", 8_654_112), ("gunicorn", "21.2.0", 621_410)]
            : [("psycopg2", "2.9.9", 1_462_315), ("gunicorn", "22.0.0", 658_902)];
        return shared.Concat(own).Select(p => new InstalledPackage(PackageManager.Python, p.Name, p.Version, p.Size));
    }

    /// <summary>
    /// The evidence as the comparer gives it: layer rows in head order then base-only rows, package changes largest
    /// first, and each side's wasted space with the head's wasted paths.
    /// </summary>
    private static ImageEvidence SeedEvidence(bool slimIsHead)
    {
        var rows = SeedLayers.Select(l => slimIsHead
            ? new LayerDelta(l.SlimText ?? l.FatText!, l.Origin, l.FatLine, l.SlimLine, l.FatBytes, l.SlimBytes)
            : new LayerDelta(l.FatText ?? l.SlimText!, l.Origin, l.SlimLine, l.FatLine, l.SlimBytes, l.FatBytes)).ToList();
        List<LayerDelta> layers = [.. rows.Where(r => r.HeadLine is not null).OrderBy(r => r.HeadLine), .. rows.Where(r => r.HeadLine is null).OrderBy(r => r.BaseLine)];

        var slim = SeedSlimSide("slim").Image!.Packages;
        var fat = SeedFatSide("fat").Image!.Packages;
        var (before, after) = slimIsHead ? (fat, slim) : (slim, fat);
        var packages = PackageChanges(before, after);

        var slimWasted = SeedSlimSide("slim").Image!.Wasted;
        var fatWasted = SeedFatSide("fat").Image!.Wasted;
        return slimIsHead
            ? new ImageEvidence(layers, packages, fatWasted, slimWasted, SlimWastedFiles())
            : new ImageEvidence(layers, packages, slimWasted, fatWasted, FatWastedFiles());
    }

    private static (long Wasted, long Shipped) SlimWasted => (612_352, 270_669_831);

    private static (long Wasted, long Shipped) FatWasted => (66_104_920, 724_600_069);

    private static WastedSpace Wasted((long Wasted, long Shipped) totals, IReadOnlyList<WastedFileCause> files) =>
        new(totals.Wasted, totals.Shipped, [.. files.Select(f => new WastedFile(f.Path, f.SizeBytes, f.WrittenBy!.ArchiveLayers[^1], f.RemovedBy!.ArchiveLayers[0], f.Deleted))]);

    private static List<PackageChange> PackageChanges(IReadOnlyList<InstalledPackage> before, IReadOnlyList<InstalledPackage> after)
    {
        var old = before.ToDictionary(p => (p.Manager, p.Name));
        var @new = after.ToDictionary(p => (p.Manager, p.Name));
        var added = after.Where(p => !old.ContainsKey((p.Manager, p.Name)))
            .Select(p => new PackageChange(p.Manager, p.Name, null, p.Version, null, p.InstalledSizeBytes));
        var removed = before.Where(p => !@new.ContainsKey((p.Manager, p.Name)))
            .Select(p => new PackageChange(p.Manager, p.Name, p.Version, null, p.InstalledSizeBytes, null));
        var upgraded = after.Where(p => old.TryGetValue((p.Manager, p.Name), out var o) && o.Version != p.Version)
            .Select(p => new PackageChange(p.Manager, p.Name, old[(p.Manager, p.Name)].Version, p.Version, old[(p.Manager, p.Name)].InstalledSizeBytes, p.InstalledSizeBytes));
        return [.. added.Concat(removed).Concat(upgraded).OrderByDescending(c => Math.Abs(c.DeltaBytes)).ThenBy(c => c.Name, StringComparer.Ordinal)];
    }

    /// <summary>The pip cache a later RUN deletes, and files of the base image that apt-get rewrites.</summary>
    private static IReadOnlyList<WastedFileCause> FatWastedFiles()
    {
        var baseImage = new AttributedLayer("FROM python:3.11", LayerOrigin.BaseImage, 1, 569_021_833, [0, 1, 2, 3, 4, 5, 6]);
        var apt = new AttributedLayer("RUN apt-get update && apt-get install -y gcc libpq-dev", LayerOrigin.Dockerfile, 2, 41_287_104, [7]);
        var pip = new AttributedLayer("RUN pip install -r requirements.txt", LayerOrigin.Dockerfile, 5, 112_416_530, [9]);
        var rm = new AttributedLayer("RUN rm -rf /root/.cache/pip", LayerOrigin.Dockerfile, 7, 0, [11]);
        return
        [
            new("/root/.cache/pip", 63_318_422, true, pip, rm),
            new("/var/cache/debconf/templates.dat", 1_692_412, false, baseImage, apt),
            new("/var/log/dpkg.log", 595_972, false, baseImage, apt),
            new("/var/lib/dpkg/status", 498_114, false, baseImage, apt),
        ];
    }

    private static IReadOnlyList<WastedFileCause> SlimWastedFiles()
    {
        var baseImage = new AttributedLayer("FROM python:3.11-slim", LayerOrigin.BaseImage, 6, 216_974_412, [0, 1, 2, 3]);
        var apt = new AttributedLayer(
            "RUN apt-get update && apt-get install -y --no-install-recommends libpq5 && rm -rf /var/lib/apt/lists/*", LayerOrigin.Dockerfile, 7, 3_612_209, [4]);
        return
        [
            new("/var/lib/dpkg/status", 287_310, false, baseImage, apt),
            new("/var/cache/debconf/templates.dat", 212_118, false, baseImage, apt),
            new("/var/log/dpkg.log", 112_924, false, baseImage, apt),
        ];
    }

    /// <summary>The final stage's steps in line order: the layer rows, WORKDIR and CMD (metadata only).</summary>
    private static IEnumerable<(string Instruction, long Size, bool IsEmpty)> SideLayers(bool slim) =>
        SeedLayers
            .Where(l => l.Origin == LayerOrigin.Dockerfile && (slim ? l.SlimText : l.FatText) is not null)
            .Select(l => (Line: (slim ? l.SlimLine : l.FatLine)!.Value, Step: (slim ? l.SlimText : l.FatText)!, Size: (slim ? l.SlimBytes : l.FatBytes)!.Value, IsEmpty: false))
            .Append((Line: slim ? 8 : 3, Step: "WORKDIR /app", Size: 0L, IsEmpty: true))
            .Append((Line: slim ? 12 : 8, Step: Cmd, Size: 0L, IsEmpty: true))
            .OrderBy(l => l.Line)
            .Select(l => (l.Step, l.Size, l.IsEmpty));

    /// <summary>The image history, bottom first, each step that made a layer numbered as the archive numbers its layers.</summary>
    private static IReadOnlyList<LayerFact> History(
        IReadOnlyList<(string Instruction, long Size, bool IsEmpty)> baseImage, IEnumerable<(string Instruction, long Size, bool IsEmpty)> steps)
    {
        var archive = 0;
        return [.. baseImage.Concat(steps).Select(s => new LayerFact(
            s.Instruction.StartsWith("RUN ", StringComparison.Ordinal) ? "RUN /bin/sh -c " + s.Instruction[4..] + " # buildkit" : s.Instruction + " # buildkit",
            s.Instruction,
            s.Size,
            s.IsEmpty,
            s.IsEmpty ? null : archive++))];
    }

    private static DockerfileFacts Resolve(string text) =>
        DockerfileResolver.Resolve(DockerfileParser.Parse(text, "Dockerfile"), null, new Dictionary<string, string>());

    private static ImageComparison WithSuggestions(ImageComparison comparison, IReadOnlyDictionary<string, string> suggestions) =>
        comparison with { Findings = [.. comparison.Findings.Select(f => suggestions.TryGetValue(f.Rule, out var diff) ? f with { Suggestion = diff } : f)] };

    /// <summary>A dpkg package list taken from the stand-in images: name, version and Installed-Size in KiB per line.</summary>
    private static IEnumerable<InstalledPackage> ReadDpkg(string fileName, [CallerFilePath] string callerPath = "") =>
        File.ReadAllLines(Path.Combine(Path.GetDirectoryName(callerPath)!, "TestData", fileName))
            .Select(line => line.Split('\t'))
            .Select(f => new InstalledPackage(PackageManager.Dpkg, f[0], f[1], long.Parse(f[2], CultureInfo.InvariantCulture) * 1024));

    private sealed record SeedLayer(LayerOrigin Origin, string? SlimText, int? SlimLine, long? SlimBytes, string? FatText, int? FatLine, long? FatBytes);
}
