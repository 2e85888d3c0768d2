using PrImageReport.Core.Images;

namespace PrImageReport.Docker;

/// <summary>What the comparison needs from a container engine: build, measure and clean up images.</summary>
public interface IImageEngine
{
    /// <summary>Throws <see cref="EngineUnavailableException"/> when no engine answers.</summary>
    Task PingAsync(CancellationToken ct);

    /// <summary>Builds an image; a build that fails is an outcome with a <see cref="BuildOutcome.Failure"/>, not an exception.</summary>
    Task<BuildOutcome> BuildAsync(BuildRequest request, IProgress<BuildProgress>? progress, CancellationToken ct);

    /// <summary>
    /// Whether the builder behind the Engine API's build endpoint also reads BuildKit's Dockerfile syntax (RUN --mount,
    /// COPY --chmod): Podman's Buildah does, and Podman has no BuildKit; dockerd's classic builder does not.
    /// </summary>
    Task<bool> ClassicBuilderReadsBuildKitSyntaxAsync(CancellationToken ct);

    /// <summary>
    /// Whether BuildKit builds with <paramref name="options"/> can run here, and how; throws
    /// <see cref="EngineUnavailableException"/> when the buildx builder they name does not exist.
    /// </summary>
    Task<BuildKitSupport> BuildKitAsync(BuildKitOptions options, CancellationToken ct);

    Task<ImageFacts> InspectImageAsync(string imageRef, CancellationToken ct);

    Task<bool> ImageExistsAsync(string imageRef, CancellationToken ct);

    /// <summary>
    /// The size of an image, for estimates such as what a slim base would save, measured as <see cref="ImageFacts.SizeBytes"/>:
    /// the local image's, else, when <paramref name="pull"/> allows, the pulled one's; null when it is not local and
    /// cannot be pulled. Never pulls an image that is present.
    /// </summary>
    Task<long?> ImageSizeAsync(string imageRef, bool pull, CancellationToken ct);

    /// <summary>Removes the reference, keeping untagged parents as build cache; an image that is not there is not an error.</summary>
    Task RemoveImageAsync(string imageRef, CancellationToken ct);
}
