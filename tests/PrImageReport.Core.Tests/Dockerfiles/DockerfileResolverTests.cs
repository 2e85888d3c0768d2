using PrImageReport.Core.Dockerfiles;

namespace PrImageReport.Core.Tests.Dockerfiles;

public class DockerfileResolverTests
{
    private static readonly Dictionary<string, string> NoArgs = [];

    private static DockerfileFacts Resolve(string text, string? target = null, Dictionary<string, string>? buildArgs = null) =>
        DockerfileResolver.Resolve(DockerfileParser.Parse(text, "Dockerfile"), target, buildArgs ?? NoArgs);

    [Fact]
    public void Global_arg_defaults_are_substituted_in_from()
    {
        var facts = Resolve("""
            ARG PYTHON=3.11
            ARG VARIANT=slim
            FROM python:$PYTHON-${VARIANT}
            """);

        Assert.Equal("python:3.11-slim", facts.FinalBaseImage);
        Assert.Equal(new StageSummary(0, null, "python:3.11-slim", 3), facts.FinalStage);
        Assert.Equal(3, facts.FinalBaseLine);
    }

    [Fact]
    public void Build_args_override_global_arg_defaults()
    {
        var facts = Resolve("ARG PYTHON=3.11\nFROM python:${PYTHON}-slim", buildArgs: new() { ["PYTHON"] = "3.12" });

        Assert.Equal("python:3.12-slim", facts.FinalBaseImage);
    }

    [Fact]
    public void Build_args_reach_from_only_through_a_global_arg()
    {
        var undeclared = Resolve("FROM python:${TAG:-3.11}", buildArgs: new() { ["TAG"] = "3.12" });
        var declaredInStage = Resolve("FROM python:${TAG:-3.11}\nARG TAG", buildArgs: new() { ["TAG"] = "3.12" });
        var declaredGlobally = Resolve("ARG TAG\nFROM python:${TAG:-3.11}", buildArgs: new() { ["TAG"] = "3.12" });

        Assert.Equal("python:3.11", undeclared.FinalBaseImage);
        Assert.Equal("python:3.11", declaredInStage.FinalBaseImage);
        Assert.Equal("python:3.12", declaredGlobally.FinalBaseImage);
    }

    [Theory]
    [InlineData("FROM python:${V:-3.11}", "python:3.11")]
    [InlineData("ARG V=\nFROM python:${V:-3.11}", "python:3.11")]
    [InlineData("ARG V=\nFROM python:3.11${V-unset}", "python:3.11")]
    [InlineData("ARG V=3.12\nFROM python:${V:-3.11}", "python:3.12")]
    [InlineData("ARG SLIM=1\nFROM python:3.11${SLIM:+-slim}", "python:3.11-slim")]
    [InlineData("ARG SLIM=\nFROM python:3.11${SLIM:+-slim}", "python:3.11")]
    [InlineData("ARG SLIM=\nFROM python:3.11${SLIM+-slim}", "python:3.11-slim")]
    [InlineData("ARG IMAGE=python:3.11-slim-bookworm\nFROM ${IMAGE%-*}", "python:3.11-slim")]
    [InlineData("ARG IMAGE=python:3.11-slim-bookworm\nFROM ${IMAGE%%-*}", "python:3.11")]
    [InlineData("ARG IMAGE=docker.io/library/python:3.11\nFROM ${IMAGE#*/}", "library/python:3.11")]
    [InlineData("ARG IMAGE=docker.io/library/python:3.11\nFROM ${IMAGE##*/}", "python:3.11")]
    [InlineData("ARG V=3-11\nFROM python:${V/-/.}", "python:3.11")]
    [InlineData("ARG REGISTRY=ghcr.io ORG=acme\nARG IMAGE=\"$REGISTRY/$ORG/app\"\nFROM ${IMAGE}:1", "ghcr.io/acme/app:1")]
    [InlineData("ARG V='$NOT'\nFROM alpine:${V}", "alpine:$NOT")]
    [InlineData("FROM alpine:3.20$", "alpine:3.20$")]
    public void Substitution_forms(string dockerfile, string image)
    {
        Assert.Equal(image, Resolve(dockerfile).FinalBaseImage);
    }

    [Fact]
    public void Escape_token_applies_to_substitution()
    {
        Assert.Equal("alpine:$V", Resolve("# escape=`\nARG V=1\nFROM alpine:`$V").FinalBaseImage);
    }

    [Fact]
    public void Stage_arguments_are_not_visible_to_a_later_from()
    {
        var facts = Resolve("""
            FROM alpine AS first
            ARG TAG=3.19
            FROM alpine:${TAG:-latest}
            """);

        Assert.Equal("alpine:latest", facts.FinalBaseImage);
    }

    [Fact]
    public void Multi_stage_with_copy_from_builds_both_stages()
    {
        var facts = Resolve("""
            FROM python:3.11 AS builder
            RUN pip wheel -w /wheels flask
            FROM python:3.11-slim
            COPY --from=builder /wheels /wheels
            """);

        Assert.Equal(2, facts.StageCount);
        Assert.Equal(["builder", "stage-1"], facts.StagesBuilt.Select(s => s.DisplayName));
        Assert.True(facts.IsMultiStage);
        Assert.Equal("python:3.11-slim", facts.FinalBaseImage);
        Assert.Equal(3, facts.FinalBaseLine);
    }

    [Fact]
    public void Stages_nobody_needs_are_not_built()
    {
        var facts = Resolve("""
            FROM alpine AS unused
            FROM golang:1.22 AS build
            FROM scratch
            COPY --from=build /app /app
            """);

        Assert.Equal([1, 2], facts.StagesBuilt.Select(s => s.Index));
        Assert.Equal(3, facts.Stages.Count);
        Assert.Equal("scratch", facts.FinalBaseImage);
    }

    [Fact]
    public void Copy_from_index_and_run_mount_from_stage_are_needed_stages()
    {
        var facts = Resolve("""
            FROM golang:1.22
            FROM alpine AS deps
            FROM alpine AS tools
            FROM debian:12-slim
            COPY --from=0 /go/bin /usr/local/bin
            RUN --mount=type=bind,from=Tools,source=/t,target=/t --mount=type=cache,target=/c cp /t/x /x
            """);

        Assert.Equal([0, 2, 3], facts.StagesBuilt.Select(s => s.Index));
    }

    [Fact]
    public void Copy_from_an_external_image_is_not_a_stage()
    {
        var facts = Resolve("""
            FROM alpine AS nginx
            FROM debian:12-slim
            COPY --from=nginx:1.27 /etc/nginx /etc/nginx
            COPY --from=ghcr.io/acme/tools /bin/t /bin/t
            """);

        Assert.Equal([1], facts.StagesBuilt.Select(s => s.Index));
        Assert.False(facts.IsMultiStage);
    }

    [Fact]
    public void Final_base_image_follows_stage_inheritance()
    {
        var facts = Resolve("""
            ARG BASE=python:3.11-slim
            FROM $BASE AS base
            RUN pip install flask
            FROM base AS app
            COPY . /app
            FROM APP
            CMD ["python", "/app/main.py"]
            """);

        Assert.Equal("python:3.11-slim", facts.FinalBaseImage);
        Assert.Equal(2, facts.FinalBaseLine);
        Assert.Equal(new StageSummary(1, "app", "base", 4), facts.Stages[1]);
        Assert.Equal(new StageSummary(2, null, "APP", 6), facts.FinalStage);
        Assert.Equal([0, 1, 2], facts.StagesBuilt.Select(s => s.Index));
    }

    [Fact]
    public void From_names_only_an_earlier_stage()
    {
        var facts = Resolve("""
            FROM later
            FROM alpine AS later
            """, target: null);

        Assert.Equal(new StageSummary(0, null, "later", 1), facts.Stages[0]);
        Assert.Equal([1], facts.StagesBuilt.Select(s => s.Index));
        Assert.Equal("later", Resolve("FROM later AS first\nFROM alpine AS later", target: "first").FinalBaseImage);
    }

    [Fact]
    public void Target_selects_the_final_stage_case_insensitively()
    {
        const string dockerfile = """
            FROM python:3.11 AS builder
            RUN make
            FROM builder AS test
            RUN pytest
            FROM python:3.11-slim AS runtime
            COPY --from=builder /app /app
            """;

        var test = Resolve(dockerfile, target: "Test");
        var runtime = Resolve(dockerfile);

        Assert.Equal(new StageSummary(1, "test", "builder", 3), test.FinalStage);
        Assert.Equal([0, 1], test.StagesBuilt.Select(s => s.Index));
        Assert.Equal(("python:3.11", 1), (test.FinalBaseImage, test.FinalBaseLine));
        Assert.Equal("runtime", runtime.FinalStage.Name);
        Assert.Equal([0, 2], runtime.StagesBuilt.Select(s => s.Index));
    }

    [Fact]
    public void Repeated_stage_name_means_the_latest_one_as_in_buildkit()
    {
        var facts = Resolve("""
            FROM alpine:3.19 AS base
            FROM alpine:3.20 AS base
            FROM base AS app
            COPY --from=base /etc/os-release /
            FROM debian:12 AS unused
            """, target: "APP");

        Assert.Equal([1, 2], facts.StagesBuilt.Select(s => s.Index));
        Assert.Equal(("alpine:3.20", 2), (facts.FinalBaseImage, facts.FinalBaseLine));
        Assert.Equal(1, Resolve("FROM alpine AS x\nFROM debian AS x", target: "x").FinalStage.Index);
    }

    [Fact]
    public void Unknown_target_lists_the_stage_names()
    {
        var error = Assert.Throws<DockerfileParseException>(() =>
            Resolve("FROM python:3.11 AS builder\nFROM python:3.11-slim AS runtime\nFROM runtime", target: "prod"));

        Assert.Equal("Dockerfile: target stage \"prod\" not found; use one of: builder, runtime", error.Message);
        Assert.Null(error.Line);
        Assert.Equal("Dockerfile", error.Path);
    }

    [Fact]
    public void Unknown_target_without_named_stages()
    {
        var error = Assert.Throws<DockerfileParseException>(() => Resolve("FROM alpine", target: "prod"));

        Assert.Equal("Dockerfile: target stage \"prod\" not found: no stage has a name; drop the target or name a stage with FROM <image> AS <name>", error.Message);
    }

    [Fact]
    public void From_that_expands_to_nothing_is_an_error_on_its_line()
    {
        var error = Assert.Throws<DockerfileParseException>(() => Resolve("ARG BASE\n\nFROM ${BASE}"));

        Assert.Equal("Dockerfile:3: FROM ${BASE} expands to an empty image name; give that global ARG a default or pass it as a build arg", error.Message);
        Assert.Equal(3, error.Line);
    }

    [Fact]
    public void Bad_substitution_in_from_or_global_arg_is_an_error_on_its_line()
    {
        var required = Assert.Throws<DockerfileParseException>(() => Resolve("ARG BASE\nFROM ${BASE:?needs-a-base-image}"));
        var unterminated = Assert.Throws<DockerfileParseException>(() => Resolve("ARG A=${B\nFROM alpine"));
        var unsupported = Assert.Throws<DockerfileParseException>(() => Resolve("FROM alpine:${V:=1}"));

        Assert.Equal("Dockerfile:2: cannot expand \"${BASE:?needs-a-base-image}\": BASE: needs-a-base-image; fix the variable reference or pass the build arg it needs", required.Message);
        Assert.Equal("Dockerfile:1: cannot expand \"${B\": missing '}'; fix the variable reference or pass the build arg it needs", unterminated.Message);
        Assert.Equal(1, unsupported.Line);
        Assert.Contains("unsupported modifier (:=)", unsupported.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Final_instructions_follow_the_inheritance_chain_with_lines()
    {
        var facts = Resolve("""
            ARG PY=3.11
            FROM python:${PY} AS builder
            RUN pip wheel -w /wheels flask
            FROM python:${PY}-slim AS base
            RUN useradd app
            FROM base
            COPY --from=builder /wheels /wheels
            RUN pip install /wheels/* \
                && rm -rf /wheels
            CMD ["flask", "run"]
            """);

        Assert.Equal(
            [("FROM", 4, 4), ("RUN", 5, 5), ("FROM", 6, 6), ("COPY", 7, 7), ("RUN", 8, 9), ("CMD", 10, 10)],
            facts.FinalInstructions.Select(i => (i.Keyword, i.StartLine, i.EndLine)));
    }

    [Fact]
    public void Automatic_platform_args_can_be_supplied_as_build_args()
    {
        var facts = Resolve("FROM --platform=$BUILDPLATFORM golang:1.22-${TARGETARCH}", buildArgs: new() { ["TARGETARCH"] = "amd64" });

        Assert.Equal("golang:1.22-amd64", facts.FinalBaseImage);
    }
}
