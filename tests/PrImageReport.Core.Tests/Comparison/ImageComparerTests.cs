using PrImageReport.Core.Comparison;
using PrImageReport.Core.Dockerfiles;
using PrImageReport.Core.Images;
using static PrImageReport.Core.Tests.Comparison.SampleFacts;

namespace PrImageReport.Core.Tests.Comparison;

public class ImageComparerTests
{
    [Fact]
    public void Regression_from_slim_multi_stage_to_fat_single_stage_fails()
    {
        var result = Compare(SlimSide(), FatSide());

        Assert.Equal(Verdict.Fail, result.Verdict);
        Assert.Equal(
            [
                ("build-tools-in-final-image", Severity.Error),
                ("fat-base-image", Severity.Error),
                ("image-size-increase", Severity.Error),
                ("multi-stage-dropped", Severity.Error),
                ("layer-count-increase", Severity.Notice),
            ],
            result.Findings.Select(f => (f.Rule, f.Severity)));

        var dropped = Single(result, "multi-stage-dropped");
        Assert.Contains("builder", dropped.Message, StringComparison.Ordinal);
        Assert.Equal("Restore the builder stage (FROM ... AS builder) and COPY --from=builder only the artifacts into the final stage.", dropped.Fix);
        Assert.Equal(1, dropped.Line);

        var fat = Single(result, "fat-base-image");
        Assert.Contains("python:3.11", fat.Message, StringComparison.Ordinal);
        Assert.Contains("python:3.11-slim", fat.Message, StringComparison.Ordinal);
        Assert.StartsWith("Use python:3.11-slim ", fat.Fix, StringComparison.Ordinal);
        Assert.Equal(1, fat.Line);

        var tools = Single(result, "build-tools-in-final-image");
        Assert.Contains("gcc (/usr/bin/gcc)", tools.Message, StringComparison.Ordinal);
        Assert.Contains("build-essential (dpkg: build-essential 12.9)", tools.Message, StringComparison.Ordinal);

        var size = Single(result, "image-size-increase");
        Assert.Contains("from 120.9 MB to 411.9 MB: +291.0 MB (+240.6%)", size.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Improvement_from_fat_single_stage_to_slim_multi_stage_passes()
    {
        var result = Compare(FatSide("main"), SlimSide("feature"));

        Assert.Equal(Verdict.Pass, result.Verdict);
        Assert.Equal(
            ["build-tools-removed", "image-size-decrease", "multi-stage-adopted"],
            result.Findings.Select(f => f.Rule));
        Assert.All(result.Findings, f => Assert.Equal(Severity.Notice, f.Severity));
        Assert.Contains("-291.0 MB (-70.6%)", Single(result, "image-size-decrease").Message, StringComparison.Ordinal);
        Assert.Contains("gcc, g++, make, git", Single(result, "build-tools-removed").Message, StringComparison.Ordinal);
        Assert.Equal(7, Single(result, "multi-stage-adopted").Line);
    }

    [Fact]
    public void Identical_sides_have_no_findings()
    {
        var result = Compare(SlimSide(), SlimSide("feature"));

        Assert.Empty(result.Findings);
        Assert.Equal(Verdict.Pass, result.Verdict);
    }

    [Theory]
    [InlineData(100_000_000, 105_000_000, null)]
    [InlineData(100_000_000, 105_000_001, Severity.Warning)]
    [InlineData(100_000_000, 120_000_000, Severity.Warning)]
    [InlineData(100_000_000, 120_000_001, Severity.Error)]
    [InlineData(1_000_000_000, 1_050_000_000, null)]
    [InlineData(1_000_000_000, 1_050_000_001, Severity.Error)]
    [InlineData(100_000_000, 100_000_000, null)]
    [InlineData(0, 1, Severity.Error)]
    public void Size_increase_thresholds_are_exclusive(long before, long after, Severity? expected)
    {
        var result = Compare(ImageOnly("main", Sized(before)), ImageOnly("feature", Sized(after)));

        var finding = result.Findings.SingleOrDefault(f => f.Rule == "image-size-increase");
        Assert.Equal(expected, finding?.Severity);
        Assert.DoesNotContain(result.Findings, f => f.Rule == "image-size-decrease");
    }

    [Theory]
    [InlineData(100_000_000, 95_000_000, false)]
    [InlineData(100_000_000, 94_999_999, true)]
    public void Size_decrease_is_a_notice_over_the_threshold(long before, long after, bool expected)
    {
        var result = Compare(ImageOnly("main", Sized(before)), ImageOnly("feature", Sized(after)));

        Assert.Equal(expected, result.Findings.Any(f => f.Rule == "image-size-decrease" && f.Severity == Severity.Notice));
        Assert.DoesNotContain(result.Findings, f => f.Rule == "image-size-increase");
    }

    [Fact]
    public void Size_thresholds_come_from_the_options()
    {
        var options = new RuleOptions { SizeIncreaseWarningPercent = 1, SizeIncreaseErrorPercent = 2, SizeIncreaseErrorBytes = long.MaxValue };

        var warning = Compare(ImageOnly("main", Sized(100_000_000)), ImageOnly("feature", Sized(101_500_000)), options);
        var error = Compare(ImageOnly("main", Sized(100_000_000)), ImageOnly("feature", Sized(102_500_000)), options);

        Assert.Equal(Severity.Warning, Single(warning, "image-size-increase").Severity);
        Assert.Equal(Severity.Error, Single(error, "image-size-increase").Severity);
    }

    [Theory]
    [InlineData(3, 3, null)]
    [InlineData(3, 2, null)]
    [InlineData(3, 4, Severity.Notice)]
    [InlineData(3, 8, Severity.Notice)]
    [InlineData(3, 9, Severity.Warning)]
    public void Layer_count_increase_is_a_notice_then_a_warning(int before, int after, Severity? expected)
    {
        var result = Compare(ImageOnly("main", Sized(1_000, before)), ImageOnly("feature", Sized(1_000, after)));

        Assert.Equal(expected, result.Findings.SingleOrDefault(f => f.Rule == "layer-count-increase")?.Severity);
    }

    [Fact]
    public void Layer_count_ignores_metadata_only_history_steps()
    {
        var before = Sized(1_000, 2);
        var after = before with { Layers = [.. before.Layers, Layer("ENV A=1", 0, isEmpty: true), Layer("LABEL b=2", 0, isEmpty: true)] };

        var result = Compare(ImageOnly("main", before), ImageOnly("feature", after));

        Assert.DoesNotContain(result.Findings, f => f.Rule == "layer-count-increase");
    }

    [Fact]
    public void Negative_thresholds_are_rejected_naming_the_option()
    {
        var error = Assert.Throws<ArgumentException>(() => Compare(SlimSide(), SlimSide(), new RuleOptions { LayerIncreaseWarningCount = -1 }));

        Assert.Contains("LayerIncreaseWarningCount", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Multi_stage_dropped_does_not_fire_when_both_are_single_stage()
    {
        var result = Compare(
            new SideFacts("main", SingleStage(SlimBase), SlimImage(), null),
            new SideFacts("feature", SingleStage(SlimBase), SlimImage(), null));

        Assert.DoesNotContain(result.Findings, f => f.Rule.StartsWith("multi-stage", StringComparison.Ordinal));
    }

    [Fact]
    public void Multi_stage_dropped_names_every_builder_stage()
    {
        var deps = new StageSummary(0, "deps", SlimBase, 1);
        var build = new StageSummary(1, null, "deps", 4);
        var final = new StageSummary(2, "final", SlimBase, 9);
        var three = new DockerfileFacts("Dockerfile", [deps, build, final], final, [deps, build, final], SlimBase, 9, null);

        var result = Compare(new SideFacts("main", three, SlimImage(), null), new SideFacts("feature", SingleStage(SlimBase), SlimImage(), null));

        var finding = Single(result, "multi-stage-dropped");
        Assert.Contains("3 stages (deps, stage-1, final), leaving deps, stage-1 out of the final image", finding.Message, StringComparison.Ordinal);
        Assert.StartsWith("Restore the deps stage (FROM ... AS deps) and COPY --from=deps ", finding.Fix, StringComparison.Ordinal);
    }

    [Fact]
    public void Fat_base_already_on_the_base_side_is_a_notice()
    {
        var result = Compare(FatSide("main"), FatSide());

        var fat = Single(result, "fat-base-image");
        Assert.Equal(Severity.Notice, fat.Severity);
        Assert.Contains("still", fat.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Switching_between_fat_bases_is_a_notice()
    {
        var result = Compare(
            new SideFacts("main", SingleStage("python:3.10"), FatImage(), null),
            FatSide());

        Assert.Equal(Severity.Notice, Single(result, "fat-base-image").Severity);
    }

    [Theory]
    [InlineData("python:3.11-slim")]
    [InlineData("python:3.11-alpine")]
    [InlineData("gcr.io/distroless/python3-debian12")]
    [InlineData("scratch")]
    [InlineData("ubuntu:24.04")]
    public void Fat_base_never_fires_for_lean_bases_even_with_tools(string headBase)
    {
        var result = Compare(SlimSide(), new SideFacts("feature", SingleStage(headBase), FatImage(), null));

        Assert.DoesNotContain(result.Findings, f => f.Rule == "fat-base-image");
    }

    [Fact]
    public void Unknown_base_that_brings_build_tools_is_treated_as_a_toolchain()
    {
        var head = new SideFacts("feature", SingleStage("registry.example.com/acme/python-build:3.11"), FatImage(), null);

        var result = Compare(SlimSide(), head);

        var fat = Single(result, "fat-base-image");
        Assert.Equal(Severity.Error, fat.Severity);
        Assert.Contains("registry.example.com/acme/python-build:3.11", fat.Message, StringComparison.Ordinal);
        Assert.Contains("gcc", fat.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Unknown_base_is_not_blamed_for_tools_a_run_installs()
    {
        var image = FatImage() with
        {
            Layers = [.. FatImage().Layers, Layer("RUN apt-get update && apt-get install -y --no-install-recommends build-essential git", 180_000_000)],
        };
        var head = new SideFacts("feature", SingleStage("registry.example.com/acme/python:3.11"), image, null);

        var result = Compare(SlimSide(), head);

        Assert.DoesNotContain(result.Findings, f => f.Rule == "fat-base-image");
        Assert.Equal(Severity.Error, Single(result, "build-tools-in-final-image").Severity);
    }

    [Fact]
    public void Tools_installed_by_a_run_of_the_final_image_point_at_that_run()
    {
        var install = Run(3, "apt-get update && apt-get install -y --no-install-recommends gcc make");
        var dockerfile = SingleStage("registry.example.com/acme/runtime:1") with { FinalInstructions = [Run(2, "echo hello"), install] };
        var image = SlimImage() with { BuildTools = [new("gcc", "/usr/bin/gcc"), new("make", "/usr/bin/make")] };

        var result = Compare(SlimSide(), new SideFacts("feature", dockerfile, image, null));

        Assert.DoesNotContain(result.Findings, f => f.Rule == "fat-base-image");
        Assert.Equal(3, Single(result, "build-tools-in-final-image").Line);
    }

    [Fact]
    public void Tools_no_run_installs_are_blamed_on_the_base_image_and_its_from_line()
    {
        var dockerfile = SingleStage("registry.example.com/acme/builder:1") with { FinalInstructions = [Run(2, "apt-get install -y git")] };
        var image = SlimImage() with { BuildTools = [new("gcc", "/usr/bin/gcc"), new("git", "/usr/bin/git")] };

        var result = Compare(SlimSide(), new SideFacts("feature", dockerfile, image, null));

        var fat = Single(result, "fat-base-image");
        Assert.Contains("(gcc)", fat.Message, StringComparison.Ordinal);
        Assert.Equal(2, Single(result, "build-tools-in-final-image").Line);
    }

    [Fact]
    public void Unknown_base_without_build_tools_is_not_fat()
    {
        var head = new SideFacts("feature", SingleStage("registry.example.com/acme/runtime:1"), SlimImage(), null);

        var result = Compare(SlimSide(), head);

        Assert.DoesNotContain(result.Findings, f => f.Rule == "fat-base-image");
    }

    [Fact]
    public void Build_tools_on_both_sides_are_a_notice_and_new_ones_an_error()
    {
        var baseImage = SlimImage() with { BuildTools = [new("git", "/usr/bin/git"), new("cmake", "/usr/bin/cmake")] };
        var result = Compare(new SideFacts("main", SingleStage(), baseImage, null), FatSide());

        var findings = result.Findings.Where(f => f.Rule.StartsWith("build-tools", StringComparison.Ordinal)).ToList();
        Assert.Equal(
            [("build-tools-in-final-image", Severity.Error), ("build-tools-in-final-image", Severity.Notice), ("build-tools-removed", Severity.Notice)],
            findings.Select(f => (f.Rule, f.Severity)));
        Assert.DoesNotContain("git", findings[0].Message, StringComparison.Ordinal);
        Assert.Contains("still ships", findings[1].Message, StringComparison.Ordinal);
        Assert.Contains("git (/usr/bin/git)", findings[1].Message, StringComparison.Ordinal);
        Assert.Contains("cmake", findings[2].Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_added_image_is_reported_alone()
    {
        var result = Compare(null, FatSide());

        Assert.Empty(result.Findings);
        Assert.Null(result.SizeDeltaBytes);
    }

    [Fact]
    public void A_removed_image_is_reported_alone()
    {
        var result = Compare(FatSide("main"), null);

        Assert.Empty(result.Findings);
    }

    [Fact]
    public void An_added_image_that_fails_to_build_still_fails()
    {
        var result = Compare(null, new SideFacts("feature", SingleStage(), null, PipFailure));

        var failed = Assert.Single(result.Findings);
        Assert.Equal(("build-failed", Severity.Error), (failed.Rule, failed.Severity));
        Assert.Equal(Verdict.Fail, result.Verdict);
    }

    [Fact]
    public void Head_build_failure_names_side_step_message_and_line()
    {
        var result = Compare(SlimSide(), new SideFacts("feature", MultiStage(), null, PipFailure));

        var failed = Assert.Single(result.Findings);
        Assert.Equal("build-failed", failed.Rule);
        Assert.Equal(Severity.Error, failed.Severity);
        Assert.Equal(4, failed.Line);
        Assert.Contains("head image (feature)", failed.Message, StringComparison.Ordinal);
        Assert.Contains("at step RUN python3 -m venv", failed.Message, StringComparison.Ordinal);
        Assert.Contains("exit code: 1", failed.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Base_build_failure_keeps_its_line_in_the_message_because_finding_lines_point_into_the_head()
    {
        var result = Compare(new SideFacts("main", MultiStage(), null, PipFailure), SlimSide("feature"));

        var failed = Assert.Single(result.Findings);
        Assert.Null(failed.Line);
        Assert.Contains("base image (main)", failed.Message, StringComparison.Ordinal);
        Assert.Contains("base Dockerfile line 4", failed.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Dockerfile_rules_still_apply_when_the_head_build_fails()
    {
        var result = Compare(SlimSide(), new SideFacts("feature", SingleStage(), null, PipFailure));

        Assert.Equal(
            ["build-failed", "fat-base-image", "multi-stage-dropped"],
            result.Findings.Select(f => f.Rule));
    }

    [Fact]
    public void Findings_are_sorted_by_severity_then_rule_id()
    {
        var baseImage = Sized(100_000_000, 2, [new("git", "/usr/bin/git")]);
        var headImage = Sized(110_000_000, 9, [new("gcc", "/usr/bin/gcc")]);

        var result = Compare(
            new SideFacts("main", SingleStage(SlimBase), baseImage, null),
            new SideFacts("feature", SingleStage(SlimBase), headImage, PipFailure));

        Assert.Equal(
            [
                ("build-failed", Severity.Error),
                ("build-tools-in-final-image", Severity.Error),
                ("image-size-increase", Severity.Warning),
                ("layer-count-increase", Severity.Warning),
                ("build-tools-removed", Severity.Notice),
            ],
            result.Findings.Select(f => (f.Rule, f.Severity)));
    }

    [Fact]
    public void Every_finding_uses_a_catalogued_rule()
    {
        var findings = new[]
        {
            Compare(SlimSide(), FatSide()),
            Compare(FatSide("main"), SlimSide("feature")),
            Compare(SlimSide(), new SideFacts("feature", SingleStage(), null, PipFailure)),
        }.SelectMany(r => r.Findings);

        var ids = Rules.All.Select(r => r.Id).ToHashSet();
        Assert.All(findings, f => Assert.Contains(f.Rule, ids));
    }

    [Fact]
    public void Rule_ids_are_unique_kebab_case()
    {
        var ids = Rules.All.Select(r => r.Id).ToList();

        Assert.Equal(ids.Count, ids.Distinct().Count());
        Assert.All(ids, id => Assert.Matches("^[a-z]+(-[a-z]+)*$", id));
    }

    private static Instruction Run(int line, string command) =>
        new("RUN", [], command, [command], false, [], line, line, "RUN " + command);

    private static SideFacts ImageOnly(string gitRef, ImageFacts image) => new(gitRef, null, image, null);

    private static Finding Single(ImageComparison result, string rule) => Assert.Single(result.Findings, f => f.Rule == rule);
}
