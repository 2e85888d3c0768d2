using System.Text.RegularExpressions;
using Markdig;
using Markdig.Extensions.Tables;
using Markdig.Syntax;
using PrImageReport.Core.Comparison;
using PrImageReport.Core.Images;
using PrImageReport.Core.Reports;
using static PrImageReport.Core.Tests.Comparison.SampleFacts;
using static PrImageReport.Core.Tests.Reports.GfmCheck;

namespace PrImageReport.Core.Tests.Reports;

public class MarkdownReportRendererTests
{
    [Theory]
    [MemberData(nameof(Names))]
    public void Report_matches_its_golden_file(string name)
    {
        var markdown = MarkdownReportRenderer.Render(Scenarios.ByName(name));

        GoldenFile.AssertMatches(name + ".md", markdown);
    }

    [Theory]
    [InlineData("regression", 5, 3)]
    [InlineData("improvement", 5, 3)]
    [InlineData("failed-build", 1, 0)]
    [InlineData("added-image", 2, 1)]
    public void Report_is_well_formed_gfm(string name, int tables, int detailsSections)
    {
        var markdown = MarkdownReportRenderer.Render(Scenarios.ByName(name));

        var document = AssertWellFormed(markdown);
        Assert.Equal(tables, document.Descendants<Table>().Count());
        Assert.Equal(detailsSections, document.Descendants<HtmlBlock>().Count(h => h.Lines.ToString().StartsWith("<details>", StringComparison.Ordinal)));
        Assert.IsType<ParagraphBlock>(document[0]);
        Assert.Single(document.Descendants<HeadingBlock>(), h => h.Level == 3);
    }

    [Fact]
    public void Regression_report_leads_with_the_verdict_and_the_size_change()
    {
        var markdown = MarkdownReportRenderer.Render(Scenarios.Regression());

        Assert.StartsWith("**PR Image Report: FAIL** -- head image +453.9 MB (+167.7%); ", markdown, StringComparison.Ordinal);
        Assert.Contains("| Size | 270.7 MB | 724.6 MB | +453.9 MB (+167.7%) |", markdown, StringComparison.Ordinal);
        Assert.Contains("| Stages | 2: builder, runtime | 1 | -1 |", markdown, StringComparison.Ordinal);
        Assert.Contains("| Packages | 143 | 209 | +67 / -1 / 1 upgraded |", markdown, StringComparison.Ordinal);
        Assert.Contains("| Wasted space | 612.4 kB (efficiency 99.8%) | 66.1 MB (efficiency 90.9%) | +65.5 MB, efficiency -8.9 points |", markdown, StringComparison.Ordinal);
        Assert.Contains("1 MB = 1,000,000 bytes", markdown, StringComparison.Ordinal);
    }

    [Fact]
    public void A_finding_shows_its_line_fix_and_suggested_diff()
    {
        var markdown = MarkdownReportRenderer.Render(Scenarios.Regression());

        var document = Markdown.Parse(markdown, Gfm);
        var item = document.Descendants<ListItemBlock>().Single(i => Source(markdown, i).Contains("fat-base-image", StringComparison.Ordinal));
        var text = Source(markdown, item);
        Assert.StartsWith("- **error** `fat-base-image` at `Dockerfile:1`: The final stage is now based on python:3.11", text, StringComparison.Ordinal);
        Assert.Contains("\\\n  **Fix:** Use python:3.11-slim for the final stage", text, StringComparison.Ordinal);
        var diff = Assert.Single(item.Descendants<FencedCodeBlock>());
        Assert.Equal("diff", diff.Info);
        Assert.Equal(["-FROM python:3.11", "+FROM python:3.11-slim"], diff.Lines.Lines.Take(diff.Lines.Count).Select(l => l.ToString()));
    }

    [Fact]
    public void A_suggestion_with_backtick_fences_stays_one_diff_block()
    {
        var finding = new Finding("fat-base-image", Severity.Error, "m", "f", 3, "-RUN echo ```\n+RUN echo ````\n ````");
        var comparison = Scenarios.Regression().Images[0] with { Findings = [finding] };

        var document = AssertWellFormed(MarkdownReportRenderer.Render(new ComparisonReport([comparison])));

        var diff = Assert.Single(document.Descendants<ListItemBlock>().Single().Descendants<FencedCodeBlock>());
        Assert.Equal(3, diff.Lines.Count);
        Assert.Equal("````", diff.Lines.Lines[2].ToString().Trim());
    }

    [Fact]
    public void Layers_pair_base_and_head_with_the_base_image_row_first()
    {
        var image = Scenarios.Regression().Images[0];
        var baseImageRow = image.Evidence.Layers.Single(l => l.Origin == LayerOrigin.BaseImage);
        var moved = image with { Evidence = image.Evidence with { Layers = [.. image.Evidence.Layers.Where(l => l != baseImageRow), baseImageRow] } };

        var rows = Rows(Markdown.Parse(MarkdownReportRenderer.Render(new ComparisonReport([moved])), Gfm), "Instruction");

        Assert.Equal(
            ["base image `python:3.11-slim` -> `python:3.11`", "`Dockerfile:1`", "217.0 MB", "569.0 MB", "+352.0 MB (+162.3%)"],
            rows[0].Cast<TableCell>().Select(CellText));
        Assert.Equal(
            ["`RUN pip install -r requirements.txt`", "`Dockerfile:5`", "48.2 MB", "112.4 MB", "+64.2 MB (+133.2%)"],
            rows[3].Cast<TableCell>().Select(CellText));
        Assert.Equal("new, +41.3 MB", CellText((TableCell)rows[1][4]));
        Assert.Equal(["base `Dockerfile:7`", "removed, -3.6 MB"], new[] { 1, 4 }.Select(i => CellText((TableCell)rows[^1][i])));
    }

    [Fact]
    public void A_long_layer_list_keeps_the_largest_rows_in_order()
    {
        var layers = Enumerable.Range(1, 40)
            .Select(i => new LayerDelta($"RUN step-{i}", LayerOrigin.Dockerfile, i, i, i * 1_000L, i == 3 ? 90_000_000 : i * 1_000L))
            .ToList();
        var image = Scenarios.Regression().Images[0] with { Evidence = ImageEvidence.None with { Layers = layers } };

        var markdown = MarkdownReportRenderer.Render(new ComparisonReport([image]));

        var instructions = Rows(Markdown.Parse(markdown, Gfm), "Instruction").Select(r => CellText((TableCell)r[0])).ToList();
        Assert.Equal(EvidenceModel.MaxLayerRows, instructions.Count);
        Assert.Equal(["`RUN step-3`", "`RUN step-12`", "`RUN step-13`"], instructions.Take(3));
        Assert.Equal("`RUN step-40`", instructions[^1]);
        Assert.Contains("And 10 smaller layer(s) not shown.", markdown, StringComparison.Ordinal);
    }

    [Fact]
    public void Packages_are_listed_largest_change_first_and_capped()
    {
        var markdown = MarkdownReportRenderer.Render(Scenarios.Regression());

        var rows = Rows(Markdown.Parse(markdown, Gfm), "Package");
        Assert.Equal(EvidenceModel.MaxPackageRows, rows.Count);
        Assert.Equal(["`gcc-12`", "dpkg", "added", "-", "`12.2.0-14+deb12u1`, 69.9 MB", "+69.9 MB"], rows[0].Cast<TableCell>().Select(CellText));
        Assert.Equal(["`psycopg2-binary`", "python", "removed", "`2.9.9`, 8.7 MB", "-", "-8.7 MB"], rows[11].Cast<TableCell>().Select(CellText));
        Assert.Contains("And 19 more package change(s) with smaller sizes.", markdown, StringComparison.Ordinal);
        Assert.Contains("<summary>Packages: +67 / -1 / 1 upgraded</summary>", markdown, StringComparison.Ordinal);
    }

    [Fact]
    public void An_upgraded_package_shows_both_versions_and_the_size_change()
    {
        var change = new PackageChange(PackageManager.Python, "gunicorn", "21.2.0", "22.0.0", 621_410, 658_902);
        var image = Scenarios.Regression().Images[0] with { Evidence = ImageEvidence.None with { Packages = [change] } };

        var row = Assert.Single(Rows(Markdown.Parse(MarkdownReportRenderer.Render(new ComparisonReport([image])), Gfm), "Package"));

        Assert.Equal(["`gunicorn`", "python", "upgraded", "`21.2.0`, 621.4 kB", "`22.0.0`, 658.9 kB", "+37.5 kB (+6.0%)"], row.Cast<TableCell>().Select(CellText));
    }

    [Fact]
    public void Wasted_space_names_the_instructions_that_wrote_and_removed_each_path()
    {
        var document = Markdown.Parse(MarkdownReportRenderer.Render(Scenarios.Regression()), Gfm);

        var rows = Rows(document, "Path");
        Assert.Equal(
            ["`/root/.cache/pip`", "63.3 MB", "`RUN pip install -r requirements.txt` at `Dockerfile:5`", "deleted by `RUN rm -rf /root/.cache/pip` at `Dockerfile:7`"],
            rows[0].Cast<TableCell>().Select(CellText));
        Assert.Equal("base image `FROM python:3.11` at `Dockerfile:1`", CellText((TableCell)rows[1][2]));
        Assert.StartsWith("overwritten by ", CellText((TableCell)rows[1][3]), StringComparison.Ordinal);
        var efficiency = document.Descendants<Table>().SelectMany(t => t.Cast<TableRow>()).Single(r => CellText((TableCell)r[0]) == "Efficiency");
        Assert.Equal(["Efficiency", "99.8%", "90.9%", "-8.9 points"], efficiency.Cast<TableCell>().Select(CellText));
    }

    [Fact]
    public void Nothing_wasted_leaves_the_wasted_space_section_out_but_keeps_the_row()
    {
        var image = Scenarios.Regression().Images[0];
        var clean = image with
        {
            Evidence = image.Evidence with { BaseWasted = new(0, 270_669_831, []), HeadWasted = new(0, 724_600_069, []), HeadWastedFiles = [] },
        };

        var markdown = MarkdownReportRenderer.Render(new ComparisonReport([clean]));

        Assert.DoesNotContain("<summary>Wasted space", markdown, StringComparison.Ordinal);
        Assert.Contains("<summary>Layers", markdown, StringComparison.Ordinal);
        Assert.Contains("| Wasted space | 0 B (efficiency 100.0%) | 0 B (efficiency 100.0%) | 0 B, efficiency 0.0 points |", markdown, StringComparison.Ordinal);
    }

    [Fact]
    public void Wasted_space_of_a_report_from_before_it_was_measured_says_so()
    {
        var image = Scenarios.Regression().Images[0];
        var old = image with { Evidence = image.Evidence with { BaseWasted = WastedSpace.None, HeadWasted = null } };

        var markdown = MarkdownReportRenderer.Render(new ComparisonReport([old]));

        Assert.Contains("| Wasted space | not measured | not measured |  |", markdown, StringComparison.Ordinal);
        Assert.DoesNotContain("<summary>Wasted space", markdown, StringComparison.Ordinal);
    }

    [Fact]
    public void Instructions_with_markdown_and_html_stay_in_their_cells()
    {
        const string nasty = "RUN echo '<script>' | tee `x` && printf '|%s|' *a* [b](c) ~~d~~";
        var cause = new AttributedLayer(nasty, LayerOrigin.Dockerfile, 4, 10, [5]);
        var image = Scenarios.Regression().Images[0];
        var evidence = image.Evidence with
        {
            Layers = [new LayerDelta(nasty, LayerOrigin.Dockerfile, null, 4, null, 5_000_000)],
            HeadWastedFiles = [new WastedFileCause("/tmp/<b>|x`y`", 1_000, true, cause, cause)],
        };

        var document = AssertWellFormed(MarkdownReportRenderer.Render(new ComparisonReport([image with { Evidence = evidence }])));

        Assert.Equal("`" + nasty + "`", CellText((TableCell)Assert.Single(Rows(document, "Instruction"))[0]));
        var wasted = Assert.Single(Rows(document, "Path"));
        Assert.Equal("`/tmp/<b>|x`y``", CellText((TableCell)wasted[0]));
        Assert.Equal($"`{nasty}` at `Dockerfile:4`", CellText((TableCell)wasted[2]));
    }

    [Fact]
    public void The_chart_shows_the_largest_layers_of_both_sides()
    {
        var document = Markdown.Parse(MarkdownReportRenderer.Render(Scenarios.Regression()), Gfm);

        var chart = Assert.Single(document.Descendants<FencedCodeBlock>(), c => c.Info == "mermaid");
        var lines = chart.Lines.Lines.Take(chart.Lines.Count).Select(l => l.ToString().Trim()).ToList();
        Assert.Equal("xychart-beta", lines[0]);
        Assert.Contains("x-axis [\"base image\", \"RUN line 2\", \"RUN line 5\", \"COPY line 6\", \"RUN base line 7\"]", lines);
        Assert.Contains("y-axis \"MB\" 0 --> 600", lines);
        Assert.Contains("bar [569, 41.3, 112.4, 1.9, 0]", lines);
        Assert.Contains("line [217, 0, 48.2, 1.9, 3.6]", lines);
    }

    [Fact]
    public void Chart_labels_are_short_distinct_and_safe_inside_quotes()
    {
        var layers = new[] { "RUN echo \"a\" [b]", "RUN \"x\"", "COPY --chown=\"u\" a b", "/bin/sh -c #(nop) weird \"text\"" }
            .Select((text, i) => new LayerDelta(text, i == 3 ? LayerOrigin.Unknown : LayerOrigin.Dockerfile, null, i == 3 ? null : 7, 1_000_000, 2_000_000 + i))
            .ToList();
        var image = Scenarios.Regression().Images[0] with { Evidence = ImageEvidence.None with { Layers = layers } };

        var document = Markdown.Parse(MarkdownReportRenderer.Render(new ComparisonReport([image])), Gfm);

        var chart = Assert.Single(document.Descendants<FencedCodeBlock>(), c => c.Info == "mermaid").Lines.ToString();
        var axis = Regex.Match(chart, @"x-axis \[(.*)\]").Groups[1].Value;
        Assert.Equal("\"RUN line 7\", \"RUN line 7 2\", \"COPY line 7\", \"step\"", axis);
    }

    [Fact]
    public void No_chart_when_a_side_was_not_built_or_nothing_changed()
    {
        var image = Scenarios.Regression().Images[0];
        var unchanged = image with { Evidence = image.Evidence with { Layers = [new LayerDelta("COPY . .", LayerOrigin.Dockerfile, 3, 3, 5_000_000, 5_000_000)] } };
        var failed = image with { Head = image.Head! with { Image = null, Failure = PipFailure } };

        foreach (var comparison in new[] { unchanged, failed })
        {
            var markdown = MarkdownReportRenderer.Render(new ComparisonReport([comparison]));

            Assert.DoesNotContain("```mermaid", markdown, StringComparison.Ordinal);
            AssertWellFormed(markdown);
        }
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
    public void Message_with_pipes_newlines_and_markdown_stays_in_its_finding()
    {
        var finding = new Finding("build-failed", Severity.Error, "step `a | b`\nfailed *badly* with <none> & [link](x) ~~no~~", "use x|y");
        var comparison = new ImageComparison("svc|a/Dock`erfile", ".", SlimSide(), SlimSide("feat|ure"), [finding]);

        var markdown = MarkdownReportRenderer.Render(new ComparisonReport([comparison]));

        var document = AssertWellFormed(markdown);
        var item = Source(markdown, document.Descendants<ListItemBlock>().Single());
        var text = Markdown.ToPlainText(item, Gfm);
        Assert.Contains("step `a | b` failed *badly* with <none> & [link](x) ~~no~~", text, StringComparison.Ordinal);
        Assert.Contains("Fix: use x|y", text, StringComparison.Ordinal);
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

        Assert.StartsWith("**PR Image Report: FAIL** -- 3 images, largest change `Dockerfile` -453.9 MB (-62.6%); ", markdown, StringComparison.Ordinal);
        Assert.Equal(3, Markdown.Parse(markdown, Gfm).Descendants<HeadingBlock>().Count(h => h.Level == 3));
        AssertWellFormed(markdown);
    }

    [Fact]
    public void A_report_too_long_for_a_comment_drops_the_details_and_charts_first()
    {
        var images = Enumerable.Range(0, 8).Select(i => Scenarios.Regression().Images[0] with { Dockerfile = $"svc{i}/Dockerfile" }).ToList();
        var report = new ComparisonReport(images);
        Assert.True(images.Sum(i => MarkdownReportRenderer.Render(new ComparisonReport([i])).Length) > MarkdownReportRenderer.MaxLength);

        var markdown = MarkdownReportRenderer.Render(report);

        AssertWellFormed(markdown);
        Assert.Equal(8, Markdown.Parse(markdown, Gfm).Descendants<HeadingBlock>().Count(h => h.Level == 3));
        Assert.DoesNotContain("<details>", markdown, StringComparison.Ordinal);
        Assert.DoesNotContain("```mermaid", markdown, StringComparison.Ordinal);
        Assert.Contains("```diff", markdown, StringComparison.Ordinal);
        Assert.DoesNotContain("more image(s) not shown", markdown, StringComparison.Ordinal);
        Assert.Contains("Layers, packages, wasted space, charts and build logs were left out to fit a comment", markdown, StringComparison.Ordinal);
    }

    [Fact]
    public void A_huge_report_drops_details_then_the_least_severe_images()
    {
        var noisy = PipFailure with { LastLines = Enumerable.Range(0, 200).Select(i => $"line {i} " + new string('x', 250)).ToList() };
        var failing = Compare(SlimSide(), new SideFacts("feature", MultiStage(), null, noisy)) with { Dockerfile = "failing/Dockerfile" };
        var manyPackages = Enumerable.Range(0, 2_000)
            .Select(i => new PackageChange(PackageManager.Dpkg, $"lib{i}-dev|<x>", null, "1.0~rc`1`", null, i * 1_000L))
            .ToList();
        var improvement = Scenarios.Improvement().Images[0];
        var passing = Enumerable.Range(0, 150).Select(i => improvement with
        {
            Dockerfile = $"svc{i}/Dockerfile",
            Evidence = improvement.Evidence with { Packages = manyPackages },
        });
        var report = new ComparisonReport([.. passing, failing]);

        var markdown = MarkdownReportRenderer.Render(report);

        AssertWellFormed(markdown);
        Assert.Contains("`failing/Dockerfile` -- FAIL", markdown, StringComparison.Ordinal);
        Assert.Contains("more image(s) not shown", markdown, StringComparison.Ordinal);
        Assert.DoesNotContain("line 199", markdown, StringComparison.Ordinal);
        Assert.DoesNotContain("<details>", markdown, StringComparison.Ordinal);
        Assert.StartsWith("**PR Image Report: FAIL** -- 151 images", markdown, StringComparison.Ordinal);
    }

    [Fact]
    public void One_image_with_huge_evidence_stays_within_a_comment_without_dropping_anything()
    {
        var image = Scenarios.Regression().Images[0];
        var huge = image with
        {
            Evidence = image.Evidence with
            {
                Layers = [.. Enumerable.Range(1, 5_000).Select(i => new LayerDelta("RUN " + new string('x', 500), LayerOrigin.Dockerfile, i, i, i * 1_000L, i * 100_000L))],
                Packages = [.. Enumerable.Range(0, 5_000).Select(i => new PackageChange(PackageManager.Apk, new string('p', 300) + i, null, new string('9', 100), null, i))],
                HeadWastedFiles = [.. Enumerable.Range(0, 5_000).Select(i => new WastedFileCause("/" + new string('w', 400) + i, i, true, null, null))],
            },
        };

        var markdown = MarkdownReportRenderer.Render(new ComparisonReport([huge]));

        AssertWellFormed(markdown);
        Assert.Equal(3, Regex.Count(markdown, "^<details>$", RegexOptions.Multiline));
        Assert.Contains("```mermaid", markdown, StringComparison.Ordinal);
    }

    [Fact]
    public void A_custom_template_sees_the_model()
    {
        var template = ReportTemplate.Parse(
            "{{ verdict }} {{ images.size }} {{ for f in images[0].findings }}{{ f.severity }}:{{ f.rule }} {{ end }}{{ images[0].packages_summary }} {{ images[0].layers[0].change }}",
            "custom.scriban");

        var text = MarkdownReportRenderer.Render(Scenarios.Improvement(), template);

        Assert.Equal("PASS 1 notice:`build-tools-removed` notice:`image-size-decrease` notice:`multi-stage-adopted` Packages: +1 / -67 / 1 upgraded -352.0 MB (-61.9%)", text);
    }

    [Fact]
    public void A_template_that_does_not_parse_is_reported_with_file_and_line()
    {
        var error = Assert.Throws<ReportTemplateException>(() => ReportTemplate.Parse("ok\n{{ for x in images }}\n{{ x.heading ", "custom.scriban"));

        Assert.Matches(@"^custom\.scriban:3: [^\n]+; fix the Scriban syntax on that line$", error.Message);
    }

    [Fact]
    public void A_template_using_an_unknown_variable_fails_with_file_and_line()
    {
        var template = ReportTemplate.Parse("line one\n{{ for image in images }}\n{{ imag.layers }}{{ end }}", "custom.scriban");

        var error = Assert.Throws<ReportTemplateException>(() => MarkdownReportRenderer.Render(Scenarios.Regression(), template));

        Assert.StartsWith("custom.scriban:3: ", error.Message, StringComparison.Ordinal);
        Assert.Contains("imag", error.Message, StringComparison.Ordinal);
        Assert.EndsWith("; fix the template on that line (docs/report-template.md lists the variables it receives)", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', error.Message);
    }

    [Fact]
    public void A_runaway_template_loop_is_stopped()
    {
        var template = ReportTemplate.Parse("{{ while true }}x{{ end }}", "custom.scriban");

        var error = Assert.Throws<ReportTemplateException>(() => MarkdownReportRenderer.Render(Scenarios.Regression(), template));

        Assert.StartsWith("custom.scriban:1: ", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_template_too_long_even_without_images_is_an_error()
    {
        var template = ReportTemplate.Parse("{{ for i in 1..700 }}" + new string('x', 100) + "{{ end }}", "custom.scriban");

        var error = Assert.Throws<ReportTemplateException>(() => MarkdownReportRenderer.Render(Scenarios.Regression(), template));

        Assert.Contains("longer than 60000 characters", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_example_in_the_template_documentation_renders()
    {
        var documentation = File.ReadAllText(Path.Combine(RepositoryRoot(), "docs", "report-template.md"));
        var example = documentation[documentation.IndexOf("## A small template", StringComparison.Ordinal)..];
        var start = example.IndexOf("```\n", StringComparison.Ordinal) + 4;
        var template = ReportTemplate.Parse(example[start..example.LastIndexOf("```", StringComparison.Ordinal)], "example.scriban");

        var markdown = MarkdownReportRenderer.Render(Scenarios.Regression(), template);

        AssertWellFormed(markdown);
        Assert.StartsWith("**PR Image Report: FAIL** -- head image +453.9 MB (+167.7%)", markdown, StringComparison.Ordinal);
        Assert.Contains("\n- error `fat-base-image` at `Dockerfile:1`: The final stage", markdown, StringComparison.Ordinal);
        Assert.Contains("```mermaid", markdown, StringComparison.Ordinal);
    }

    [Fact]
    public void The_default_template_is_embedded()
    {
        Assert.Contains("{{ verdict_line }}", ReportTemplate.DefaultText, StringComparison.Ordinal);
    }

    public static TheoryData<string> Names => Scenarios.Names;

    private static string RepositoryRoot([System.Runtime.CompilerServices.CallerFilePath] string callerPath = "") =>
        Path.GetFullPath(Path.Combine(Path.GetDirectoryName(callerPath)!, "..", "..", ".."));

    /// <summary>The Markdown a block was parsed from.</summary>
    private static string Source(string markdown, Block block) => markdown.Substring(block.Span.Start, block.Span.Length);
}
