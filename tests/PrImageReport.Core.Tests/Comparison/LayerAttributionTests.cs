using PrImageReport.Core.Comparison;
using PrImageReport.Core.Dockerfiles;
using PrImageReport.Core.Images;

namespace PrImageReport.Core.Tests.Comparison;

public class LayerAttributionTests
{
    [Fact]
    public void Seed_multi_stage_image_has_one_base_row_then_the_final_stage_lines()
    {
        var rows = LayerAttribution.Attribute(SeedFacts.SlimImage(), SeedFacts.MultiStage());

        Assert.Equal(
            [
                ("FROM python:3.11-slim", LayerOrigin.BaseImage, (int?)13, 217_000_000L),
                ("RUN useradd --system --create-home --uid 10001 school && mkdir /data && chown school /data", LayerOrigin.Dockerfile, 15, 330_000),
                ("COPY --from=builder /opt/venv /opt/venv", LayerOrigin.Dockerfile, 17, 19_500_000),
                ("WORKDIR /app", LayerOrigin.Dockerfile, 18, 0),
                ("COPY --from=builder /app /app", LayerOrigin.Dockerfile, 19, 9_000),
                ("COPY entrypoint.sh /app/entrypoint.sh", LayerOrigin.Dockerfile, 20, 1_200),
            ],
            rows.Select(r => (r.Instruction, r.Origin, r.Line, r.SizeBytes)));
        Assert.Equal([0], rows[0].ArchiveLayers);
        Assert.Equal([2], rows[2].ArchiveLayers);
    }

    [Fact]
    public void Base_image_layers_are_one_row_however_many_there_are()
    {
        var dockerfile = Resolve("FROM python:3.11\nRUN make\n");
        var image = Image(("(base image)", 100, false), ("RUN apt-get update", 200, false), ("CMD [\"python3\"]", 0, true), ("RUN make", 7, false));

        var rows = LayerAttribution.Attribute(image, dockerfile);

        Assert.Equal(
            [("FROM python:3.11", LayerOrigin.BaseImage, (int?)1, 300L), ("RUN make", LayerOrigin.Dockerfile, 2, 7)],
            rows.Select(r => (r.Instruction, r.Origin, r.Line, r.SizeBytes)));
        Assert.Equal([0, 1], rows[0].ArchiveLayers);
    }

    [Fact]
    public void BuildKit_history_text_is_tied_to_the_same_lines_as_the_classic_builders()
    {
        var dockerfile = Resolve("FROM debian:bookworm-slim\nARG V=1\nCOPY a /a\nRUN --mount=type=cache,target=/c make\n");
        // BuildKit keeps the COPY source and marks each step "# buildkit"; LayerInstructions strips the marker.
        var buildKit = Image(("(base image)", 100, false), ("ARG V=1", 0, true), ("COPY a /a", 5, false), ("RUN --mount=type=cache,target=/c make", 9, false));
        var classic = Image(("(base image)", 100, false), ("ARG V", 0, true), ("COPY ... /a", 5, false), ("RUN make", 9, false));

        foreach (var image in new[] { buildKit, classic })
        {
            var rows = LayerAttribution.Attribute(image, dockerfile);
            Assert.Equal([(int?)1, 3, 4], rows.Select(r => r.Line));
            Assert.Equal("COPY a /a", rows[1].Instruction);
        }
    }

    [Fact]
    public void Inherited_stages_count_as_part_of_the_final_image()
    {
        var dockerfile = Resolve("FROM node:20-slim AS base\nRUN npm i -g pnpm\nFROM base AS app\nCOPY . .\n");
        var image = Image(("(base image)", 50, false), ("RUN npm i -g pnpm", 10, false), ("COPY ... .", 3, false));

        var rows = LayerAttribution.Attribute(image, dockerfile);

        Assert.Equal([(int?)1, 2, 4], rows.Select(r => r.Line));
        Assert.Equal("FROM node:20-slim", rows[0].Instruction);
    }

    [Fact]
    public void An_onbuild_trigger_of_the_base_image_counts_as_base_image()
    {
        var dockerfile = Resolve("FROM acme/onbuild:1\nRUN make\n");
        var image = Image(("(base image)", 50, false), ("COPY ... /src", 4, false), ("RUN make", 7, false));

        var rows = LayerAttribution.Attribute(image, dockerfile);

        Assert.Equal([(LayerOrigin.BaseImage, (int?)1, 54L), (LayerOrigin.Dockerfile, 2, 7)], rows.Select(r => (r.Origin, r.Line, r.SizeBytes)));
    }

    [Fact]
    public void A_history_shorter_than_the_dockerfile_ties_only_the_steps_that_match()
    {
        // A squashed image lost the step of line 2.
        var dockerfile = Resolve("FROM acme/app:1\nRUN a\nRUN b\n");
        var image = Image(("(base image)", 50, false), ("RUN b", 7, false));

        var rows = LayerAttribution.Attribute(image, dockerfile);

        Assert.Equal([(LayerOrigin.BaseImage, (int?)null), (LayerOrigin.Dockerfile, 3)], rows.Select(r => (r.Origin, r.Line)));
    }

    [Fact]
    public void A_prebuilt_image_keeps_its_history_text()
    {
        var image = Image(("(base image)", 50, false), ("RUN make", 7, false), ("ENV A=1", 0, true));

        var rows = LayerAttribution.Attribute(image, null);

        Assert.Equal(
            [("(base image)", LayerOrigin.BaseImage, (int?)null), ("RUN make", LayerOrigin.Unknown, null)],
            rows.Select(r => (r.Instruction, r.Origin, r.Line)));
    }

    [Fact]
    public void A_dockerfile_that_is_only_a_from_is_all_base_image()
    {
        var rows = LayerAttribution.Attribute(Image(("(base image)", 50, false), ("RUN apt-get install -y curl", 9, false)), Resolve("FROM acme/app:1\n"));

        var row = Assert.Single(rows);
        Assert.Equal((LayerOrigin.BaseImage, 59L), (row.Origin, row.SizeBytes));
    }

    [Fact]
    public void Row_of_finds_the_row_that_holds_an_archive_layer()
    {
        var rows = LayerAttribution.Attribute(SeedFacts.FatImage(), SeedFacts.SingleStage());

        Assert.Equal("RUN chmod +x /app/entrypoint.sh", LayerAttribution.RowOf(rows, 6)?.Instruction);
        Assert.Equal(LayerOrigin.BaseImage, LayerAttribution.RowOf(rows, 0)?.Origin);
        Assert.Null(LayerAttribution.RowOf(rows, 42));
        Assert.Null(LayerAttribution.RowOf(rows, null));
    }

    internal static DockerfileFacts Resolve(string text) =>
        DockerfileResolver.Resolve(DockerfileParser.Parse(text, "Dockerfile"), null, new Dictionary<string, string>());

    /// <summary>History bottom first; each non-empty step gets the next archive layer index.</summary>
    internal static ImageFacts Image(params (string Instruction, long Size, bool IsEmpty)[] steps)
    {
        var archive = 0;
        var layers = steps.Select(s => new LayerFact("", s.Instruction, s.Size, s.IsEmpty, s.IsEmpty ? null : archive++)).ToList();
        return new ImageFacts("img", "sha256:00", layers.Sum(l => l.SizeBytes), layers, []);
    }
}
