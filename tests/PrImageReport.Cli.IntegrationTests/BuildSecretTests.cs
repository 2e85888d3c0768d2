using PrImageReport.Cli.IntegrationTests.Infrastructure;
using PrImageReport.Testing;

namespace PrImageReport.Cli.IntegrationTests;

/// <summary>
/// Build secrets reach the build and nothing else: a RUN that prints one, and a failing step that prints it, leave its
/// value in no report, no progress line and no failure excerpt. On lane 1 the docker CLI's own BuildKit builds, on lane 2 buildx.
/// </summary>
[Collection(DockerEngineCollection.Name)]
public sealed class BuildSecretTests : IDisposable
{
    private const string TokenValue = "tok-7d1f0c9e-secret";
    private const string NetrcPassword = "pa55-n3trc-77b2";

    private readonly TempDirectory folder = new();

    public void Dispose() => folder.Dispose();

    [Fact]
    public async Task SecretValuesAppearInNoReportNorOutputWhenARunPrintsThemAndWhenAFailingStepDoes()
    {
        await Engine.RequireAsync("debian:bookworm-slim");
        folder.Write("Dockerfile.base", """
            FROM debian:bookworm-slim
            RUN --mount=type=secret,id=tok --mount=type=secret,id=netrc cat /run/secrets/tok /run/secrets/netrc && echo "[$(cat /run/secrets/tok)]" > /dev/null
            RUN echo base > /base.txt

            """);
        folder.Write("Dockerfile.head", """
            FROM debian:bookworm-slim
            RUN --mount=type=secret,id=tok --mount=type=secret,id=netrc echo "token=[$(cat /run/secrets/tok)]"; cat /run/secrets/netrc; exit 4

            """);
        var netrc = folder.Write("netrc", $"machine registry.example\nlogin ci\npassword {NetrcPassword}\n");

        var run = await CompareRun.RunAsync(
            ["--base-dockerfile", folder.Combine("Dockerfile.base"), "--head-dockerfile", folder.Combine("Dockerfile.head"), "--context", folder.Path,
             "--secret", "id=tok,env=PR_IMAGE_REPORT_TEST_TOKEN", "--secret", $"id=netrc,src={netrc}"],
            new Dictionary<string, string?> { ["PR_IMAGE_REPORT_TEST_TOKEN"] = TokenValue });

        run.AssertExitCode(1);
        var image = run.Image;
        Assert.True(image.Base?.Failure is null, run.Failure("expected the base, whose RUN prints the secrets, to build").Message);
        var failure = image.Head?.Failure ?? throw run.Failure("expected the head's failing step");
        Assert.Contains("exit code: 4", failure.Message, StringComparison.Ordinal);
        // The step's output was kept, with the values masked: proof that they went through the build log.
        Assert.Contains("token=[***]", failure.LastLines);
        // The file's three lines, each of them part of the secret.
        Assert.Equal(3, failure.LastLines.Count(line => line == "***"));
        foreach (var value in new[] { TokenValue, NetrcPassword })
        {
            foreach (var (what, text) in new[] { ("JSON report", run.JsonText), ("Markdown report", run.Markdown), ("stdout", run.Process.StandardOutput), ("stderr", run.Process.StandardError) })
            {
                Assert.False(text?.Contains(value, StringComparison.Ordinal) ?? false, run.Failure($"the {what} holds a secret's value").Message);
            }
        }

        Assert.Contains("[base] building ", run.Process.StandardError, StringComparison.Ordinal);
        Assert.Contains(" with BuildKit (", run.Process.StandardError, StringComparison.Ordinal);
        await Engine.AssertBuiltImagesRemovedAsync(run.Report!);
    }

    [Fact]
    public async Task ASecretWhoseVariableIsNotSetIsBadInputBeforeAnyBuild()
    {
        folder.Write("Dockerfile", "FROM debian:bookworm-slim\n");

        var run = await CompareRun.RunAsync(
            ["--base-dockerfile", folder.Combine("Dockerfile"), "--head-dockerfile", folder.Combine("Dockerfile"), "--secret", "id=tok,env=PR_IMAGE_REPORT_TEST_UNSET"],
            new Dictionary<string, string?> { ["PR_IMAGE_REPORT_TEST_UNSET"] = null });

        run.AssertExitCode(2);
        Assert.Equal(
            "pr-image-report: --secret id=tok,env=PR_IMAGE_REPORT_TEST_UNSET: the variable PR_IMAGE_REPORT_TEST_UNSET is not set; set it before the run",
            run.AssertOneLineError());
    }

    [Fact]
    public async Task ASecretWithTheClassicBuilderIsBadInput()
    {
        folder.Write("Dockerfile", "FROM debian:bookworm-slim\n");
        var file = folder.Write("token", "x\n");

        var run = await CompareRun.RunAsync(
            ["--base-dockerfile", folder.Combine("Dockerfile"), "--head-dockerfile", folder.Combine("Dockerfile"), "--builder", "classic", "--secret", $"id=tok,src={file}"]);

        run.AssertExitCode(2);
        Assert.Equal("pr-image-report: --secret needs BuildKit, which --builder classic turns off; use --builder auto or buildkit", run.AssertOneLineError());
    }
}
