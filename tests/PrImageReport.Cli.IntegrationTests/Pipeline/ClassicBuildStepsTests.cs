using PrImageReport.Cli.Pipeline;
using PrImageReport.Core.Comparison;
using PrImageReport.Core.Dockerfiles;

namespace PrImageReport.Cli.IntegrationTests.Pipeline;

public class ClassicBuildStepsTests
{
    // Steps as the classic builder numbers them: 1 ARG, 2 FROM, 3 RUN, 4 FROM, 5 WORKDIR, 6 RUN, 7 CMD.
    private const string Dockerfile = """
        ARG PYTHON=python:3.11-slim
        FROM ${PYTHON} AS builder
        RUN make

        FROM ${PYTHON}
        WORKDIR /app
        RUN make install
        CMD ["python3"]
        """;

    [Theory]
    [InlineData("Step 1/7 : ARG PYTHON=python:3.11-slim", 1)]
    [InlineData("Step 3/7 : RUN make", 3)]
    [InlineData("Step 4/7 : FROM ${PYTHON}", 5)]
    [InlineData("Step 6/7 : RUN make install", 7)]
    [InlineData("Step 6/7 : run make install", 7)]
    public void NumbersEveryInstructionInFileOrder(string step, int line) =>
        Assert.Equal(line, ClassicBuildSteps.WithLine(Failure(step), Facts(Dockerfile)).Line);

    // Podman's Buildah numbers stages (left out when one is built) and, within each, its FROM and instructions.
    [Theory]
    [InlineData("[1/2] STEP 2/2: RUN make", 3)]
    [InlineData("[2/2] STEP 1/4: FROM python:3.11-slim", 5)]
    [InlineData("[2/2] STEP 3/4: RUN make install", 7)]
    public void NumbersBuildahStepsWithinTheirStage(string step, int line) =>
        Assert.Equal(line, ClassicBuildSteps.WithLine(Failure(step), Facts(Dockerfile)).Line);

    [Fact]
    public void ABuildahStepOfTheOnlyStageBuiltHasNoStagePrefix() =>
        Assert.Equal(3, ClassicBuildSteps.WithLine(Failure("STEP 2/2: RUN make"), Facts(Dockerfile, target: "builder")).Line);

    [Theory]
    [InlineData("[2/3] STEP 3/4: RUN make install")]
    [InlineData("[3/2] STEP 1/4: FROM python:3.11-slim")]
    [InlineData("[2/2] STEP 3/5: RUN make install")]
    [InlineData("[2/2] STEP 2/4: RUN make install")]
    [InlineData("STEP 3/4: RUN make install")]
    public void LeavesABuildahStepItCannotMatchWithoutALine(string step) =>
        Assert.Null(ClassicBuildSteps.WithLine(Failure(step), Facts(Dockerfile)).Line);

    [Fact]
    public void CountsOnlyTheStagesUpToTheTarget() =>
        Assert.Equal(3, ClassicBuildSteps.WithLine(Failure("Step 3/3 : RUN make"), Facts(Dockerfile, target: "builder")).Line);

    [Theory]
    [InlineData("Step 6/8 : RUN make install")]
    [InlineData("Step 6/7 : COPY . .")]
    [InlineData("Step 9/7 : RUN make")]
    [InlineData("Step 0/7 : RUN make")]
    [InlineData("[builder 2/2] RUN make")]
    [InlineData("(before the first step)")]
    public void LeavesAStepItCannotMatchWithoutALine(string step) =>
        Assert.Null(ClassicBuildSteps.WithLine(Failure(step), Facts(Dockerfile)).Line);

    [Fact]
    public void KeepsTheLineTheBuilderGave() =>
        Assert.Equal(4, ClassicBuildSteps.WithLine(Failure("Step 3/7 : RUN make") with { Line = 4 }, Facts(Dockerfile)).Line);

    [Fact]
    public void NeedsTheParsedDockerfile() =>
        Assert.Null(ClassicBuildSteps.WithLine(Failure("Step 3/7 : RUN make"), Facts(Dockerfile) with { Source = null }).Line);

    private static BuildFailure Failure(string step) => new(step, "The command '/bin/sh -c make' returned a non-zero code: 2", []);

    private static DockerfileFacts Facts(string text, string? target = null) =>
        DockerfileResolver.Resolve(DockerfileParser.Parse(text, "Dockerfile"), target, new Dictionary<string, string>());
}
