using PrImageReport.Core.Comparison;
using PrImageReport.Core.Images;

namespace PrImageReport.Docker;

public enum BuilderKind
{
    /// <summary>The engine's classic builder, driven through the Engine API.</summary>
    Classic,

    /// <summary>BuildKit, driven through the docker CLI (needed for RUN --mount, heredocs and the like).</summary>
    BuildKit,
}

/// <summary>One image to build.</summary>
/// <param name="ContextDirectory">The build context folder.</param>
/// <param name="DockerfilePath">The Dockerfile, inside the context or not; relative paths are taken from the current directory.</param>
/// <param name="Target">The stage to build (<c>--target</c>), or null for the last one.</param>
/// <param name="Tag">The reference the built image gets, e.g. "pr-image-report-1a2b:head-0".</param>
/// <param name="Network">The network RUN steps use (<c>--network</c>: default, host, none), or null for the engine's default.</param>
/// <param name="BuildKit">What only BuildKit builds take; null for none.</param>
public sealed record BuildRequest(
    string ContextDirectory,
    string DockerfilePath,
    IReadOnlyDictionary<string, string> BuildArgs,
    string? Target,
    string Tag,
    BuilderKind Builder,
    string? Network = null,
    BuildKitOptions? BuildKit = null);

/// <summary>A build secret as <c>docker build --secret</c> takes it: from an environment variable or from a file.</summary>
/// <param name="Id">What the Dockerfile mounts it as (<c>RUN --mount=type=secret,id=...</c>).</param>
/// <param name="EnvironmentVariable">The variable holding the value, or null when it comes from <paramref name="FilePath"/>.</param>
/// <param name="FilePath">The absolute path of the file holding the value, or null when it comes from a variable.</param>
public sealed record BuildSecret(string Id, string? EnvironmentVariable, string? FilePath)
{
    /// <summary>The --secret argument; names where the value is, never the value.</summary>
    public string Argument => EnvironmentVariable is { } variable ? $"id={Id},env={variable}" : $"id={Id},src={FilePath}";
}

/// <summary>What BuildKit builds take beyond the Dockerfile.</summary>
/// <param name="BuildxBuilder">The buildx builder to use; null for BUILDX_BUILDER, else the current one.</param>
/// <param name="CacheFrom">--cache-from specs, as buildx takes them, already scoped to the side being built.</param>
/// <param name="CacheTo">--cache-to specs, likewise.</param>
/// <param name="Archive">Stream the image as an OCI archive even from a builder that could load it into the engine: nothing is left there.</param>
public sealed record BuildKitOptions(
    string? BuildxBuilder,
    IReadOnlyList<BuildSecret> Secrets,
    IReadOnlyList<string> CacheFrom,
    IReadOnlyList<string> CacheTo,
    bool Archive = false)
{
    public static BuildKitOptions None { get; } = new(null, [], [], []);

    /// <summary>What of these only buildx does (the docker CLI's own BuildKit takes secrets, nothing else here), or null.</summary>
    public string? BuildxOnly =>
        BuildxBuilder is not null ? "--buildx-builder"
        : CacheFrom.Count > 0 ? "--cache-from"
        : CacheTo.Count > 0 ? "--cache-to"
        : Archive ? "--buildx-output archive"
        : null;

    /// <summary>Whether any of these asks for BuildKit.</summary>
    public bool Any => BuildxOnly is not null || Secrets.Count > 0;
}

/// <summary>What a build ended with: the image, or why there is none.</summary>
/// <param name="Facts">The image's facts when the build streamed it as an archive instead of loading it into the engine.</param>
public sealed record BuildOutcome(string? ImageId, BuildFailure? Failure, ImageFacts? Facts = null);

/// <summary>Whether this engine's docker CLI can build with BuildKit, and how.</summary>
/// <param name="Problem">Why no BuildKit build can run, with the fix; null when one can.</param>
/// <param name="Description">How builds run, for progress: "buildx builder default, docker driver, loaded into the engine".</param>
public sealed record BuildKitSupport(string? Problem, string Description);

/// <summary>A build step has started.</summary>
/// <param name="Step">The step as the builder prints it: "Step 3/8 : RUN make" (classic), "#7 [builder 2/4] RUN make" (BuildKit).</param>
public sealed record BuildProgress(string Step);
