namespace PrImageReport.Core.Dockerfiles;

/// <summary>A stage as the comparison sees it.</summary>
/// <param name="BaseImage">The FROM argument with ARG defaults and build args substituted (a stage name stays a stage name).</param>
/// <param name="Line">1-based line of the stage's FROM.</param>
public sealed record StageSummary(int Index, string? Name, string BaseImage, int Line)
{
    /// <summary>The name BuildKit shows in its log for an unnamed stage: stage-1.</summary>
    public string DisplayName => Name ?? $"stage-{Index.ToString(System.Globalization.CultureInfo.InvariantCulture)}";
}

/// <summary>What the Dockerfile says about the image it builds, resolved for one target and set of build args.</summary>
/// <param name="Path">The Dockerfile's path relative to the repository (or as the user gave it).</param>
/// <param name="Stages">Every stage in the file, in order.</param>
/// <param name="FinalStage">The stage that is built: <c>--target</c>, else the last one.</param>
/// <param name="StagesBuilt">The stages the final stage needs (inherited through FROM or copied from with COPY --from), itself included, in file order.</param>
/// <param name="FinalBaseImage">The external image the final stage stands on, followed through stage inheritance ("scratch" included).</param>
/// <param name="FinalBaseLine">Line of the FROM that names <paramref name="FinalBaseImage"/>.</param>
/// <param name="BuildKitReason">Why the classic builder cannot build this file ("RUN --mount at line 7"), or null when it can.</param>
public sealed record DockerfileFacts(
    string Path,
    IReadOnlyList<StageSummary> Stages,
    StageSummary FinalStage,
    IReadOnlyList<StageSummary> StagesBuilt,
    string FinalBaseImage,
    int FinalBaseLine,
    string? BuildKitReason)
{
    /// <summary>
    /// The instructions the final image is made of, in build order: the FROM and instructions of each stage the final
    /// stage inherits through FROM, the root first, then the final stage's own. Global ARGs and stages only copied from are not included.
    /// </summary>
    public IReadOnlyList<Instruction> FinalInstructions { get; init; } = [];

    /// <summary>The parsed file, for findings that quote stages other than the final one; null when read back from a JSON report.</summary>
    public Dockerfile? Source { get; init; }

    public int StageCount => Stages.Count;
    public bool IsMultiStage => StagesBuilt.Count > 1;
}
