using Markdig;
using Markdig.Extensions.Tables;
using Markdig.Syntax;
using Markdig.Syntax.Inlines;
using PrImageReport.Core.Comparison;
using PrImageReport.Core.Reports;
using static PrImageReport.Core.Tests.Comparison.SampleFacts;

namespace PrImageReport.Core.Tests.Reports;

public class MarkdownReportRendererTests
{
    private static readonly MarkdownPipeline Gfm = new MarkdownPipelineBuilder().UseAdvancedExtensions().Build();

    [Theory]
    [MemberData(nameof(Names))]
    public void Report_matches_its_golden_file(string name)
    {
        var markdown = MarkdownReportRenderer.Render(Scenarios.ByName(name));

        GoldenFile.AssertMatches(name + ".md", markdown);
    }

    [Theory]
    [InlineData("regression", 3)]
    [InlineData("improvement", 3)]
    [InlineData("failed-build", 2)]
    [InlineData("added-image", 2)]
    public void Report_is_well_formed_gfm_with_complete_tables(string name, int tables)
    {
        var markdown = MarkdownReportRenderer.Render(Scenarios.ByName(name));

        Assert.True(markdown.Length < 65_536, $"{name} renders {markdown.Length} characters, over GitHub's comment limit.");
        var document = Markdown.Parse(markdown, Gfm);
        var parsed = document.Descendants<Table>().ToList();
        Assert.Equal(tables, parsed.Count);
        Assert.All(parsed, AssertRectangular);
        Assert.IsType<ParagraphBlock>(document[0]);
        Assert.Equal(3, Assert.Single(document.Descendants<HeadingBlock>(), h => h.Level == 3).Level);
    }

    [Fact]
    public void Regression_report_leads_with_the_verdict_and_the_size_change()
    {
        var markdown = MarkdownReportRenderer.Render(Scenarios.Regression());

        Assert.StartsWith("**PR Image Report: FAIL** -- head image +291.0 MB (+240.6%); 4 errors, 1 notice\n", markdown, StringComparison.Ordinal);
        Assert.Contains("| Size | 120.9 MB | 411.9 MB | +291.0 MB (+240.6%) |", markdown, StringComparison.Ordinal);
        Assert.Contains("| Stages | 2: builder, runtime | 1 | -1 |", markdown, StringComparison.Ordinal);
        Assert.Contains("1 MB = 1,000,000 bytes", markdown, StringComparison.Ordinal);
    }

    [Fact]
    public void Largest_layers_are_the_top_five_of_the_head_by_size()
    {
        var layers = Enumerable.Range(1, 7).Select(i => Layer($"RUN step-{i}", i * 1_000_000L)).ToList();
        var head = new SideFacts("feature", SingleStage(SlimBase), Image("head", "sha256:1", layers, []), null);

        var markdown = MarkdownReportRenderer.Render(new ComparisonReport([Compare(SlimSide(), head)]));

        var table = Markdown.Parse(markdown, Gfm).Descendants<Table>().Last();
        var instructions = table.Skip(1).Cast<TableRow>().Select(r => CellText((TableCell)r[1])).ToList();
        Assert.Equal(["`RUN step-7`", "`RUN step-6`", "`RUN step-5`", "`RUN step-4`", "`RUN step-3`"], instructions);
    }

    [Fact]
    public void Failed_build_shows_the_step_and_the_last_lines_in_a_code_block()
    {
        var markdown = MarkdownReportRenderer.Render(Scenarios.FailedBuild());

        var document = Markdown.Parse(markdown, Gfm);
        var code = Assert.Single(document.Descendants<FencedCodeBlock>());
        var text = code.Lines.ToString();
        Assert.Contains("ERROR: No matching distribution found for flask==9.9", text, StringComparison.Ordinal);
        Assert.Equal(PipFailure.LastLines.Count, code.Lines.Count);
        Assert.Contains("(Dockerfile line 4)", markdown, StringComparison.Ordinal);
    }

    [Fact]
    public void Build_output_with_backtick_fences_cannot_close_the_code_block()
    {
        var failure = PipFailure with { LastLines = ["before", "```", "````sh", "after"] };
        var report = new ComparisonReport([Compare(SlimSide(), new SideFacts("feature", MultiStage(), null, failure))]);

        var code = Assert.Single(Markdown.Parse(MarkdownReportRenderer.Render(report), Gfm).Descendants<FencedCodeBlock>());

        Assert.Equal(4, code.Lines.Count);
        Assert.Equal("after", code.Lines.Lines[3].ToString());
    }

    [Fact]
    public void Cell_content_with_pipes_newlines_and_markdown_stays_in_its_cell()
    {
        var finding = new Finding("build-failed", Severity.Error, "step `a | b`\nfailed *badly* with <none> & [link](x)", "use x|y");
        var comparison = new ImageComparison("svc|a/Dock`erfile", ".", SlimSide(), SlimSide("feat|ure"), [finding]);

        var markdown = MarkdownReportRenderer.Render(new ComparisonReport([comparison]));

        var findings = Markdown.Parse(markdown, Gfm).Descendants<Table>().ElementAt(1);
        Assert.All(Markdown.Parse(markdown, Gfm).Descendants<Table>(), AssertRectangular);
        var row = (TableRow)findings[1];
        Assert.Equal("step `a | b` failed *badly* with <none> & [link](x)", CellText((TableCell)row[3]));
        Assert.Equal("use x|y", CellText((TableCell)row[4]));
        Assert.Contains("svc|a/Dock`erfile", Markdown.ToPlainText(markdown, Gfm), StringComparison.Ordinal);
    }

    [Fact]
    public void An_added_image_says_so_and_leaves_the_base_column_empty()
    {
        var markdown = MarkdownReportRenderer.Render(Scenarios.AddedImage());

        Assert.Contains("### `worker/Dockerfile` -- PASS (added in this PR)", markdown, StringComparison.Ordinal);
        Assert.Contains("| Size | - | 120.9 MB |  |", markdown, StringComparison.Ordinal);
        Assert.Contains("No findings.", markdown, StringComparison.Ordinal);
    }

    [Fact]
    public void Several_images_name_the_largest_change_in_the_verdict_line()
    {
        var report = new ComparisonReport([Scenarios.Improvement().Images[0], Scenarios.AddedImage().Images[0], Scenarios.Regression().Images[0] with { Dockerfile = "api/Dockerfile" }]);

        var markdown = MarkdownReportRenderer.Render(report);

        Assert.StartsWith("**PR Image Report: FAIL** -- 3 images, largest change `Dockerfile` -291.0 MB (-70.6%); 4 errors, 4 notices\n", markdown, StringComparison.Ordinal);
        Assert.Equal(3, Markdown.Parse(markdown, Gfm).Descendants<HeadingBlock>().Count(h => h.Level == 3));
    }

    [Fact]
    public void A_report_too_long_for_a_comment_drops_details_then_the_least_severe_images()
    {
        var noisy = PipFailure with { LastLines = Enumerable.Range(0, 200).Select(i => $"line {i} " + new string('x', 250)).ToList() };
        var failing = Compare(SlimSide(), new SideFacts("feature", MultiStage(), null, noisy)) with { Dockerfile = "failing/Dockerfile" };
        var passing = Enumerable.Range(0, 150).Select(i => Scenarios.Improvement().Images[0] with { Dockerfile = $"svc{i}/Dockerfile" });
        var report = new ComparisonReport([.. passing, failing]);

        var markdown = MarkdownReportRenderer.Render(report);

        Assert.True(markdown.Length <= MarkdownReportRenderer.MaxLength, $"{markdown.Length} characters");
        Assert.Contains("`failing/Dockerfile` -- FAIL", markdown, StringComparison.Ordinal);
        Assert.Contains("more image(s) not shown", markdown, StringComparison.Ordinal);
        Assert.Contains("Layer tables and build logs were left out", markdown, StringComparison.Ordinal);
        Assert.DoesNotContain("line 199", markdown, StringComparison.Ordinal);
        Assert.StartsWith("**PR Image Report: FAIL** -- 151 images", markdown, StringComparison.Ordinal);
    }

    [Fact]
    public void A_custom_template_sees_the_model()
    {
        var template = ReportTemplate.Parse("{{ verdict }} {{ images.size }} {{ for f in images[0].findings }}{{ f.severity }}:{{ f.rule }} {{ end }}", "custom.scriban");

        var text = MarkdownReportRenderer.Render(Scenarios.Improvement(), template);

        Assert.Equal("PASS 1 notice:`build-tools-removed` notice:`image-size-decrease` notice:`multi-stage-adopted` ", text);
    }

    [Fact]
    public void A_template_that_does_not_parse_is_reported_with_file_and_line()
    {
        var error = Assert.Throws<ReportTemplateException>(() => ReportTemplate.Parse("ok\n{{ for x in images }}\nno end", "custom.scriban"));

        Assert.StartsWith("custom.scriban line ", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_template_using_an_unknown_variable_fails_with_file_and_line()
    {
        var template = ReportTemplate.Parse("line one\n{{ verdikt }}", "custom.scriban");

        var error = Assert.Throws<ReportTemplateException>(() => MarkdownReportRenderer.Render(Scenarios.Regression(), template));

        Assert.StartsWith("custom.scriban line 2:", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_runaway_template_loop_is_stopped()
    {
        var template = ReportTemplate.Parse("{{ while true }}x{{ end }}", "custom.scriban");

        var error = Assert.Throws<ReportTemplateException>(() => MarkdownReportRenderer.Render(Scenarios.Regression(), template));

        Assert.StartsWith("custom.scriban line 1:", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_template_too_long_even_without_images_is_an_error()
    {
        var template = ReportTemplate.Parse("{{ for i in 1..700 }}" + new string('x', 100) + "{{ end }}", "custom.scriban");

        var error = Assert.Throws<ReportTemplateException>(() => MarkdownReportRenderer.Render(Scenarios.Regression(), template));

        Assert.Contains("longer than 60000 characters", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_default_template_is_embedded()
    {
        Assert.Contains("{{ verdict_line }}", ReportTemplate.DefaultText, StringComparison.Ordinal);
    }

    public static TheoryData<string> Names => Scenarios.Names;

    private static void AssertRectangular(Table table)
    {
        var header = (TableRow)table[0];
        Assert.True(header.IsHeader);
        Assert.All(table.Cast<TableRow>(), row => Assert.Equal(header.Count, row.Count));
    }

    private static string CellText(TableCell cell)
    {
        var paragraph = (ParagraphBlock)cell[0];
        return string.Concat(paragraph.Inline!.Descendants<LeafInline>().Select(i => i switch
        {
            CodeInline code => "`" + code.Content + "`",
            LiteralInline literal => literal.Content.ToString(),
            _ => "",
        }));
    }
}
