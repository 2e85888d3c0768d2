using System.Text.Json;
using PrImageReport.Cli.IntegrationTests.Infrastructure;
using PrImageReport.Testing;

namespace PrImageReport.Cli.IntegrationTests;

/// <summary>
/// The seed example (examples/school-api: Dockerfile, multi-stage on python:3.11-slim, against Dockerfile.single-stage
/// on python:3.11) compared on lane 1 (Docker 20.10, overlay2) and lane 2 (Docker 28, containerd image store), each
/// with the classic builder and with BuildKit. Needs both lanes, whichever lane the run is for.
/// </summary>
public sealed class SameTruthOnBothLanesFixture : IAsyncLifetime
{
    internal Dictionary<string, CompareRun> Runs { get; } = new(StringComparer.Ordinal);

    public async Task InitializeAsync()
    {
        await Engine.RequireAsync(Engine.SlimPython, Engine.FatPython);
        var lanes = new[] { EngineLanes.Lane1, await EngineLanes.Lane2Async() };
        var example = RepositoryRoot.Combine("examples/school-api");
        foreach (var lane in lanes)
        {
            foreach (var builder in new[] { "classic", "buildkit" })
            {
                Runs[$"{lane.Name} {builder}"] = await CompareRun.RunAsync(
                    [
                        "--base-dockerfile", Path.Combine(example, "Dockerfile"),
                        "--head-dockerfile", Path.Combine(example, "Dockerfile.single-stage"),
                        "--builder", builder, "--no-pull",
                    ],
                    lane.Environment);
            }
        }
    }

    public Task DisposeAsync() => Task.CompletedTask;
}

[Collection(DockerEngineCollection.Name)]
[Trait(Lane2.Trait, Lane2.Name)]
public sealed class SameTruthOnBothLanesTests(SameTruthOnBothLanesFixture fixture) : IClassFixture<SameTruthOnBothLanesFixture>
{
    private const string Reference = "lane 1 classic";

    public static TheoryData<string> Others => ["lane 1 buildkit", "lane 2 classic", "lane 2 buildkit"];

    [Theory]
    [MemberData(nameof(Others))]
    public void TheVerdictAndFindingsAreTheSame(string run)
    {
        fixture.Runs[Reference].AssertExitCode(1);
        fixture.Runs[run].AssertExitCode(1);
        Assert.Equal(Verdict(fixture.Runs[Reference]), Verdict(fixture.Runs[run]));
        Assert.Equal(Findings(fixture.Runs[Reference]), Findings(fixture.Runs[run]));
    }

    [Theory]
    [MemberData(nameof(Others))]
    public void TheLayerRowsAndTheirPairingAreTheSame(string run)
    {
        Assert.Equal(Rows(fixture.Runs[Reference]), Rows(fixture.Runs[run]));
        Assert.Equal(LayerCounts(fixture.Runs[Reference]), LayerCounts(fixture.Runs[run]));
    }

    [Theory]
    [InlineData("lane 1 buildkit")]
    [InlineData("lane 2 buildkit")]
    public void TheSizesAreTheSameToTheByte(string run)
    {
        Assert.Equal(Sizes(fixture.Runs[Reference]), Sizes(fixture.Runs[run]));
        Assert.Equal(RowSizes(fixture.Runs[Reference]), RowSizes(fixture.Runs[run]));
    }

    [Fact]
    public void TheClassicBuilderOnTheContainerdStoreAtMostShipsRequirementsTwice()
    {
        // Its single-file COPY can stamp requirements.txt with a time of its own, so that `COPY . .` then changes the
        // file's mtime and ships it again (seen in some runs, not in others); overlay2 and BuildKit keep the source's
        // mtime, so there the second copy repeats the first. Nothing else may differ.
        var requirements = new FileInfo(RepositoryRoot.Combine("examples/school-api/requirements.txt")).Length;
        var actual = RowSizes(fixture.Runs["lane 2 classic"]);
        var twice = (actual.Single(r => r.Instruction == "COPY . .").Head ?? 0) - (RowSizes(fixture.Runs[Reference]).Single(r => r.Instruction == "COPY . .").Head ?? 0);
        Assert.Contains(twice, new[] { 0, requirements });

        var expected = RowSizes(fixture.Runs[Reference]).Select(r => r.Instruction == "COPY . ." ? r with { Head = r.Head + twice } : r);
        Assert.Equal(expected, actual);
        Assert.Equal(Sizes(fixture.Runs[Reference]) with { Head = Sizes(fixture.Runs[Reference]).Head + twice }, Sizes(fixture.Runs["lane 2 classic"]));
    }

    [Theory]
    [InlineData("lane 1 classic", "overlay2", "classic")]
    [InlineData("lane 1 buildkit", "overlay2", "BuildKit")]
    [InlineData("lane 2 classic", "containerd (overlayfs)", "classic")]
    [InlineData("lane 2 buildkit", "containerd (overlayfs)", "BuildKit")]
    public void EachSideNamesItsEngineStoreAndBuilderAndTheFootnoteSaysSo(string run, string store, string builder)
    {
        foreach (var side in new[] { "base", "head" })
        {
            var origin = Image(fixture.Runs[run]).GetProperty(side).GetProperty("origin");
            Assert.Equal(store, origin.GetProperty("imageStore").GetString());
            Assert.Equal(builder, origin.GetProperty("builder").GetString());
            Assert.StartsWith("Docker ", origin.GetProperty("engine").GetString(), StringComparison.Ordinal);
        }

        fixture.Runs[run].AssertMarkdownContains($"_Both built and measured on Docker ");
        fixture.Runs[run].AssertMarkdownContains($", {store} image store, {builder} builder._");
    }

    private static JsonElement Image(CompareRun run) => run.Json.GetProperty("images")[0];

    private static string? Verdict(CompareRun run) => run.Json.GetProperty("verdict").GetString();

    private static List<(string?, string?, int?)> Findings(CompareRun run) =>
        [.. Image(run).GetProperty("findings").EnumerateArray().Select(f => (f.GetProperty("rule").GetString(), f.GetProperty("severity").GetString(), Int(f.GetProperty("line"))))];

    /// <summary>Each row's instruction, lines and which sides have it: the pairing, without sizes.</summary>
    private static List<(string?, string?, int?, int?, bool, bool)> Rows(CompareRun run) =>
        [.. Image(run).GetProperty("evidence").GetProperty("layers").EnumerateArray().Select(l => (
            l.GetProperty("instruction").GetString(), l.GetProperty("origin").GetString(), Int(l.GetProperty("baseLine")), Int(l.GetProperty("headLine")),
            l.GetProperty("baseBytes").ValueKind == JsonValueKind.Number, l.GetProperty("headBytes").ValueKind == JsonValueKind.Number))];

    private static List<RowSize> RowSizes(CompareRun run) =>
        [.. Image(run).GetProperty("evidence").GetProperty("layers").EnumerateArray().Select(l => new RowSize(
            l.GetProperty("instruction").GetString()!, Long(l.GetProperty("baseBytes")), Long(l.GetProperty("headBytes"))))];

    private static (int, int) LayerCounts(CompareRun run) =>
        (Image(run).GetProperty("base").GetProperty("layerCount").GetInt32(), Image(run).GetProperty("head").GetProperty("layerCount").GetInt32());

    private static SideSizes Sizes(CompareRun run) =>
        new(Image(run).GetProperty("base").GetProperty("sizeBytes").GetInt64(), Image(run).GetProperty("head").GetProperty("sizeBytes").GetInt64());

    private static int? Int(JsonElement value) => value.ValueKind == JsonValueKind.Number ? value.GetInt32() : null;

    private static long? Long(JsonElement value) => value.ValueKind == JsonValueKind.Number ? value.GetInt64() : null;

    private sealed record RowSize(string Instruction, long? Base, long? Head);

    private sealed record SideSizes(long Base, long Head);
}
