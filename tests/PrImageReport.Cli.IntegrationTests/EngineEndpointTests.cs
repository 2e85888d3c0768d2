using PrImageReport.Cli.IntegrationTests.Infrastructure;
using PrImageReport.Docker;
using PrImageReport.Testing;
using PrImageReport.Testing.Endpoints;

namespace PrImageReport.Cli.IntegrationTests;

/// <summary>
/// compare on engines named by contexts, TLS and ssh, as a user sets them: the default socket is lane 1 while the current
/// context names lane 2, and both the Engine API (classic) and the docker CLI (BuildKit) build there; an engine that
/// cannot be used is one line and exit 3.
/// </summary>
[Collection(DockerEngineCollection.Name)]
public sealed class EngineEndpointTests
{
    private const string BuildKitCliVariable = "PR_IMAGE_REPORT_DOCKER_CLI";

    [Theory]
    [Trait(Lane2.Trait, Lane2.Name)]
    [InlineData("classic")]
    [InlineData("buildkit")]
    public async Task TheCurrentContextNamesTheEngineBothBuildersUseNotTheDefaultSocket(string builder)
    {
        var (socket, cli) = TestEngineSocket.LaneTwo();
        using var laneOne = await DockerRequirement.EngineAsync(DockerEngine.DefaultHost);
        using var laneTwo = await DockerRequirement.EngineAsync($"unix://{socket}");
        await DockerRequirement.ImagesAsync(laneTwo, [Engine.SlimPython]);
        using var contexts = new DockerContexts();
        await contexts.CreateAsync("lane2", $"unix://{socket}");
        await contexts.UseAsync("lane2");
        using var repository = await SchoolApiAsync();

        var run = await CompareRun.RunAsync(
            ["--repo", repository.Path, "--base", "main", "--head", "pr", "--builder", builder, "--keep-images"],
            new Dictionary<string, string?>
            {
                ["DOCKER_HOST"] = null,
                ["DOCKER_CONTEXT"] = null,
                ["DOCKER_CONFIG"] = contexts.ConfigDirectory,
                [BuildKitCliVariable] = cli,
            });

        var built = run.Report?.Images.SelectMany(i => new[] { i.Base, i.Head }).Select(side => side?.Image?.Reference).OfType<string>().ToList() ?? [];
        try
        {
            Assert.True(run.ExitCode is 0 or 1, run.Failure("expected a verdict exit code").Message);
            Assert.True(built.Count == 2, run.Failure("expected a built base and head").Message);
            foreach (var tag in built)
            {
                Assert.True(await laneTwo.ImageExistsAsync(tag, CancellationToken.None), run.Failure($"{tag} is not on lane 2, the current context").Message);
                Assert.False(await laneOne.ImageExistsAsync(tag, CancellationToken.None), run.Failure($"{tag} is on lane 1, the default socket").Message);
            }
        }
        finally
        {
            foreach (var tag in built)
            {
                await laneTwo.RemoveImageAsync(tag, CancellationToken.None);
            }
        }
    }

    [Fact]
    public async Task ABuildKitCompareGoesThroughSsh()
    {
        await Engine.RequireAsync(Engine.SlimPython);
        using var sshd = await LocalSshd.StartAsync(TestEngineSocket.Current);
        using var repository = await SchoolApiAsync();

        var run = await CompareRun.RunAsync(
            ["--repo", repository.Path, "--base", "main", "--head", "pr", "--builder", "buildkit"],
            new Dictionary<string, string?> { ["DOCKER_HOST"] = sshd.Host, ["DOCKER_CONTEXT"] = null, ["PATH"] = sshd.SearchPath });

        Assert.True(run.ExitCode is 0 or 1, run.Failure("expected a verdict exit code").Message);
        Assert.Contains("[head] building Dockerfile at pr with BuildKit", run.Process.StandardError, StringComparison.Ordinal);
        Assert.True(run.Image.Head?.Image?.SizeBytes > 0, run.Failure("expected the head's size").Message);
        await Engine.AssertBuiltImagesRemovedAsync(run.Report!);
    }

    [Fact]
    public async Task AnUnknownContextIsOneLineAndExitThree()
    {
        using var contexts = new DockerContexts();
        using var repository = await SchoolApiAsync();

        var run = await CompareRun.RunAsync(
            ["--repo", repository.Path, "--base", "main", "--head", "pr"],
            new Dictionary<string, string?> { ["DOCKER_HOST"] = null, ["DOCKER_CONTEXT"] = "nowhere", ["DOCKER_CONFIG"] = contexts.ConfigDirectory });

        run.AssertExitCode(3);
        Assert.Equal(
            $"pr-image-report: docker context \"nowhere\" (DOCKER_CONTEXT) does not exist in {contexts.ConfigDirectory}/contexts: create it (docker context create nowhere --docker host=...), pick one of `docker context ls`, or unset DOCKER_CONTEXT",
            run.AssertOneLineError());
        Assert.Null(run.JsonText);
    }

    [Fact]
    public async Task AnEngineCertificateTheCaDidNotSignIsOneLineAndExitThree()
    {
        using var proxy = await TlsEngineProxy.StartAsync(TestEngineSocket.Current);
        using var repository = await SchoolApiAsync();

        var run = await CompareRun.RunAsync(
            ["--repo", repository.Path, "--base", "main", "--head", "pr"],
            new Dictionary<string, string?>
            {
                ["DOCKER_HOST"] = proxy.Host,
                ["DOCKER_CONTEXT"] = null,
                ["DOCKER_TLS_VERIFY"] = "1",
                ["DOCKER_CERT_PATH"] = proxy.WrongCaCertificates,
            });

        run.AssertExitCode(3);
        var message = run.AssertOneLineError();
        Assert.StartsWith($"pr-image-report: TLS with the engine at {proxy.Host} from DOCKER_HOST failed: its certificate is not signed by {proxy.WrongCaCertificates}/ca.pem", message, StringComparison.Ordinal);
        Assert.EndsWith("point DOCKER_CERT_PATH at the CA that signed the engine's certificate", message, StringComparison.Ordinal);
        Assert.Null(run.JsonText);
    }

    /// <summary>school-api at main, and a PR that adds a file to the image.</summary>
    private static async Task<GitWorkspace> SchoolApiAsync()
    {
        var repository = await GitWorkspace.CreateAsync();
        repository.CopyExample("school-api");
        await repository.CommitAsync("school-api");
        await repository.CreateBranchAsync("pr");
        repository.Write("NOTES.txt", "release notes\n");
        repository.Write("Dockerfile", File.ReadAllText(Path.Combine(repository.Path, "Dockerfile")) + "COPY NOTES.txt /app/NOTES.txt\n");
        await repository.CommitAsync("ship the notes");
        return repository;
    }
}
