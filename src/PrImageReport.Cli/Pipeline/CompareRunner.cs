using System.Diagnostics;
using PrImageReport.Core.Comparison;
using PrImageReport.Core.Dockerfiles;
using PrImageReport.Docker;

namespace PrImageReport.Cli.Pipeline;

/// <summary>Builds and measures each side of each plan (base first, so the head reuses the layer cache) and compares them.</summary>
/// <param name="pullToMeasure">Pull a fat base image's slim counterpart that is not on the engine, to measure what switching saves.</param>
public sealed class CompareRunner(IImageEngine engine, IBuildReporter reporter, RuleOptions rules, bool pullToMeasure = true)
{
    private readonly string runId = Guid.NewGuid().ToString("N")[..12];

    public async Task<ComparisonReport> RunAsync(IReadOnlyList<ImagePlan> plans, BuildSettings settings, bool keepImages, CancellationToken ct)
    {
        var tags = new List<string>();
        try
        {
            var comparisons = new List<ImageComparison>();
            for (var i = 0; i < plans.Count; i++)
            {
                var plan = plans[i];
                var baseSide = plan.Base is null ? null : await MeasureAsync("base", plan.Base, $"base-{i}", settings, tags, ct).ConfigureAwait(false);
                var headSide = plan.Head is null ? null : await MeasureAsync("head", plan.Head, $"head-{i}", settings, tags, ct).ConfigureAwait(false);
                // Only a compared head's base can be fat-base-image, so only it is worth measuring (or pulling).
                var localImageSizes = baseSide is null ? new Dictionary<string, long>() : await BaseImageSizesAsync(headSide?.Dockerfile, ct).ConfigureAwait(false);
                comparisons.Add(ImageComparer.Compare(plan.Dockerfile, plan.Context, baseSide, headSide, rules, localImageSizes));
            }

            return new ComparisonReport(comparisons);
        }
        finally
        {
            if (keepImages)
            {
                reporter.Kept(tags);
            }
            else
            {
                // Clean up even when cancelled: the images are ours and only take space.
                foreach (var tag in tags)
                {
                    await engine.RemoveImageAsync(tag, CancellationToken.None).ConfigureAwait(false);
                }
            }
        }
    }

    private async Task<SideFacts> MeasureAsync(string side, SidePlan plan, string tagSuffix, BuildSettings settings, List<string> tags, CancellationToken ct)
    {
        if (plan.Image is { } existing)
        {
            if (!await engine.ImageExistsAsync(existing, ct).ConfigureAwait(false))
            {
                throw new UsageException($"image {existing} is not on the Docker engine; build or pull it first, or name one that `docker image ls` shows");
            }

            reporter.SideStarted(side, $"inspecting {existing}");
            var stopwatch = Stopwatch.StartNew();
            var facts = await engine.InspectImageAsync(existing, ct).ConfigureAwait(false);
            reporter.SideFinished(side, true, stopwatch.Elapsed);
            return new SideFacts(plan.Ref, null, facts, null);
        }

        var dockerfile = plan.Dockerfile!;
        var tag = $"pr-image-report-{runId}:{tagSuffix}";
        var builder = settings.Builder switch
        {
            BuilderChoice.BuildKit => BuilderKind.BuildKit,
            BuilderChoice.Classic => BuilderKind.Classic,
            _ when dockerfile.BuildKitReason is null => BuilderKind.Classic,
            // Podman has no BuildKit, and its own builder reads what made the Dockerfile need it.
            _ => await engine.ClassicBuilderReadsBuildKitSyntaxAsync(ct).ConfigureAwait(false) ? BuilderKind.Classic : BuilderKind.BuildKit,
        };
        var at = plan.Ref == dockerfile.Path ? "" : $" at {plan.Ref}";
        reporter.SideStarted(side, $"building {dockerfile.Path}{at} with {(builder == BuilderKind.BuildKit ? "BuildKit" : "the classic builder")}");
        var watch = Stopwatch.StartNew();
        var request = new BuildRequest(plan.ContextDirectory!, plan.DockerfilePath!, settings.BuildArgs, settings.Target, tag, builder, settings.Network);
        var outcome = await engine.BuildAsync(request, new InlineProgress<BuildProgress>(p => reporter.Step(side, p.Step)), ct).ConfigureAwait(false);
        if (outcome.Failure is { } failure)
        {
            reporter.SideFinished(side, false, watch.Elapsed);
            return new SideFacts(plan.Ref, dockerfile, null, ClassicBuildSteps.WithLine(failure, dockerfile));
        }

        tags.Add(tag);
        var image = await engine.InspectImageAsync(tag, ct).ConfigureAwait(false);
        reporter.SideFinished(side, true, watch.Elapsed);
        return new SideFacts(plan.Ref, dockerfile, image, null);
    }

    /// <summary>
    /// The sizes of the head's final base image, when the catalogue calls it fat, and of its lean counterpart, by
    /// reference, so that the finding can say what switching saves; images the engine does not have and cannot pull are left out.
    /// </summary>
    private async Task<IReadOnlyDictionary<string, long>> BaseImageSizesAsync(DockerfileFacts? head, CancellationToken ct)
    {
        var sizes = new Dictionary<string, long>(StringComparer.Ordinal);
        if (head is null || BaseImageCatalog.Classify(head.FinalBaseImage) is not { IsFat: true, Counterpart: { } counterpart })
        {
            return sizes;
        }

        foreach (var reference in new[] { head.FinalBaseImage, counterpart })
        {
            if (await engine.ImageSizeAsync(reference, pullToMeasure, ct).ConfigureAwait(false) is { } size)
            {
                sizes[reference] = size;
            }
        }

        return sizes;
    }
}
