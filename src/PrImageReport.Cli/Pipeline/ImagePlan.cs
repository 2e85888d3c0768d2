using PrImageReport.Core.Dockerfiles;

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
public sealed record BuildSettings(IReadOnlyDictionary<string, string> BuildArgs, string? Target, BuilderChoice Builder, string? Network = null);

public enum BuilderChoice { Auto, BuildKit, Classic }

/// <summary>A checked-out or exported source tree and the ref it was made from.</summary>
public sealed record SourceTree(string Ref, string Directory);
