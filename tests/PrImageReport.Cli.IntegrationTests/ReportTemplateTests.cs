using PrImageReport.Cli.IntegrationTests.Action;
using PrImageReport.Cli.IntegrationTests.Infrastructure;
using PrImageReport.Core.Comparison;
using PrImageReport.Core.Images;
using PrImageReport.Core.Reports;
using PrImageReport.Testing;
using PrImageReport.Testing.GitHub;

namespace PrImageReport.Cli.IntegrationTests;

/// <summary>
/// A user's own Scriban template (--template FILE, the action's template input) renders the report; a template that
/// does not parse or render ends with exit code 2 and one line naming the file and line.
/// </summary>
[Collection(DockerEngineCollection.Name)]
public sealed class ReportTemplateTests : IDisposable
{
    private const string Sha = "0123456789abcdef0123456789abcdef01234567";

    private const string Custom = """
        {{ verdict }} with {{ images.size }} image(s)
        {{- for image in images }}
        {{ image.heading }}:{{ for f in image.findings }} {{ f.rule }}{{ end }}
        {{ image.packages_summary }}; {{ image.layers.size }} layer row(s)
        {{- end }}

        """;

    private readonly TempDirectory folder = new("pr-image-report-template-");

    public void Dispose() => folder.Dispose();

    [Fact]
    public async Task Compare_renders_the_report_with_the_users_template()
    {
        await Engine.RequireAsync(Engine.SlimPython, Engine.FatPython);
        var template = folder.Write("team.md.scriban", Custom);

        var run = await CompareRun.RunAsync(["--base-image", Engine.SlimPython, "--head-image", Engine.FatPython, "--template", template]);

        run.AssertExitCode(1);
        var lines = (run.Markdown ?? throw run.Failure("no Markdown report was written")).Split('\n');
        Assert.Equal("FAIL with 1 image(s)", lines[0]);
        Assert.StartsWith("`python:3.11-slim` -> `python:3.11`: ", lines[1], StringComparison.Ordinal);
        Assert.Contains(" `build-tools-in-final-image`", lines[1], StringComparison.Ordinal);
        Assert.Matches(@"^Packages: \+[1-9][0-9]* / -[0-9]+ / [0-9]+ upgraded; [0-9]+ layer row\(s\)$", lines[2]);
    }

    [Fact]
    public async Task Compare_with_a_template_that_does_not_render_names_file_and_line()
    {
        await Engine.RequireAsync(Engine.SlimPython, Engine.FatPython);
        var template = folder.Write("typo.md.scriban", "{{ verdict_line }}\n{{ for image in images }}\n{{ image.heading }} {{ imag.verdict }}\n{{ end }}\n");

        var run = await CompareRun.RunAsync(["--base-image", Engine.SlimPython, "--head-image", Engine.FatPython, "--template", template]);

        run.AssertExitCode(ExitCodes.BadInput);
        // Progress lines come first: the template fails when the measured report is rendered.
        var message = run.Process.StandardError.Split('\n', StringSplitOptions.RemoveEmptyEntries)[^1];
        Assert.StartsWith($"pr-image-report: {template}:3: ", message, StringComparison.Ordinal);
        Assert.Contains("imag", message, StringComparison.Ordinal);
        Assert.EndsWith("fix the template on that line (docs/report-template.md lists the variables it receives)", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Compare_with_a_template_that_does_not_parse_stops_before_building()
    {
        var template = folder.Write("broken.md.scriban", "{{ verdict_line }}\n\n{{ for image in images }}\n{{ image.heading }}\n");

        // The images do not exist: the template is read before anything is built or measured.
        var run = await CompareRun.RunAsync(["--base-image", "pr-image-report-absent:1", "--head-image", "pr-image-report-absent:2", "--template", template]);

        run.AssertExitCode(ExitCodes.BadInput);
        var message = run.AssertOneLineError();
        Assert.Matches($"^pr-image-report: {System.Text.RegularExpressions.Regex.Escape(template)}:[45]: .+; fix the Scriban syntax on that line$", message);
        Assert.Null(run.JsonText);
        run.AssertNoTemporaryLeftovers();
    }

    [Fact]
    public async Task A_template_file_that_does_not_exist_is_bad_input()
    {
        var run = await CompareRun.RunAsync(["--base-image", Engine.SlimPython, "--head-image", Engine.FatPython, "--template", folder.Combine("nope.scriban")]);

        run.AssertExitCode(ExitCodes.BadInput);
        Assert.Contains("--template " + folder.Combine("nope.scriban") + ": no such file", run.AssertOneLineError(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Publish_posts_the_comment_rendered_with_the_users_template()
    {
        await using var github = await FakeGitHubServer.StartAsync();
        var reportPath = await WriteReportAsync(folder.Path);
        var template = folder.Write("team.md.scriban", Custom);

        var result = await CliTool.RunAsync(
            ["publish", "--report", reportPath, "--repository", "octo-org/shop", "--pull-request", "7", "--sha", Sha, "--template", template],
            folder.Path,
            new Dictionary<string, string?> { ["GITHUB_TOKEN"] = FakeGitHubServer.Token, ["GITHUB_API_URL"] = github.ApiUrl.AbsoluteUri });

        Assert.True(result.ExitCode == ExitCodes.Failed, result.Describe());
        var comment = Assert.Single(github.Comments("octo-org", "shop", 7));
        Assert.Contains("\nFAIL with 1 image(s)\n`Dockerfile`: ", comment.Body, StringComparison.Ordinal);
        Assert.Contains(" `image-size-increase`", comment.Body, StringComparison.Ordinal);
        Assert.Contains("\nPackages: +0 / -0 / 0 upgraded; ", comment.Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_action_template_input_renders_the_comment_and_the_summary()
    {
        await using var scenario = await ActionScenario.CreateAsync();
        await WriteReportAsync(scenario.Repository.Path);
        scenario.Repository.Write(".github/report.md.scriban", Custom);
        var environment = scenario.Environment(path => path, scenario.GitHub.ApiUrl);
        environment["INPUT_PUBLISH-REPORT"] = "report.json";
        environment["INPUT_TEMPLATE"] = ".github/report.md.scriban";

        var result = await CliTool.RunAsync(["action"], scenario.Repository.Path, environment);

        Assert.True(result.ExitCode == ExitCodes.Failed, result.Describe());
        var comment = Assert.Single(scenario.GitHub.Comments(ActionScenario.Owner, ActionScenario.Repo, ActionScenario.Number));
        Assert.Contains("\nFAIL with 1 image(s)\n", comment.Body, StringComparison.Ordinal);
        Assert.Contains("FAIL with 1 image(s)\n", await File.ReadAllTextAsync(scenario.SummaryFile), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_action_template_input_that_does_not_parse_is_bad_input_before_any_request()
    {
        await using var scenario = await ActionScenario.CreateAsync();
        scenario.Repository.Write("report.scriban", "{{ if compact }}\nno end\n");
        var environment = scenario.Environment(path => path, scenario.GitHub.ApiUrl);
        environment["INPUT_TEMPLATE"] = "report.scriban";

        var result = await CliTool.RunAsync(["action"], scenario.Repository.Path, environment);

        Assert.True(result.ExitCode == ExitCodes.BadInput, result.Describe());
        var message = Assert.Single(result.StandardError.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("pr-image-report: report.scriban:", message, StringComparison.Ordinal);
        Assert.Empty(scenario.GitHub.Requests);
    }

    /// <summary>A report.json of an image that doubled in size, as an earlier compare wrote it.</summary>
    private static async Task<string> WriteReportAsync(string directory)
    {
        ImageFacts Image(long size) => new("app", "sha256:1", size, [new LayerFact("", "(base image)", size, false)], []);
        var comparison = ImageComparer.Compare("Dockerfile", ".", new SideFacts("main", null, Image(100_000_000), null), new SideFacts("pr", null, Image(200_000_000), null), new RuleOptions());
        var path = Path.Combine(directory, "report.json");
        await using var file = File.Create(path);
        await JsonReportWriter.WriteAsync(new ComparisonReport([comparison]), file, CancellationToken.None);
        return path;
    }
}
