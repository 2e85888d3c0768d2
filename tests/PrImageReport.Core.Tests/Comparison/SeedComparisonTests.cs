using PrImageReport.Core.Comparison;
using PrImageReport.Core.Images;
using static PrImageReport.Core.Tests.Comparison.SeedFacts;

namespace PrImageReport.Core.Tests.Comparison;

/// <summary>Cause, evidence and fix of the seed regression and its reverse, as the comparer states them.</summary>
public class SeedComparisonTests
{
    [Fact]
    public void Regression_findings_name_the_line_that_caused_them()
    {
        var result = ImageComparer.Compare("Dockerfile", ".", SlimSide(), FatSide(), RuleOptions.Default);

        Assert.Equal(
            [
                ("build-tools-in-final-image", (int?)3),
                ("fat-base-image", 3),
                ("image-size-increase", 3),
                ("multi-stage-dropped", 3),
                ("layer-count-increase", 7),
            ],
            result.Findings.Select(f => (f.Rule, f.Line)));
        var size = Single(result, "image-size-increase");
        Assert.Contains("The largest change is the base image (FROM python:3.11-slim -> FROM python:3.11, line 3): +352.0 MB.", size.Message, StringComparison.Ordinal);
        var tools = Single(result, "build-tools-in-final-image");
        Assert.StartsWith("The head image ships build tools the base image did not. The base image (FROM python:3.11, line 3) brought build-essential (dpkg: build-essential 12.9), gcc (/usr/bin/gcc)", tools.Message, StringComparison.Ordinal);
        Assert.StartsWith("They come with the base image (FROM python:3.11)", tools.Fix, StringComparison.Ordinal);
        Assert.Contains("New: \"COPY requirements.txt .\" (line 7)", Single(result, "layer-count-increase").Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Multi_stage_dropped_points_at_the_base_builder_stage_and_shows_the_change_that_restores_it()
    {
        var dropped = Single(ImageComparer.Compare("Dockerfile", ".", SlimSide(), FatSide(), RuleOptions.Default), "multi-stage-dropped");

        Assert.Contains("The base's Dockerfile has the builder stage (builder at line 3).", dropped.Message, StringComparison.Ordinal);
        Assert.Equal(
            """
            +FROM python:3.11-slim AS builder
            +WORKDIR /app
            +COPY requirements.txt .
            +RUN python3 -m venv /opt/venv && /opt/venv/bin/pip install --no-cache-dir --no-index -r requirements.txt
            +COPY app.py .
            +RUN /opt/venv/bin/python3 -m compileall -q app.py
            +
            -FROM python:3.11
            +FROM python:3.11-slim
            +COPY --from=builder /opt/venv /opt/venv
            +COPY --from=builder /app /app
            """.ReplaceLineEndings("\n"),
            dropped.Suggestion);
    }

    [Fact]
    public void Fat_base_fix_names_the_slim_counterpart_with_its_measured_saving_when_both_are_local()
    {
        var sizes = new Dictionary<string, long> { ["python:3.11"] = 569_397_760, ["python:3.11-slim"] = 217_050_112 };

        var fat = Single(ImageComparer.Compare("Dockerfile", ".", SlimSide(), FatSide(), RuleOptions.Default, sizes), "fat-base-image");

        Assert.EndsWith("Measured on this engine: python:3.11-slim is 217.1 MB against 569.4 MB for python:3.11, -352.3 MB (-61.9%).", fat.Fix, StringComparison.Ordinal);
        Assert.Equal("-FROM python:3.11\n+FROM python:3.11-slim", fat.Suggestion);
    }

    [Fact]
    public void Fat_base_fix_without_the_counterpart_on_the_engine_is_not_measured()
    {
        var sizes = new Dictionary<string, long> { ["python:3.11"] = 569_397_760 };

        var fat = Single(ImageComparer.Compare("Dockerfile", ".", SlimSide(), FatSide(), RuleOptions.Default, sizes), "fat-base-image");

        Assert.DoesNotContain("Measured", fat.Fix, StringComparison.Ordinal);
        Assert.StartsWith("Use python:3.11-slim", fat.Fix, StringComparison.Ordinal);
    }

    [Fact]
    public void Evidence_pairs_layers_diffs_packages_and_ties_wasted_files_to_instructions()
    {
        var evidence = ImageComparer.Compare("Dockerfile", ".", SlimSide(), FatSide(), RuleOptions.Default).Evidence;

        Assert.Equal(
            [
                ("FROM python:3.11-slim -> FROM python:3.11", LayerChangeKind.Changed),
                ("WORKDIR /app", LayerChangeKind.Unchanged),
                ("COPY requirements.txt .", LayerChangeKind.Added),
                ("RUN python3 -m venv /opt/venv", LayerChangeKind.Added),
                ("RUN pip install --no-cache-dir --no-index -r requirements.txt", LayerChangeKind.Added),
                ("COPY . .", LayerChangeKind.Added),
                ("RUN chmod +x /app/entrypoint.sh", LayerChangeKind.Added),
                ("RUN useradd --system --create-home --uid 10001 school && mkdir /data && chown school /data", LayerChangeKind.Removed),
                ("COPY --from=builder /opt/venv /opt/venv", LayerChangeKind.Removed),
                ("COPY --from=builder /app /app", LayerChangeKind.Removed),
                ("COPY entrypoint.sh /app/entrypoint.sh", LayerChangeKind.Removed),
            ],
            evidence.Layers.Select(l => (l.Instruction, l.Kind)));
        Assert.Equal(5, evidence.Packages.Count);
        Assert.Equal(0, evidence.BaseWasted!.WastedBytes);
        var wasted = Assert.Single(evidence.HeadWastedFiles);
        Assert.Equal(("/app/entrypoint.sh", "COPY . .", "RUN chmod +x /app/entrypoint.sh", (int?)16), (wasted.Path, wasted.WrittenBy?.Instruction, wasted.RemovedBy?.Instruction, wasted.RemovedBy?.Line));
    }

    [Fact]
    public void Improvement_findings_point_at_the_head_lines_of_the_reverse_change()
    {
        var result = ImageComparer.Compare("Dockerfile", ".", FatSide("main"), SlimSide("feature"), RuleOptions.Default);

        Assert.Equal(Verdict.Pass, result.Verdict);
        Assert.Equal(13, Single(result, "image-size-decrease").Line);
        Assert.Equal(13, Single(result, "multi-stage-adopted").Line);
    }

    [Theory]
    [InlineData(0, 10_000_000, null)]
    [InlineData(0, 10_000_001, "wasted-space")]
    [InlineData(5_000_000, 15_000_000, null)]
    [InlineData(5_000_000, 15_000_001, "wasted-space")]
    public void Wasted_space_warns_when_the_head_wastes_noticeably_more(long baseWasted, long headWasted, string? expected)
    {
        var baseSide = SlimSide() with { Image = SlimImage() with { Wasted = new WastedSpace(baseWasted, 300_000_000, []) } };
        var headSide = SlimSide("feature") with { Image = SlimImage() with { Wasted = new WastedSpace(headWasted, 300_000_000, []) } };

        var result = ImageComparer.Compare("Dockerfile", ".", baseSide, headSide, RuleOptions.Default);

        Assert.Equal(expected, result.Findings.SingleOrDefault(f => f.Rule == "wasted-space")?.Rule);
        Assert.All(result.Findings, f => Assert.Equal(Severity.Warning, f.Severity));
    }

    [Fact]
    public void Wasted_space_is_not_noticeable_in_a_huge_image_below_the_percentage()
    {
        var huge = SlimImage() with { SizeBytes = 5_000_000_000 };
        var baseSide = SlimSide() with { Image = huge };
        var headSide = SlimSide("feature") with { Image = huge with { Wasted = new WastedSpace(90_000_000, 5_000_000_000, []) } };

        var result = ImageComparer.Compare("Dockerfile", ".", baseSide, headSide, RuleOptions.Default);

        Assert.DoesNotContain(result.Findings, f => f.Rule == "wasted-space");
    }

    [Fact]
    public void Wasted_space_names_the_file_and_the_instructions_that_wrote_and_deleted_it()
    {
        var dockerfile = LayerAttributionTests.Resolve("FROM debian:bookworm-slim\nRUN dd if=/dev/zero of=/tmp/blob bs=1M count=30\nRUN rm /tmp/blob\n");
        var image = LayerAttributionTests.Image(("(base image)", 74_000_000, false), ("RUN dd if=/dev/zero of=/tmp/blob bs=1M count=30", 31_457_280, false), ("RUN rm /tmp/blob", 0, false)) with
        {
            Wasted = new WastedSpace(31_457_280, 105_457_280, [new WastedFile("/tmp/blob", 31_457_280, 1, 2, Deleted: true)]),
        };
        var baseImage = LayerAttributionTests.Image(("(base image)", 74_000_000, false));

        var result = ImageComparer.Compare(
            "Dockerfile", ".",
            new SideFacts("main", LayerAttributionTests.Resolve("FROM debian:bookworm-slim\n"), baseImage, null),
            new SideFacts("feature", dockerfile, image, null),
            RuleOptions.Default);

        var wasted = Single(result, "wasted-space");
        Assert.Equal(Severity.Warning, wasted.Severity);
        Assert.Equal(3, wasted.Line);
        Assert.Contains("ships 31.5 MB it cannot use (efficiency 70.2%), the base image 0 B (100.0%)", wasted.Message, StringComparison.Ordinal);
        Assert.Contains("Largest: /tmp/blob (31.5 MB), written by \"RUN dd if=/dev/zero of=/tmp/blob bs=1M count=30\" (line 2) and deleted by \"RUN rm /tmp/blob\" (line 3).", wasted.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Tools_copied_into_the_final_stage_are_blamed_on_the_copy_with_a_suggestion_to_remove_it()
    {
        var baseFile = LayerAttributionTests.Resolve("FROM python:3.11 AS builder\nRUN make\nFROM python:3.11-slim\nCOPY --from=builder /app /app\n");
        var headFile = LayerAttributionTests.Resolve("FROM python:3.11 AS builder\nRUN make\nFROM python:3.11-slim\nCOPY --from=builder /app /app\nCOPY --from=builder /usr/bin/gcc-12 /usr/bin/gcc\n");
        var baseImage = LayerAttributionTests.Image(("(base image)", 217_000_000, false), ("COPY ... /app", 10_000, false));
        var headImage = LayerAttributionTests.Image(("(base image)", 217_000_000, false), ("COPY ... /app", 10_000, false), ("COPY ... /usr/bin/gcc", 1_500_000, false)) with
        {
            BuildTools = [new BuildTool("gcc", "/usr/bin/gcc", 2)],
        };

        var result = ImageComparer.Compare("Dockerfile", ".", new SideFacts("main", baseFile, baseImage, null), new SideFacts("feature", headFile, headImage, null), RuleOptions.Default);

        var tools = Single(result, "build-tools-in-final-image");
        Assert.Equal((Severity.Error, (int?)5), (tools.Severity, tools.Line));
        Assert.Contains("\"COPY --from=builder /usr/bin/gcc-12 /usr/bin/gcc\" (line 5) brought gcc (/usr/bin/gcc).", tools.Message, StringComparison.Ordinal);
        Assert.StartsWith("Line 5 copies the toolchain into the final image", tools.Fix, StringComparison.Ordinal);
        Assert.Equal("-COPY --from=builder /usr/bin/gcc-12 /usr/bin/gcc", tools.Suggestion);
        var added = Assert.Single(result.Evidence.Layers, l => l.Kind == LayerChangeKind.Added);
        Assert.Equal(("COPY --from=builder /usr/bin/gcc-12 /usr/bin/gcc", (int?)5, (long?)1_500_000L), (added.Instruction, added.HeadLine, added.HeadBytes));
    }

    private static Finding Single(ImageComparison result, string rule) => Assert.Single(result.Findings, f => f.Rule == rule);
}
