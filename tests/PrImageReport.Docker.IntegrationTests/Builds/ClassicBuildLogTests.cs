using PrImageReport.Docker.Builds;

namespace PrImageReport.Docker.IntegrationTests.Builds;

public class ClassicBuildLogTests
{
    [Fact]
    public void ReportsEachStepOnceEvenWhenChunksSplitLines()
    {
        var steps = new List<string>();
        var log = new ClassicBuildLog(new Synchronous(p => steps.Add(p.Step)));

        log.Append("Step 1/3 : FROM python:3.11-slim\n ---> 455bb13818a4\nSte");
        log.Append("p 2/3 : RUN echo hi\n ---> Running in 1f52726712ec\nhi\n");
        log.Append("Step 3/3 : CMD [\"python3\"]\n");

        Assert.Equal(["Step 1/3 : FROM python:3.11-slim", "Step 2/3 : RUN echo hi", "Step 3/3 : CMD [\"python3\"]"], steps);
    }

    [Fact]
    public void AFailureNamesTheStepTheEngineMessageAndTheStepsOutput()
    {
        // The stream chunks docker 20.10 sent for a RUN that prints to stdout and stderr, then exits 2.
        var log = new ClassicBuildLog(null);
        foreach (var chunk in new[]
        {
            "Step 1/3 : FROM python:3.11-slim", "\n", " ---> 455bb13818a4\n", "Step 2/3 : WORKDIR /src", "\n", " ---> Using cache\n", " ---> ad5bb2bdcaf9\n",
            "Step 3/3 : RUN echo compiling && echo \"error: missing header\" >&2 && exit 2", "\n", " ---> Running in 0cb8320cec8e\n",
            "compiling\n", "\u001b[91merror: missing header\n\u001b[0m", "Removing intermediate container 0cb8320cec8e\n",
        })
        {
            log.Append(chunk);
        }

        var failure = log.Failure("The command '/bin/sh -c echo compiling && echo \"error: missing header\" >&2 && exit 2' returned a non-zero code: 2");

        Assert.Equal("Step 3/3 : RUN echo compiling && echo \"error: missing header\" >&2 && exit 2", failure.Step);
        Assert.Equal("The command '/bin/sh -c echo compiling && echo \"error: missing header\" >&2 && exit 2' returned a non-zero code: 2", failure.Message);
        Assert.Equal(
            ["Step 1/3 : FROM python:3.11-slim", "Step 2/3 : WORKDIR /src", "Step 3/3 : RUN echo compiling && echo \"error: missing header\" >&2 && exit 2", "compiling", "error: missing header"],
            failure.LastLines);
        Assert.Null(failure.Line);
    }

    [Fact]
    public void FollowsPodmansBuildahSteps()
    {
        // The stream Podman 4.3 sent for a two-stage build whose final RUN exits 1.
        var steps = new List<string>();
        var log = new ClassicBuildLog(new Synchronous(p => steps.Add(p.Step)));
        foreach (var chunk in new[]
        {
            "[1/2] STEP 1/2: FROM python:3.11-slim AS builder\n", "[1/2] STEP 2/2: RUN echo one\n", "one\n", "--> 32beac42a05\n",
            "[2/2] STEP 1/3: FROM python:3.11-slim\n", "[2/2] STEP 2/3: WORKDIR /app\n", "--> Using cache 1aa8004de85b9b1b6e643445ca35b8712a5046635dc7367ec0916e5de1cf6afe\n",
            "--> 1aa8004de85\n", "[2/2] STEP 3/3: RUN echo building && false\n", "building\n",
        })
        {
            log.Append(chunk);
        }

        var failure = log.Failure("building at STEP \"RUN echo building && false\": while running runtime: exit status 1\n");

        Assert.Equal(
            ["[1/2] STEP 1/2: FROM python:3.11-slim AS builder", "[1/2] STEP 2/2: RUN echo one", "[2/2] STEP 1/3: FROM python:3.11-slim", "[2/2] STEP 2/3: WORKDIR /app", "[2/2] STEP 3/3: RUN echo building && false"],
            steps);
        Assert.Equal("[2/2] STEP 3/3: RUN echo building && false", failure.Step);
        Assert.Equal("building at STEP \"RUN echo building && false\": while running runtime: exit status 1", failure.Message);
        Assert.DoesNotContain(failure.LastLines, line => line.StartsWith("-->", StringComparison.Ordinal));
        Assert.Equal("building", failure.LastLines[^1]);
    }

    [Fact]
    public void KeepsOnlyTheLastTwentyLines()
    {
        var log = new ClassicBuildLog(null);
        log.Append("Step 1/1 : RUN seq 50\n" + string.Join("\n", Enumerable.Range(1, 50)) + "\n");

        var failure = log.Failure("The command '/bin/sh -c seq 50' returned a non-zero code: 1");

        Assert.Equal(Enumerable.Range(31, 20).Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture)), failure.LastLines);
    }

    [Fact]
    public void AParseErrorBeforeAnyStepCarriesItsDockerfileLine()
    {
        var failure = new ClassicBuildLog(null).Failure("dockerfile parse error line 6: unknown instruction: ECHO");

        Assert.Equal(BuildLogs.BeforeFirstStep, failure.Step);
        Assert.Equal(6, failure.Line);
        Assert.Empty(failure.LastLines);
    }
}

/// <summary>Reports on the calling thread, in order (Progress&lt;T&gt; would post to the thread pool).</summary>
internal sealed class Synchronous(Action<BuildProgress> report) : IProgress<BuildProgress>
{
    public void Report(BuildProgress value) => report(value);
}
