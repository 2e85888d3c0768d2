namespace PrImageReport.Core.Images;

/// <summary>One entry of the image's history: a filesystem layer, or a metadata-only step when <see cref="IsEmpty"/>.</summary>
/// <param name="CreatedBy">The history's created_by text, as the engine reports it.</param>
/// <param name="Instruction">The Dockerfile instruction recovered from <paramref name="CreatedBy"/>, e.g. "RUN pip install -r requirements.txt".</param>
public sealed record LayerFact(string CreatedBy, string Instruction, long SizeBytes, bool IsEmpty);

/// <summary>A build tool found in the final image's filesystem, with the path or package that proves it.</summary>
/// <param name="Name">What it is: "gcc", "make", "build-essential", "dotnet-sdk".</param>
/// <param name="Evidence">Where it was found: "/usr/bin/gcc" or "dpkg: build-essential 12.9".</param>
public sealed record BuildTool(string Name, string Evidence);

/// <summary>What the tool measured of one built image.</summary>
public sealed record ImageFacts(
    string Reference,
    string Id,
    long SizeBytes,
    IReadOnlyList<LayerFact> Layers,
    IReadOnlyList<BuildTool> BuildTools)
{
    /// <summary>Layers that hold files; history steps that only set metadata are not counted.</summary>
    public int LayerCount => Layers.Count(l => !l.IsEmpty);
}
