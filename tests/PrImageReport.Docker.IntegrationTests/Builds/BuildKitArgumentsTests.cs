using PrImageReport.Docker.Builds;

namespace PrImageReport.Docker.IntegrationTests.Builds;

/// <summary>The docker CLI's arguments for each way a BuildKit build runs.</summary>
public class BuildKitArgumentsTests
{
    private static readonly BuildKitOptions Options = new(
        "ci",
        [new BuildSecret("npm", "NPM_TOKEN", null), new BuildSecret("pip", null, "/run/pip.conf")],
        ["type=gha,scope=Dockerfile-head"],
        ["type=gha,mode=max,scope=Dockerfile-head"]);

    private static BuildRequest Request(BuildKitOptions? options) => new(
        "/src", "/src/Dockerfile", new Dictionary<string, string> { ["VERSION"] = "1.2" }, "runtime", "pr-image-report-1:head-0", BuilderKind.BuildKit, "host", options);

    [Fact]
    public void TheDockerDriverLoadsTheImageIntoTheEngine()
    {
        var arguments = BuildKitBuilder.Arguments(Request(Options), new BuildxBuilder("ci", "docker"), archive: false);

        Assert.Equal(
            [
                "buildx", "build", "--builder", "ci", "--progress=plain", "-f", "/src/Dockerfile", "-t", "pr-image-report-1:head-0",
                "--build-arg", "VERSION=1.2", "--target", "runtime", "--network", "host",
                "--secret", "id=npm,env=NPM_TOKEN", "--secret", "id=pip,src=/run/pip.conf",
                "--cache-from", "type=gha,scope=Dockerfile-head", "--cache-to", "type=gha,mode=max,scope=Dockerfile-head",
                "--load", "/src",
            ],
            arguments);
    }

    [Fact]
    public void AnArchiveBuildStreamsAnOciArchiveToStandardOutputAndNeverLoads()
    {
        var arguments = BuildKitBuilder.Arguments(Request(Options), new BuildxBuilder("remote-kit", "docker-container"), archive: true);

        Assert.Equal(["--output", "type=oci,dest=-", "/src"], arguments[^3..]);
        Assert.DoesNotContain("--load", arguments);
        Assert.Equal("remote-kit", arguments[arguments.IndexOf("--builder") + 1]);
    }

    [Fact]
    public void WithoutBuildxTheCliBuildsItselfWithSecretsAndNoBuilderOrOutput()
    {
        var arguments = BuildKitBuilder.Arguments(Request(BuildKitOptions.None with { Secrets = [new BuildSecret("npm", "NPM_TOKEN", null)] }), null, archive: false);

        Assert.Equal("build", arguments[0]);
        Assert.DoesNotContain("buildx", arguments);
        Assert.DoesNotContain("--builder", arguments);
        Assert.DoesNotContain("--load", arguments);
        Assert.DoesNotContain("--output", arguments);
        Assert.Equal("id=npm,env=NPM_TOKEN", arguments[arguments.IndexOf("--secret") + 1]);
    }

    [Theory]
    [InlineData("docker", true)]
    [InlineData("docker-container", false)]
    [InlineData("kubernetes", false)]
    [InlineData("remote", false)]
    [InlineData("cloud", false)]
    public void OnlyTheDockerDriverLoadsIntoTheEngine(string driver, bool loads) =>
        Assert.Equal(loads, new BuildxBuilder("b", driver).LoadsIntoEngine);

    [Fact]
    public void WhatNeedsBuildxIsNamedAndSecretsAloneDoNot()
    {
        Assert.Null(BuildKitOptions.None.BuildxOnly);
        Assert.False(BuildKitOptions.None.Any);
        var secretsOnly = BuildKitOptions.None with { Secrets = [new BuildSecret("npm", "NPM_TOKEN", null)] };
        Assert.Null(secretsOnly.BuildxOnly);
        Assert.True(secretsOnly.Any);
        Assert.Equal("--buildx-builder", Options.BuildxOnly);
        Assert.Equal("--cache-to", (BuildKitOptions.None with { CacheTo = ["type=local,dest=/c"] }).BuildxOnly);
        Assert.Equal("--buildx-output archive", (BuildKitOptions.None with { Archive = true }).BuildxOnly);
    }
}
