using PrImageReport.Core.Comparison;
using PrImageReport.Core.Dockerfiles;
using PrImageReport.Core.Images;

namespace PrImageReport.Core.Tests.Comparison;

/// <summary>
/// The seed scenario as facts: a multi-stage build on python:3.11-slim (about 121 MB) and the same app as a
/// single stage on python:3.11 with build-essential (about 412 MB).
/// </summary>
internal static class SampleFacts
{
    public const string SlimBase = "python:3.11-slim";
    public const string FatBase = "python:3.11";

    public static DockerfileFacts MultiStage(string path = "Dockerfile")
    {
        var builder = new StageSummary(0, "builder", SlimBase, 1);
        var runtime = new StageSummary(1, "runtime", SlimBase, 7);
        return new DockerfileFacts(path, [builder, runtime], runtime, [builder, runtime], SlimBase, 7, null);
    }

    public static DockerfileFacts SingleStage(string baseImage = FatBase, string path = "Dockerfile")
    {
        var only = new StageSummary(0, null, baseImage, 1);
        return new DockerfileFacts(path, [only], only, [only], baseImage, 1, null);
    }

    public static ImageFacts SlimImage(string reference = "pr-image-report/base:main") => Image(
        reference,
        "sha256:1b2c3d4e5f60718293a4b5c6d7e8f90112233445566778899aabbccddeeff001",
        [
            Layer("ADD file:7c1f0e2d in /", 112_400_000),
            Layer("WORKDIR /app", 0, isEmpty: true),
            Layer("COPY --from=builder /venv /venv", 8_540_000),
            Layer("COPY app.py .", 4_000),
            Layer("CMD [\"/venv/bin/python\", \"app.py\"]", 0, isEmpty: true),
        ],
        []);

    public static ImageFacts FatImage(string reference = "pr-image-report/head:feature") => Image(
        reference,
        "sha256:9f8e7d6c5b4a39281706f5e4d3c2b1a0ffeeddccbbaa99887766554433221100",
        [
            Layer("ADD file:5d2a9b1c in /", 390_100_000),
            Layer("WORKDIR /app", 0, isEmpty: true),
            Layer("COPY requirements.txt .", 120),
            Layer("RUN python3 -m venv /venv && /venv/bin/pip install -r requirements.txt", 21_800_000),
            Layer("COPY app.py .", 4_000),
            Layer("CMD [\"/venv/bin/python\", \"app.py\"]", 0, isEmpty: true),
        ],
        FatTools);

    public static IReadOnlyList<BuildTool> FatTools { get; } =
    [
        new("build-essential", "dpkg: build-essential 12.9"),
        new("gcc", "/usr/bin/gcc"),
        new("g++", "/usr/bin/g++"),
        new("make", "/usr/bin/make"),
        new("git", "/usr/bin/git"),
    ];

    public static SideFacts SlimSide(string gitRef = "main") => new(gitRef, MultiStage(), SlimImage(), null);

    public static SideFacts FatSide(string gitRef = "feature") => new(gitRef, SingleStage(), FatImage(), null);

    public static BuildFailure PipFailure { get; } = new(
        "RUN python3 -m venv /venv && /venv/bin/pip install -r requirements.txt",
        "process \"/bin/sh -c python3 -m venv /venv && /venv/bin/pip install -r requirements.txt\" did not complete successfully: exit code: 1",
        [
            "#8 [4/5] RUN python3 -m venv /venv && /venv/bin/pip install -r requirements.txt",
            "#8 3.112 Collecting flask==9.9 (from -r requirements.txt (line 1))",
            "#8 3.845 ERROR: Could not find a version that satisfies the requirement flask==9.9 (from versions: none)",
            "#8 3.846 ERROR: No matching distribution found for flask==9.9",
            "#8 ERROR: process \"/bin/sh -c python3 -m venv /venv && /venv/bin/pip install -r requirements.txt\" did not complete successfully: exit code: 1",
        ],
        4);

    public static ImageFacts Image(string reference, string id, IReadOnlyList<LayerFact> layers, IReadOnlyList<BuildTool> tools) =>
        new(reference, id, layers.Sum(l => l.SizeBytes), layers, tools);

    /// <summary>An image of a given size and layer count, for threshold tests.</summary>
    public static ImageFacts Sized(long sizeBytes, int layerCount = 1, IReadOnlyList<BuildTool>? tools = null) =>
        new("img", "sha256:00", sizeBytes,
            Enumerable.Range(0, layerCount).Select(i => Layer($"RUN step {i}", i == 0 ? sizeBytes : 0)).ToList(),
            tools ?? []);

    /// <summary>A history entry as the classic builder records it: RUN as its shell command, the rest as "#(nop)".</summary>
    public static LayerFact Layer(string instruction, long sizeBytes, bool isEmpty = false) =>
        new(instruction.StartsWith("RUN ", StringComparison.Ordinal) ? "/bin/sh -c " + instruction[4..] : $"/bin/sh -c #(nop) {instruction}", instruction, sizeBytes, isEmpty);

    public static ImageComparison Compare(SideFacts? baseSide, SideFacts? headSide, RuleOptions? options = null) =>
        ImageComparer.Compare("Dockerfile", ".", baseSide, headSide, options ?? RuleOptions.Default);
}
