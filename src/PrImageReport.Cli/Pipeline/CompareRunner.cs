using System.Diagnostics;
using PrImageReport.Core.Comparison;
using PrImageReport.Core.Dockerfiles;
using PrImageReport.Docker;
using PrImageReport.Docker.Builds;

namespace PrImageReport.Cli.Pipeline;

/// <summary>Builds and measures each side of each plan (base first, so the head reuses the layer cache) and compares them.</summary>
/// <param name="pullToMeasure">Pull a fat base image's slim counterpart that is not on the engine, to measure what switching saves.</param>
public sealed class CompareRunner(IImageEngine engine, IBuildReporter reporter, RuleOptions rules, bool pullToMeasure = true)
{
    private readonly string runId = Guid.NewGuid().ToString("N")[..12];
    private bool fallbackNoted;

    public async Task<ComparisonReport> RunAsync(IReadOnlyList<ImagePlan> plans, BuildSettings settings, bool keepImages, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(plans);
        ArgumentNullException.ThrowIfNull(settings);

        // Every builder is settled before the first build, so a Dockerfile that cannot be built here costs no build.
        var builders = new Dictionary<SidePlan, string?>(ReferenceEqualityComparer.Instance);
        foreach (var side in plans.SelectMany(p => new[] { p.Base, p.Head }).OfType<SidePlan>().Where(s => s.Dockerfile is not null))
        {
            builders[side] = await BuildKitAsync(side, settings, ct).ConfigureAwait(false);
        }

        var tags = new List<string>();
        try
        {
            var comparisons = new List<ImageComparison>();
            for (var i = 0; i < plans.Count; i++)
            {
                var plan = plans[i];
                var baseSide = plan.Base is null ? null : await MeasureAsync("base", plan.Base, $"base-{i}", CacheScopes.Key(plan.Dockerfile), builders.GetValueOrDefault(plan.Base), settings, tags, ct).ConfigureAwait(false);
                var headSide = plan.Head is null ? null : await MeasureAsync("head", plan.Head, $"head-{i}", CacheScopes.Key(plan.Dockerfile), builders.GetValueOrDefault(plan.Head), settings, tags, ct).ConfigureAwait(false);
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

    /// <param name="cacheKey">Names this Dockerfile's build cache; each side scopes it with its own name.</param>
    /// <param name="buildKit">How BuildKit builds run, or null to build with the classic builder.</param>
    private async Task<SideFacts> MeasureAsync(
        string side, SidePlan plan, string tagSuffix, string cacheKey, string? buildKit, BuildSettings settings, List<string> tags, CancellationToken ct)
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
        var options = settings.BuildKit ?? BuildKitOptions.None;
        var at = At(plan);
        var builder = buildKit is null ? BuilderKind.Classic : BuilderKind.BuildKit;
        reporter.SideStarted(side, $"building {dockerfile.Path}{at} with {(buildKit is null ? "the classic builder" : $"BuildKit ({buildKit})")}");
        var watch = Stopwatch.StartNew();
        var scope = $"{cacheKey}-{side}";
        var sideOptions = options with
        {
            CacheFrom = [.. options.CacheFrom.Select(spec => CacheScopes.ForSide(spec, scope))],
            CacheTo = [.. options.CacheTo.Select(spec => CacheScopes.ForSide(spec, scope))],
        };
        var request = new BuildRequest(plan.ContextDirectory!, plan.DockerfilePath!, settings.BuildArgs, settings.Target, tag, builder, settings.Network, sideOptions);
        var outcome = await engine.BuildAsync(request, new InlineProgress<BuildProgress>(p => reporter.Step(side, p.Step)), ct).ConfigureAwait(false);
        if (outcome.Failure is { } failure)
        {
            reporter.SideFinished(side, false, watch.Elapsed);
            return new SideFacts(plan.Ref, dockerfile, null, ClassicBuildSteps.WithLine(failure, dockerfile));
        }

        // A build streamed as an archive left nothing on the engine to inspect or remove.
        if (outcome.Facts is null)
        {
            tags.Add(tag);
        }

        var image = outcome.Facts ?? await engine.InspectImageAsync(tag, ct).ConfigureAwait(false);
        reporter.SideFinished(side, true, watch.Elapsed);
        return new SideFacts(plan.Ref, dockerfile, image, null);
    }

    /// <summary>
    /// How BuildKit builds run here, or null to build with the classic builder because no BuildKit can run and the
    /// Dockerfile does not need it (said once per run); a Dockerfile that needs it then stops the run.
    /// </summary>
    private async Task<string?> BuildKitAsync(SidePlan side, BuildSettings settings, CancellationToken ct)
    {
        var dockerfile = side.Dockerfile!;
        var options = settings.BuildKit ?? BuildKitOptions.None;
        var wantsBuildKit = settings.Builder == BuilderChoice.BuildKit
            || (settings.Builder == BuilderChoice.Auto && (dockerfile.BuildKitReason is not null || options.Any));
        if (!wantsBuildKit)
        {
            return null;
        }

        // Podman has no BuildKit, and its own builder reads what made the Dockerfile need it.
        if (settings.Builder == BuilderChoice.Auto && !options.Any && await engine.ClassicBuilderReadsBuildKitSyntaxAsync(ct).ConfigureAwait(false))
        {
            return null;
        }

        var support = await engine.BuildKitAsync(options, ct).ConfigureAwait(false);
        if (support.Problem is not { } problem)
        {
            return support.Description;
        }

        if (dockerfile.BuildKitReason is { } reason)
        {
            throw new EngineUnavailableException($"{dockerfile.Path}{At(side)}: {reason} needs BuildKit, but {problem}");
        }

        if (!fallbackNoted)
        {
            fallbackNoted = true;
            reporter.Note($"{problem}; building with the classic builder instead{(options.Any ? ", without --secret, --cache-from, --cache-to and --buildx-builder" : "")}");
        }

        return null;
    }

    private static string At(SidePlan side) => side.Ref == side.Dockerfile?.Path ? "" : $" at {side.Ref}";

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
