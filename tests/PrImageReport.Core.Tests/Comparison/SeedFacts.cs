using System.Runtime.CompilerServices;
using PrImageReport.Core.Comparison;
using PrImageReport.Core.Dockerfiles;
using PrImageReport.Core.Images;

namespace PrImageReport.Core.Tests.Comparison;

/// <summary>
/// The seed articles' scenario as the tool measures it on the bundled example (examples/school-api): the
/// multi-stage Dockerfile on python:3.11-slim and the single-stage one on python:3.11, with the classic
/// builder's history, archive layer indexes, packages and wasted space of the real stand-in images.
/// </summary>
internal static class SeedFacts
{
    public static DockerfileFacts MultiStage() => Resolve(Example("Dockerfile"));

    public static DockerfileFacts SingleStage() => Resolve(Example("Dockerfile.single-stage"));

    /// <summary>The multi-stage image: the slim base as one imported layer, then the final stage's steps.</summary>
    public static ImageFacts SlimImage() => Image(
        "pr-image-report-seed:base-0",
        "sha256:2c5d1f0e9b8a7c6d5e4f3a2b1c0d9e8f7a6b5c4d3e2f1a0b9c8d7e6f5a4b3c2d",
        [
            ("", 217_000_000, false),
            ("RUN useradd --system --create-home --uid 10001 school && mkdir /data && chown school /data", 330_000, false),
            ("COPY ... /opt/venv", 19_500_000, false),
            ("WORKDIR /app", 0, false),
            ("COPY ... /app", 9_000, false),
            ("COPY ... /app/entrypoint.sh", 1_200, false),
            ("ENV PATH=/opt/venv/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin SCHOOL_DB=/data/school.db PORT=5000", 0, true),
            ("USER school", 0, true),
            ("EXPOSE 5000", 0, true),
            ("ENTRYPOINT [\"/app/entrypoint.sh\"]", 0, true),
        ],
        [],
        Packages(fat: false),
        new WastedSpace(0, 236_840_200, []));

    /// <summary>The single-stage image: the fat base, a venv and pip install in the final image, and a chmod that copies entrypoint.sh again.</summary>
    public static ImageFacts FatImage() => Image(
        "pr-image-report-seed:head-0",
        "sha256:8e7f6a5b4c3d2e1f0a9b8c7d6e5f4a3b2c1d0e9f8a7b6c5d4e3f2a1b0c9d8e7f",
        [
            ("", 569_000_000, false),
            ("WORKDIR /app", 0, false),
            ("COPY ... .", 120, false),
            ("RUN python3 -m venv /opt/venv", 14_200_000, false),
            ("ENV PATH=/opt/venv/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin", 0, true),
            ("RUN pip install --no-cache-dir --no-index -r requirements.txt", 5_300_000, false),
            ("COPY ... .", 15_000, false),
            ("RUN chmod +x /app/entrypoint.sh", 1_200, false),
            ("ENV SCHOOL_DB=/app/school.db PORT=5000", 0, true),
            ("EXPOSE 5000", 0, true),
            ("ENTRYPOINT [\"/app/entrypoint.sh\"]", 0, true),
        ],
        [
            new("build-essential", "dpkg: build-essential 12.9", 0),
            new("gcc", "/usr/bin/gcc", 0),
            new("g++", "/usr/bin/g++", 0),
            new("make", "/usr/bin/make", 0),
            new("git", "/usr/bin/git", 0),
        ],
        Packages(fat: true),
        new WastedSpace(1_200, 588_516_320, [new WastedFile("/app/entrypoint.sh", 1_200, 5, 6, Deleted: false)]));

    public static SideFacts SlimSide(string gitRef = "main") => new(gitRef, MultiStage(), SlimImage(), null);

    public static SideFacts FatSide(string gitRef = "feature") => new(gitRef, SingleStage(), FatImage(), null);

    private static IReadOnlyList<InstalledPackage> Packages(bool fat)
    {
        List<InstalledPackage> packages =
        [
            new(PackageManager.Dpkg, "libpython3.11-stdlib", "3.11.2-6+deb12u5", 8_192_000),
            new(PackageManager.Dpkg, "python3.11", "3.11.2-6+deb12u5", 2_150_400),
            new(PackageManager.Python, "Flask", "3.0.3", 370_000),
            new(PackageManager.Python, "Werkzeug", "3.0.4", 1_050_000),
        ];
        if (fat)
        {
            packages.AddRange(
            [
                new(PackageManager.Dpkg, "build-essential", "12.9", 20_480),
                new(PackageManager.Dpkg, "g++-12", "12.2.0-14", 36_864_000),
                new(PackageManager.Dpkg, "gcc-12", "12.2.0-14", 70_656_000),
                new(PackageManager.Dpkg, "git", "1:2.39.5-0+deb12u2", 40_034_304),
                new(PackageManager.Dpkg, "libpython3.11-dev", "3.11.2-6+deb12u5", 21_504_000),
            ]);
        }

        return [.. packages.OrderBy(p => p.Manager).ThenBy(p => p.Name, StringComparer.Ordinal)];
    }

    /// <summary>History bottom first; each step that made a layer gets the next archive layer index.</summary>
    private static ImageFacts Image(
        string reference,
        string id,
        IReadOnlyList<(string Instruction, long Size, bool IsEmpty)> steps,
        IReadOnlyList<BuildTool> tools,
        IReadOnlyList<InstalledPackage> packages,
        WastedSpace wasted)
    {
        var archive = 0;
        var layers = steps
            .Select(s => new LayerFact(
                s.Instruction.Length == 0 ? "" : "/bin/sh -c " + s.Instruction,
                s.Instruction.Length == 0 ? "(base image)" : s.Instruction,
                s.Size,
                s.IsEmpty,
                s.IsEmpty ? null : archive++))
            .ToList();
        return new ImageFacts(reference, id, layers.Sum(l => l.SizeBytes), layers, tools) { Packages = packages, Wasted = wasted };
    }

    private static DockerfileFacts Resolve(string text) =>
        DockerfileResolver.Resolve(DockerfileParser.Parse(text, "Dockerfile"), null, new Dictionary<string, string>());

    /// <summary>The bundled example's Dockerfile, read from the source tree so the facts follow the file.</summary>
    private static string Example(string name, [CallerFilePath] string here = "") =>
        File.ReadAllText(Path.Combine(Path.GetDirectoryName(here)!, "..", "..", "..", "examples", "school-api", name));
}
