using PrImageReport.Docker.Builds;

namespace PrImageReport.Docker.IntegrationTests.Builds;

public class BuildKitLogTests
{
    /// <summary>What docker 20.10's own BuildKit printed for a RUN that exits 2.</summary>
    private const string Engine2010Failure = """
        #1 [internal] load build definition from Dockerfile.fail
        #1 sha256:3c9c38f86b36f5498bec0544d1fe749ee77e87614146652e2148343bc4c48686
        #1 transferring dockerfile: 242B done
        #1 DONE 0.0s

        #4 [builder 1/3] FROM docker.io/library/python:3.11-slim
        #4 CACHED

        #6 [builder 3/3] RUN echo building hello && echo "line two" && exit 2
        #6 sha256:d9a00ca37c8ee6195ddd844a357864a4ffd9ed9b78eb1d35ebfad330b24bf2d0
        #6 0.403 building hello
        #6 0.403 line two
        #6 ERROR: executor failed running [/bin/sh -c echo building $GREETING && echo "line two" && exit 2]: exit code: 2
        ------
         > [builder 3/3] RUN echo building hello && echo "line two" && exit 2:
        ------
        executor failed running [/bin/sh -c echo building $GREETING && echo "line two" && exit 2]: exit code: 2
        """;

    /// <summary>What buildx prints for the same kind of failure, with its Dockerfile excerpt.</summary>
    private const string BuildxFailure = """
        #0 building with "default" instance using docker driver

        #1 [internal] load build definition from Dockerfile
        #1 transferring dockerfile: 312B done
        #1 DONE 0.0s

        #7 [builder 2/4] RUN make
        #7 0.215 cc -O2 -c main.c
        #7 0.301 main.c:3:1: error: expected ';' before '}' token
        #7 0.302 make: *** [Makefile:2: main.o] Error 1
        #7 ERROR: process "/bin/sh -c make" did not complete successfully: exit code: 2
        ------
         > [builder 2/4] RUN make:
        0.301 main.c:3:1: error: expected ';' before '}' token
        0.302 make: *** [Makefile:2: main.o] Error 1
        ------
        Dockerfile:12
        --------------------
          10 |     WORKDIR /src
          11 |     COPY . .
          12 | >>> RUN make
          13 |
          14 |     FROM debian:bookworm-slim
        --------------------
        ERROR: failed to solve: process "/bin/sh -c make" did not complete successfully: exit code: 2
        """;

    private static BuildKitLog Read(string output, List<string>? steps = null)
    {
        var log = new BuildKitLog(steps is null ? null : new Synchronous(p => steps.Add(p.Step)));
        foreach (var line in output.Split('\n'))
        {
            log.Add(line);
        }

        return log;
    }

    [Fact]
    public void ReportsEachStepWhenItFirstAppears()
    {
        var steps = new List<string>();
        Read(Engine2010Failure, steps);

        Assert.Equal(
            [
                "#1 [internal] load build definition from Dockerfile.fail",
                "#4 [builder 1/3] FROM docker.io/library/python:3.11-slim",
                "#6 [builder 3/3] RUN echo building hello && echo \"line two\" && exit 2",
            ],
            steps);
    }

    [Fact]
    public void AFailureOfTheEnginesBuildKitNamesStepMessageAndTheStepsOutput()
    {
        var failure = Read(Engine2010Failure).Failure(1);

        Assert.Equal("[builder 3/3] RUN echo building hello && echo \"line two\" && exit 2", failure.Step);
        Assert.Equal("executor failed running [/bin/sh -c echo building $GREETING && echo \"line two\" && exit 2]: exit code: 2", failure.Message);
        Assert.Equal(["building hello", "line two"], failure.LastLines);
        Assert.Null(failure.Line);
    }

    [Fact]
    public void AFailureOfBuildxCarriesTheDockerfileLineOfItsExcerpt()
    {
        var failure = Read(BuildxFailure).Failure(1);

        Assert.Equal("[builder 2/4] RUN make", failure.Step);
        Assert.Equal("process \"/bin/sh -c make\" did not complete successfully: exit code: 2", failure.Message);
        Assert.Equal(["cc -O2 -c main.c", "main.c:3:1: error: expected ';' before '}' token", "make: *** [Makefile:2: main.o] Error 1"], failure.LastLines);
        Assert.Equal(12, failure.Line);
    }

    [Fact]
    public void AFailureOutsideAnyStepTakesTheLastLine()
    {
        var failure = Read("""
            #2 [internal] load .dockerignore
            #2 DONE 0.0s
            failed to solve with frontend dockerfile.v0: failed to create LLB definition: dockerfile parse error line 6: unknown instruction: ECHO
            """).Failure(1);

        Assert.Equal(BuildLogs.BeforeFirstStep, failure.Step);
        Assert.Equal("failed to solve with frontend dockerfile.v0: failed to create LLB definition: dockerfile parse error line 6: unknown instruction: ECHO", failure.Message);
        Assert.Equal(6, failure.Line);
    }

    [Fact]
    public void NoticesThatTheCliCouldNotReachTheEngine()
    {
        var log = Read("Cannot connect to the Docker daemon at unix:///nonexistent.sock. Is the docker daemon running?");

        Assert.Equal("Cannot connect to the Docker daemon at unix:///nonexistent.sock. Is the docker daemon running?", log.UnreachableEngine);
    }
}
