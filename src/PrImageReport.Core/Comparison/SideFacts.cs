using PrImageReport.Core.Dockerfiles;
using PrImageReport.Core.Images;

namespace PrImageReport.Core.Comparison;

/// <summary>Why a side's image could not be built: a fact for the report, never an exception.</summary>
/// <param name="Step">The step that failed, as the builder named it ("RUN make", "Step 4/7 : RUN make").</param>
/// <param name="Message">The builder's error message.</param>
/// <param name="LastLines">The last lines of the build output before the failure.</param>
/// <param name="Line">The Dockerfile line of the failing step, when known.</param>
public sealed record BuildFailure(string Step, string Message, IReadOnlyList<string> LastLines, int? Line = null);

/// <summary>Everything known about one side (base or head) of a comparison.</summary>
/// <param name="Ref">What the side was made from: a git ref, a Dockerfile path or an image reference.</param>
/// <param name="Dockerfile">The resolved Dockerfile, or null when the side is a prebuilt image.</param>
/// <param name="Image">The built image's facts, or null when the build failed.</param>
/// <param name="Failure">Why the build failed, or null.</param>
public sealed record SideFacts(string Ref, DockerfileFacts? Dockerfile, ImageFacts? Image, BuildFailure? Failure)
{
    public bool Built => Image is not null;
}

/// <summary>The comparison of one image (one Dockerfile and context) between base and head.</summary>
/// <param name="Base">Null when the image does not exist on the base side (added in the PR).</param>
/// <param name="Head">Null when the image does not exist on the head side (removed in the PR).</param>
public sealed record ImageComparison(string Dockerfile, string Context, SideFacts? Base, SideFacts? Head, IReadOnlyList<Finding> Findings)
{
    /// <summary>Layers paired by instruction, package changes and wasted space: what the findings stand on.</summary>
    public ImageEvidence Evidence { get; init; } = ImageEvidence.None;

    public Verdict Verdict => Verdicts.Of(Findings);

    /// <summary>Head minus base image size, when both sides were built.</summary>
    public long? SizeDeltaBytes => Base?.Image is { } b && Head?.Image is { } h ? h.SizeBytes - b.SizeBytes : null;
}

/// <summary>The whole run: one comparison per image.</summary>
public sealed record ComparisonReport(IReadOnlyList<ImageComparison> Images)
{
    public Verdict Verdict => Verdicts.Worst(Images.Select(i => i.Verdict));
}
