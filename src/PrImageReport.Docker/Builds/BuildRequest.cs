using PrImageReport.Core.Comparison;

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
public sealed record BuildRequest(
    string ContextDirectory,
    string DockerfilePath,
    IReadOnlyDictionary<string, string> BuildArgs,
    string? Target,
    string Tag,
    BuilderKind Builder,
    string? Network = null);

/// <summary>What a build ended with: the image, or why there is none.</summary>
public sealed record BuildOutcome(string? ImageId, BuildFailure? Failure);

/// <summary>A build step has started.</summary>
/// <param name="Step">The step as the builder prints it: "Step 3/8 : RUN make" (classic), "#7 [builder 2/4] RUN make" (BuildKit).</param>
public sealed record BuildProgress(string Step);
