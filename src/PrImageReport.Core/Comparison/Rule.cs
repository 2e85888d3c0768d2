namespace PrImageReport.Core.Comparison;

/// <summary>A comparison rule as data: what it checks and what to do about it.</summary>
/// <param name="Id">Stable id used in reports, JSON and configuration.</param>
/// <param name="DefaultSeverity">The severity when the PR introduces the problem; individual findings may be lower (already there on base) or, for size, higher.</param>
/// <param name="Title">Short human name.</param>
/// <param name="Fix">The generic fix; findings may carry a more specific one.</param>
public sealed record Rule(string Id, Severity DefaultSeverity, string Title, string? Fix);

/// <summary>The catalogue of rules the comparer applies.</summary>
public static class Rules
{
    public static readonly Rule BuildFailed = new(
        "build-failed", Severity.Error, "Image build failed",
        "Fix the failing step; the last lines of the build output are in the report.");

    public static readonly Rule MultiStageDropped = new(
        "multi-stage-dropped", Severity.Error, "Multi-stage build dropped",
        "Restore a builder stage (FROM ... AS builder), build there, and COPY --from=builder only the artifacts into the final stage.");

    public static readonly Rule MultiStageAdopted = new(
        "multi-stage-adopted", Severity.Notice, "Multi-stage build adopted", null);

    public static readonly Rule FatBaseImage = new(
        "fat-base-image", Severity.Error, "Final stage on a full (toolchain) base image",
        "Use a slim or runtime-only base image for the final stage; build in a separate stage if you need the toolchain.");

    public static readonly Rule BuildToolsInFinalImage = new(
        "build-tools-in-final-image", Severity.Error, "Build tools in the final image",
        "Install build tools only in a builder stage and COPY --from=builder the artifacts, or remove them in the same RUN that uses them.");

    public static readonly Rule BuildToolsRemoved = new(
        "build-tools-removed", Severity.Notice, "Build tools removed from the final image", null);

    public static readonly Rule ImageSizeIncrease = new(
        "image-size-increase", Severity.Warning, "Image size increased",
        "Check the largest layers of the head image; keep build inputs and caches out of the final stage.");

    public static readonly Rule ImageSizeDecrease = new(
        "image-size-decrease", Severity.Notice, "Image size decreased", null);

    public static readonly Rule LayerCountIncrease = new(
        "layer-count-increase", Severity.Notice, "Layer count increased",
        "Combine consecutive RUN steps that belong together, and clean up in the same RUN that creates files.");

    public static readonly Rule WastedSpace = new(
        "wasted-space", Severity.Warning, "More wasted space",
        "Delete temporary files in the same RUN that creates them (RUN ... && rm -rf ...), set ownership and modes with COPY --chown/--chmod instead of a later RUN, or do the work in a builder stage.");

    public static IReadOnlyList<Rule> All { get; } =
    [
        BuildFailed, MultiStageDropped, MultiStageAdopted, FatBaseImage, BuildToolsInFinalImage,
        BuildToolsRemoved, ImageSizeIncrease, ImageSizeDecrease, LayerCountIncrease, WastedSpace,
    ];
}
