using System.Text;
using System.Text.Json;
using PrImageReport.Core.Comparison;
using PrImageReport.Core.Reports;
using PrImageReport.Core.Tests.Comparison;
using static PrImageReport.Core.Tests.Comparison.SampleFacts;

namespace PrImageReport.Core.Tests.Reports;

public class JsonReportTests
{
    [Fact]
    public async Task Regression_json_matches_its_golden_file()
    {
        GoldenFile.AssertMatches("regression.json", await WriteAsync(Scenarios.Regression()));
    }

    [Fact]
    public async Task Json_has_exactly_the_documented_shape()
    {
        var report = Scenarios.Regression();
        var failed = new ImageComparison("Dockerfile", ".", new SideFacts("main", MultiStage(), null, PipFailure), null, [
            new Finding("build-failed", Severity.Error, "m", null, null),
        ]);

        using var json = JsonDocument.Parse(await WriteAsync(new ComparisonReport([report.Images[0], failed])));

        var root = json.RootElement;
        Assert.Equal(["schemaVersion", "verdict", "images"], Names(root));
        Assert.Equal(3, root.GetProperty("schemaVersion").GetInt32());
        Assert.Equal("fail", root.GetProperty("verdict").GetString());

        var image = root.GetProperty("images")[0];
        Assert.Equal(["dockerfile", "context", "verdict", "sizeDeltaBytes", "base", "head", "findings", "evidence"], Names(image));
        Assert.Equal(453_930_238, image.GetProperty("sizeDeltaBytes").GetInt64());

        var side = image.GetProperty("head");
        Assert.Equal(
            ["ref", "image", "imageId", "sizeBytes", "compressedSizeBytes", "origin", "layers", "layerCount", "stageCount", "stages", "finalStage", "finalBaseImage", "buildTools", "packages", "wasted", "error"],
            Names(side));
        Assert.Equal(side.GetProperty("layerCount").GetInt32(), side.GetProperty("layers").GetArrayLength());
        Assert.Equal(12, side.GetProperty("layerCount").GetInt32());
        Assert.Equal(["instruction", "sizeBytes", "compressedSizeBytes", "createdBy"], Names(side.GetProperty("layers")[0]));
        Assert.Equal(["name", "evidence"], Names(side.GetProperty("buildTools")[0]));
        Assert.Equal(JsonValueKind.Null, side.GetProperty("error").ValueKind);
        Assert.Equal(["builder", "runtime"], image.GetProperty("base").GetProperty("stages").EnumerateArray().Select(e => e.GetString()));

        var finding = image.GetProperty("findings")[0];
        Assert.Equal(["rule", "severity", "message", "fix", "line", "suggestion"], Names(finding));
        Assert.Equal("error", finding.GetProperty("severity").GetString());

        var removed = root.GetProperty("images")[1];
        Assert.Equal(JsonValueKind.Null, removed.GetProperty("head").ValueKind);
        Assert.Equal(JsonValueKind.Null, removed.GetProperty("sizeDeltaBytes").ValueKind);
        var baseSide = removed.GetProperty("base");
        Assert.Equal(JsonValueKind.Null, baseSide.GetProperty("image").ValueKind);
        Assert.Equal(JsonValueKind.Null, baseSide.GetProperty("sizeBytes").ValueKind);
        Assert.Equal(["step", "message", "lastLines", "line"], Names(baseSide.GetProperty("error")));
        Assert.Equal(4, baseSide.GetProperty("error").GetProperty("line").GetInt32());
        Assert.Equal(JsonValueKind.Null, removed.GetProperty("findings")[0].GetProperty("line").ValueKind);
    }

    [Theory]
    [MemberData(nameof(ScenarioNames))]
    public async Task Report_survives_a_round_trip(string name)
    {
        var original = Scenarios.ByName(name);
        var written = await WriteAsync(original);

        var read = await ReadAsync(written);

        Assert.Equal(written, await WriteAsync(read));
        Assert.Equal(MarkdownReportRenderer.Render(original), MarkdownReportRenderer.Render(read));
        Assert.Equal(original.Verdict, read.Verdict);
        Assert.Equal(original.Images[0].Findings, read.Images[0].Findings);
    }

    [Fact]
    public async Task Round_trip_keeps_unnamed_stages_unnamed_and_sides_without_a_dockerfile()
    {
        var stage = SingleStage();
        var comparison = Compare(new SideFacts("img-a", null, SlimImage(), null), new SideFacts("main", stage, FatImage(), null));

        var read = await ReadAsync(await WriteAsync(new ComparisonReport([comparison])));

        Assert.Null(read.Images[0].Base!.Dockerfile);
        var dockerfile = read.Images[0].Head!.Dockerfile!;
        Assert.Null(dockerfile.FinalStage.Name);
        Assert.Equal("python:3.11", dockerfile.FinalBaseImage);
        Assert.False(dockerfile.IsMultiStage);
    }

    [Fact]
    public async Task An_unsupported_schema_version_is_named()
    {
        var error = await Assert.ThrowsAsync<ReportFormatException>(() => ReadAsync("""{"schemaVersion":1,"verdict":"pass","images":[]}"""));

        Assert.Equal(
            "report.json: schemaVersion 1 is not supported (expected 3). Write it again with pr-image-report compare --json FILE.",
            error.Message);
    }

    [Fact]
    public async Task A_version_2_report_gets_the_one_line_version_message_not_a_shape_error()
    {
        // Version 2 had no compressed sizes or origins: its sides lack properties version 3 requires.
        var json = """
            {"schemaVersion":2,"verdict":"pass","images":[{"dockerfile":"Dockerfile","context":".","verdict":"pass","sizeDeltaBytes":0,
             "base":{"ref":"main","image":"a","imageId":"sha256:1","sizeBytes":1,"layers":[],"layerCount":0,"stageCount":null,"stages":[],
             "finalStage":null,"finalBaseImage":null,"buildTools":[],"packages":[],"wasted":null,"error":null},
             "head":null,"findings":[],"evidence":{"layers":[],"packageChanges":[],"headWastedFiles":[]}}]}
            """;

        var error = await Assert.ThrowsAsync<ReportFormatException>(() => ReadAsync(json));

        Assert.Equal(
            "report.json: schemaVersion 2 is not supported (expected 3). Write it again with pr-image-report compare --json FILE.",
            error.Message);
    }

    [Fact]
    public async Task Compressed_sizes_and_origins_survive_a_round_trip()
    {
        var report = Scenarios.Improvement();
        var read = (await ReadAsync(await WriteAsync(report))).Images[0];

        Assert.Equal(report.Images[0].Head!.Image!.CompressedBytes, read.Head!.Image!.CompressedBytes);
        Assert.Null(read.Base!.Image!.CompressedBytes);
        Assert.Equal(Scenarios.Lane2BuildKit, read.Head.Image.Origin);
        Assert.Equal(Scenarios.Lane1Classic, read.Base.Image.Origin);
        Assert.Equal(report.Images[0].Evidence.Layers, read.Evidence.Layers);
    }

    [Fact]
    public async Task Seed_evidence_has_the_documented_shape_and_survives_a_round_trip()
    {
        var comparison = ImageComparer.Compare("Dockerfile", ".", SeedFacts.SlimSide(), SeedFacts.FatSide(), RuleOptions.Default);
        var written = await WriteAsync(new ComparisonReport([comparison]));

        using var json = JsonDocument.Parse(written);
        var evidence = json.RootElement.GetProperty("images")[0].GetProperty("evidence");
        Assert.Equal(["layers", "packageChanges", "headWastedFiles"], Names(evidence));
        var layer = evidence.GetProperty("layers")[0];
        Assert.Equal(["instruction", "origin", "baseLine", "headLine", "baseBytes", "headBytes", "baseCompressedBytes", "headCompressedBytes", "change"], Names(layer));
        Assert.Equal(("base-image", "changed"), (layer.GetProperty("origin").GetString(), layer.GetProperty("change").GetString()));
        Assert.Equal(["manager", "name", "baseVersion", "headVersion", "baseSizeBytes", "headSizeBytes", "change"], Names(evidence.GetProperty("packageChanges")[0]));
        Assert.Equal(["path", "sizeBytes", "deleted", "writtenBy", "removedBy"], Names(evidence.GetProperty("headWastedFiles")[0]));
        var head = json.RootElement.GetProperty("images")[0].GetProperty("head");
        Assert.Equal(["wastedBytes", "shippedBytes", "efficiency", "largestFiles"], Names(head.GetProperty("wasted")));
        Assert.Equal(["manager", "name", "version", "installedSizeBytes"], Names(head.GetProperty("packages")[0]));

        var read = (await ReadAsync(written)).Images[0];
        Assert.Equal(comparison.Evidence.Layers, read.Evidence.Layers);
        Assert.Equal(comparison.Evidence.Packages, read.Evidence.Packages);
        Assert.Equal(comparison.Evidence.HeadWastedFiles.Select(f => (f.Path, f.WrittenBy?.Instruction, f.RemovedBy?.Line)), read.Evidence.HeadWastedFiles.Select(f => (f.Path, f.WrittenBy?.Instruction, f.RemovedBy?.Line)));
        Assert.Equal(comparison.Head!.Image!.Wasted.WastedBytes, read.Evidence.HeadWasted!.WastedBytes);
        Assert.Equal(comparison.Head.Image.Packages, read.Head!.Image!.Packages);
        Assert.Equal(comparison.Findings, read.Findings);
        Assert.Equal(written, await WriteAsync(new ComparisonReport([read])));
    }

    [Fact]
    public async Task An_unknown_layer_origin_is_named()
    {
        var comparison = ImageComparer.Compare("Dockerfile", ".", SeedFacts.SlimSide(), SeedFacts.FatSide(), RuleOptions.Default);
        var written = (await WriteAsync(new ComparisonReport([comparison]))).Replace("\"origin\": \"base-image\"", "\"origin\": \"registry\"", StringComparison.Ordinal);

        var error = await Assert.ThrowsAsync<ReportFormatException>(() => ReadAsync(written));

        Assert.Equal("report.json: layer origin \"registry\" is not one of base-image, dockerfile, unknown. Write it again with pr-image-report compare --json FILE.", error.Message);
    }

    [Fact]
    public async Task A_missing_property_names_the_file_and_line()
    {
        var error = await Assert.ThrowsAsync<ReportFormatException>(() => ReadAsync("{\n  \"schemaVersion\": 3,\n  \"images\": []\n}"));

        Assert.StartsWith("report.json line ", error.Message, StringComparison.Ordinal);
        Assert.Contains("verdict", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', error.Message);
    }

    [Fact]
    public async Task Text_that_is_not_json_is_rejected_with_its_line()
    {
        var error = await Assert.ThrowsAsync<ReportFormatException>(() => ReadAsync("{\n\"schemaVersion\": 3,\n oops"));

        Assert.StartsWith("report.json line 3: not a PR Image Report JSON report", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unknown_severity_is_named()
    {
        var json = """
            {"schemaVersion":3,"verdict":"fail","images":[{"dockerfile":"Dockerfile","context":".","verdict":"fail","sizeDeltaBytes":null,
             "base":null,"head":null,"findings":[{"rule":"x","severity":"fatal","message":"m","fix":null,"line":null,"suggestion":null}],
             "evidence":{"layers":[],"packageChanges":[],"headWastedFiles":[]}}]}
            """;

        var error = await Assert.ThrowsAsync<ReportFormatException>(() => ReadAsync(json));

        Assert.Contains("images[0] has a finding with severity \"fatal\"", error.Message, StringComparison.Ordinal);
    }

    public static TheoryData<string> ScenarioNames => Scenarios.Names;

    private static async Task<string> WriteAsync(ComparisonReport report)
    {
        using var stream = new MemoryStream();
        await JsonReportWriter.WriteAsync(report, stream, CancellationToken.None);
        return Encoding.UTF8.GetString(stream.ToArray());
    }

    private static async Task<ComparisonReport> ReadAsync(string json)
    {
        using var stream = new MemoryStream(Encoding.UTF8.GetBytes(json));
        return await JsonReportReader.ReadAsync(stream, "report.json", CancellationToken.None);
    }

    private static List<string> Names(JsonElement element) => element.EnumerateObject().Select(p => p.Name).ToList();
}
