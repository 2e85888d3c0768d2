using PrImageReport.Core.Dockerfiles;

namespace PrImageReport.Core.Tests.Dockerfiles;

/// <summary>Dockerfiles as published in the single- vs multi-stage Python articles the project started from.</summary>
public class SeedDockerfileTests
{
    private static readonly Dictionary<string, string> NoArgs = [];

    private static DockerfileFacts Resolve(string text) => DockerfileResolver.Resolve(DockerfileParser.Parse(text, "Dockerfile"), null, NoArgs);

    private const string SingleStageFat = """
        FROM python:3.10
        WORKDIR /app
        COPY requirements.txt .
        RUN pip install --no-cache-dir -r requirements.txt
        COPY . .
        CMD ["python", "app.py"]
        """;

    private const string MultiStageSlim = """
        # Stage 1: Build dependencies
        FROM python:3.10-slim as builder
        WORKDIR /app
        COPY requirements.txt .
        RUN pip install --no-cache-dir -r requirements.txt
        # Stage 2: Create a lean runtime image
        FROM python:3.10-slim
        WORKDIR /app
        COPY --from=builder /usr/local/lib/python3.10/site-packages /usr/local/lib/python3.10/site-packages
        COPY . .
        CMD ["python", "app.py"]
        """;

    private const string MultiStageVenv = """
        # Stage 1: Build Stage
        FROM python:3.9-slim AS builder
        WORKDIR /app
        COPY requirements.txt .
        RUN python -m venv /opt/venv && \
            . /opt/venv/bin/activate && \
            pip install --no-cache-dir -r requirements.txt
        # Stage 2: Production Stage
        FROM python:3.9-slim
        COPY --from=builder /opt/venv /opt/venv
        WORKDIR /app
        COPY . .
        ENV PATH="/opt/venv/bin/:$PATH"
        EXPOSE 5000
        """;

    private const string MultiStageTwoCopies = """
        # Stage 1 - builder
        FROM python:3.12-slim AS builder
        WORKDIR /app
        COPY requirements.txt /app/
        RUN pip install --no-cache-dir -r requirements.txt
        # Stage 2 - final image
        FROM python:3.12-slim
        WORKDIR /app
        COPY --from=builder /usr/local/lib/python3.12/site-packages /usr/local/lib/python3.12/site-packages
        COPY --from=builder /usr/local/bin /usr/local/bin
        COPY . .
        RUN chmod +x /app/entrypoint.sh
        EXPOSE 5000
        ENTRYPOINT ["/app/entrypoint.sh"]
        """;

    private const string AlpineLegacyEnv = """
        # Stage 1: Build Stage
        FROM python:alpine3.7 as builder
        # Copy the entire current directory to the /app directory in the image
        COPY . /app
        # Set the working directory to /app
        WORKDIR /app
        # Install Python packages from requirements.txt
        RUN pip install --no-cache-dir -r requirements.txt
        # Stage 2: Production Stage or any 
        FROM python:alpine3.7
        # Copy the application code and installed packages from the builder stage
        COPY --from=builder /app /app
        # Set the working directory to /app in the new stage
        WORKDIR /app
        # Set an environment variable for the application's port
        ENV PORT 5000
        # Expose the application port
        EXPOSE 5000
        # Set the entrypoint to "python"
        ENTRYPOINT [ "python" ]
        # Set the default command to "app.py"
        CMD [ "app.py" ]
        """;

    [Fact]
    public void Single_stage_on_a_fat_base()
    {
        var facts = Resolve(SingleStageFat);

        Assert.Equal(1, facts.StageCount);
        Assert.False(facts.IsMultiStage);
        Assert.Equal(("python:3.10", 1), (facts.FinalBaseImage, facts.FinalBaseLine));
        Assert.Null(facts.BuildKitReason);
        Assert.Equal(
            [("FROM", 1), ("WORKDIR", 2), ("COPY", 3), ("RUN", 4), ("COPY", 5), ("CMD", 6)],
            facts.FinalInstructions.Select(i => (i.Keyword, i.StartLine)));
    }

    [Fact]
    public void Multi_stage_on_a_slim_base()
    {
        var facts = Resolve(MultiStageSlim);

        Assert.Equal(
            [new StageSummary(0, "builder", "python:3.10-slim", 2), new StageSummary(1, null, "python:3.10-slim", 7)],
            facts.StagesBuilt);
        Assert.Equal(("python:3.10-slim", 7), (facts.FinalBaseImage, facts.FinalBaseLine));
        Assert.Null(facts.BuildKitReason);
        Assert.Equal([7, 8, 9, 10, 11], facts.FinalInstructions.Select(i => i.StartLine));
    }

    [Fact]
    public void Multi_stage_with_a_venv_built_over_continued_lines()
    {
        var file = DockerfileParser.Parse(MultiStageVenv, "Dockerfile");
        var facts = DockerfileResolver.Resolve(file, null, NoArgs);

        var run = file.Stages[0].Instructions[2];
        Assert.Equal((5, 7), (run.StartLine, run.EndLine));
        Assert.Equal(
            "python -m venv /opt/venv &&     . /opt/venv/bin/activate &&     pip install --no-cache-dir -r requirements.txt",
            run.Arguments);
        Assert.Equal(["builder", "stage-1"], facts.StagesBuilt.Select(s => s.DisplayName));
        Assert.Equal("python:3.9-slim", facts.FinalBaseImage);
        Assert.Equal(["FROM", "COPY", "WORKDIR", "COPY", "ENV", "EXPOSE"], facts.FinalInstructions.Select(i => i.Keyword));
    }

    [Fact]
    public void Multi_stage_copying_twice_from_the_builder()
    {
        var facts = Resolve(MultiStageTwoCopies);

        Assert.Equal(2, facts.StagesBuilt.Count);
        Assert.Equal(7, facts.FinalStage.Line);
        Assert.Equal(["/app/entrypoint.sh"], facts.FinalInstructions[^1].Words);
        Assert.True(facts.FinalInstructions[^1].IsExecForm);
    }

    [Fact]
    public void Commented_alpine_build_with_legacy_env()
    {
        var file = DockerfileParser.Parse(AlpineLegacyEnv, "Dockerfile");
        var facts = DockerfileResolver.Resolve(file, null, NoArgs);

        Assert.Equal("builder", facts.Stages[0].Name);
        Assert.Equal(("python:alpine3.7", 10), (facts.FinalBaseImage, facts.FinalBaseLine));
        Assert.Equal(2, facts.StagesBuilt.Count);
        Assert.Equal(["PORT", "5000"], file.Stages[1].Instructions[2].Words);
        Assert.Equal(
            [("FROM", 10), ("COPY", 12), ("WORKDIR", 14), ("ENV", 16), ("EXPOSE", 18), ("ENTRYPOINT", 20), ("CMD", 22)],
            facts.FinalInstructions.Select(i => (i.Keyword, i.StartLine)));
    }
}
