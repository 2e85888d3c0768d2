using PrImageReport.Core.Comparison;
using static PrImageReport.Core.Tests.Comparison.SampleFacts;

namespace PrImageReport.Core.Tests.Reports;

/// <summary>The reports the golden files are made from.</summary>
internal static class Scenarios
{
    public static ComparisonReport Regression() => new([Compare(SlimSide(), FatSide())]);

    public static ComparisonReport Improvement() => new([Compare(FatSide("main"), SlimSide("feature"))]);

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
}
