using PrImageReport.Core.Dockerfiles;
using PrImageReport.Core.Images;

namespace PrImageReport.Core.Comparison;

/// <summary>
/// Ties the layers of a built image to the Dockerfile instructions that made them. Both builders record one
/// history step per instruction except FROM, in build order, so the image's history ends with the final stage's
/// instructions (and those of the stages it inherits through FROM); what comes before them is the base image.
/// </summary>
public static class LayerAttribution
{
    /// <summary>What an imported layer (docker import, a distribution's rootfs) records as its command.</summary>
    private const string ImportedLayer = "(base image)";

    /// <summary>The layer rows of <paramref name="image"/>, bottom first: one base-image row, then one row per instruction that made a layer.</summary>
    /// <param name="dockerfile">The Dockerfile the image was built from, or null for a prebuilt image.</param>
    public static IReadOnlyList<AttributedLayer> Attribute(ImageFacts image, DockerfileFacts? dockerfile)
    {
        ArgumentNullException.ThrowIfNull(image);
        var history = image.Layers;
        var instructions = (dockerfile?.FinalInstructions ?? []).Where(i => i.Keyword != "FROM").ToList();
        var attributable = dockerfile is { FinalInstructions.Count: > 0 };
        var matched = new Instruction?[history.Count];
        var baseEnd = 0;
        if (attributable)
        {
            var h = history.Count - 1;
            var i = instructions.Count - 1;
            while (h >= 0 && i >= 0 && Keyword(history[h].Instruction) == instructions[i].Keyword)
            {
                matched[h--] = instructions[i--];
            }

            // Every instruction found its step: the rest is the base image. Otherwise (ONBUILD triggers, a history
            // rewritten by a squash) only the steps matched are tied to lines.
            baseEnd = i < 0 ? h + 1 : 0;
        }

        var rows = new List<AttributedLayer>();
        if (attributable)
        {
            AddBaseImageRow(rows, history.Take(baseEnd), $"FROM {dockerfile!.FinalBaseImage}", dockerfile.FinalBaseLine);
        }

        for (var index = baseEnd; index < history.Count; index++)
        {
            var layer = history[index];
            if (layer.IsEmpty)
            {
                continue;
            }

            if (matched[index] is { } instruction)
            {
                rows.Add(new AttributedLayer(OneLine(instruction.Original), LayerOrigin.Dockerfile, instruction.StartLine, layer.SizeBytes, Archive(layer), layer.CompressedBytes));
            }
            else if (layer.Instruction == ImportedLayer && rows.LastOrDefault() is { Origin: LayerOrigin.BaseImage } previous)
            {
                rows[^1] = previous with
                {
                    SizeBytes = previous.SizeBytes + layer.SizeBytes,
                    ArchiveLayers = [.. previous.ArchiveLayers, .. Archive(layer)],
                    CompressedBytes = previous.CompressedBytes + layer.CompressedBytes,
                };
            }
            else if (layer.Instruction == ImportedLayer)
            {
                AddBaseImageRow(rows, [layer], ImportedLayer, null);
            }
            else
            {
                rows.Add(new AttributedLayer(layer.Instruction.Length > 0 ? layer.Instruction : layer.CreatedBy, LayerOrigin.Unknown, null, layer.SizeBytes, Archive(layer), layer.CompressedBytes));
            }
        }

        return rows;
    }

    /// <summary>The row whose layers include archive layer <paramref name="archiveLayer"/>, or null.</summary>
    public static AttributedLayer? RowOf(IReadOnlyList<AttributedLayer> rows, int? archiveLayer) =>
        archiveLayer is { } index ? rows.FirstOrDefault(r => r.ArchiveLayers.Contains(index)) : null;

    private static void AddBaseImageRow(List<AttributedLayer> rows, IEnumerable<LayerFact> layers, string text, int? line)
    {
        var filled = layers.Where(l => !l.IsEmpty).ToList();
        if (filled.Count > 0)
        {
            var compressed = filled.All(l => l.CompressedBytes is not null) ? filled.Sum(l => l.CompressedBytes!.Value) : (long?)null;
            rows.Add(new AttributedLayer(text, LayerOrigin.BaseImage, line, filled.Sum(l => l.SizeBytes), [.. filled.SelectMany(Archive)], compressed));
        }
    }

    /// <summary>Continuation lines leave runs of indentation inside the joined instruction; a report line wants single spaces.</summary>
    internal static string OneLine(string instruction) => string.Join(' ', instruction.Split((char[])[' ', '\t'], StringSplitOptions.RemoveEmptyEntries));

    private static IReadOnlyList<int> Archive(LayerFact layer) => layer.ArchiveLayer is { } index ? [index] : [];

    /// <summary>The keyword of a recovered history instruction ("RUN", "COPY"); the upper-case first word.</summary>
    private static string Keyword(string instruction)
    {
        var space = instruction.IndexOf(' ', StringComparison.Ordinal);
        return (space < 0 ? instruction : instruction[..space]).ToUpperInvariant();
    }
}
