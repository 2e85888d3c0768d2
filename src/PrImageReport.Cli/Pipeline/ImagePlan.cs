using PrImageReport.Core.Dockerfiles;
using PrImageReport.Docker;

namespace PrImageReport.Cli.Pipeline;

/// <summary>What one side of one image is made from: a Dockerfile to build, or an image that already exists.</summary>
/// <param name="Ref">What the user named: a git ref, a Dockerfile path or an image reference.</param>
public sealed record SidePlan(string Ref, string? ContextDirectory, string? DockerfilePath, DockerfileFacts? Dockerfile, string? Image)
{
    public static SidePlan Build(string reference, string contextDirectory, string dockerfilePath, DockerfileFacts facts) =>
        new(reference, contextDirectory, dockerfilePath, facts, null);

    public static SidePlan Existing(string image) => new(image, null, null, null, image);
}

/// <summary>One image to compare; a null side does not exist there (the Dockerfile was added or removed).</summary>
public sealed record ImagePlan(string Dockerfile, string Context, SidePlan? Base, SidePlan? Head);

/// <summary>How every side is built.</summary>
/// <param name="BuildKit">Secrets, caches and the buildx builder; the caches as the user gave them, before each side gets its scope.</param>
public sealed record BuildSettings(IReadOnlyDictionary<string, string> BuildArgs, string? Target, BuilderChoice Builder, string? Network = null, BuildKitOptions? BuildKit = null);

/// <summary>The BuildKit options as the user wrote them (compare's options, the action's inputs).</summary>
/// <param name="BuildxBuilder">A buildx builder's name, or null for BUILDX_BUILDER, else the current builder.</param>
/// <param name="Secrets">"id=NAME,env=VARIABLE" or "id=NAME,src=FILE" each.</param>
/// <param name="Output">auto (load with the docker driver, an OCI archive with the others) or archive (always an OCI archive).</param>
public sealed record BuildKitArguments(string? BuildxBuilder, IEnumerable<string> Secrets, IEnumerable<string> CacheFrom, IEnumerable<string> CacheTo, string Output = "auto");

public enum BuilderChoice { Auto, BuildKit, Classic }

/// <summary>A checked-out or exported source tree and the ref it was made from.</summary>
public sealed record SourceTree(string Ref, string Directory);
