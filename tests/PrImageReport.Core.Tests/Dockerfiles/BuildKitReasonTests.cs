using PrImageReport.Core.Dockerfiles;

namespace PrImageReport.Core.Tests.Dockerfiles;

public class BuildKitReasonTests
{
    private static string? Reason(string text, Dictionary<string, string>? buildArgs = null) =>
        DockerfileResolver.Resolve(DockerfileParser.Parse(text, "Dockerfile"), null, buildArgs ?? []).BuildKitReason;

    [Fact]
    public void Classic_dockerfile_needs_no_buildkit()
    {
        Assert.Null(Reason("""
            # escape=\
            ARG PY=3.11
            FROM --platform=linux/amd64 python:${PY}-slim AS builder
            COPY --chown=app:app requirements.txt .
            ADD --chown=app https://example.com/file.tar.gz /tmp/
            RUN pip install -r requirements.txt
            HEALTHCHECK --interval=30s --timeout=3s --start-period=5s --retries=3 CMD curl -f http://localhost/
            FROM python:${PY}-slim
            COPY --from=builder /venv /venv
            COPY --from=nginx:1.27 /etc/nginx /etc/nginx
            """));
    }

    [Theory]
    [InlineData("# syntax=docker/dockerfile:1\nFROM alpine", "# syntax=docker/dockerfile:1 directive at line 1")]
    [InlineData("FROM alpine\nRUN <<EOF\necho hi\nEOF", "heredoc <<EOF at line 2")]
    [InlineData("FROM alpine\nCOPY <<EOF /x\nhi\nEOF", "heredoc <<EOF at line 2")]
    [InlineData("FROM alpine\n\nRUN --mount=type=cache,target=/root/.cache pip install x", "RUN --mount at line 3")]
    [InlineData("FROM alpine\nRUN --network=none make", "RUN --network at line 2")]
    [InlineData("FROM alpine\nRUN --security=insecure make", "RUN --security at line 2")]
    [InlineData("FROM alpine AS a\nFROM alpine\nCOPY --link --from=a /x /x", "COPY --link at line 3")]
    [InlineData("FROM alpine\nCOPY --chmod=755 run.sh /", "COPY --chmod at line 2")]
    [InlineData("FROM alpine\nCOPY --parents src/*/go.mod /app/", "COPY --parents at line 2")]
    [InlineData("FROM alpine\nCOPY --exclude=*.md . /app", "COPY --exclude at line 2")]
    [InlineData("FROM alpine\nADD --checksum=sha256:abc https://example.com/a.tgz /", "ADD --checksum at line 2")]
    [InlineData("FROM alpine\nADD --keep-git-dir=true https://github.com/moby/buildkit.git /src", "ADD --keep-git-dir at line 2")]
    [InlineData("FROM alpine\nADD git@github.com:moby/buildkit.git /src", "ADD from a git repository at line 2")]
    [InlineData("FROM alpine\nADD https://github.com/moby/buildkit.git#v0.14.0 /src", "ADD from a git repository at line 2")]
    [InlineData("FROM --platform=$BUILDPLATFORM golang:1.22 AS build\nFROM alpine", "$BUILDPLATFORM in FROM at line 1")]
    [InlineData("FROM alpine AS a\nFROM golang:1.22-${TARGETARCH}", "$TARGETARCH in FROM at line 2")]
    [InlineData("ARG TARGETOS\nFROM --platform=${TARGETOS}/amd64 alpine", "$TARGETOS in FROM at line 2")]
    [InlineData("ARG IMAGE=golang:$TARGETARCH\nFROM $IMAGE", "$IMAGE in FROM at line 2")]
    public void Buildkit_only_features_are_named_with_their_line(string dockerfile, string reason)
    {
        Assert.Equal(reason, Reason(dockerfile));
    }

    [Fact]
    public void Platform_arg_given_a_value_by_a_global_arg_works_in_classic()
    {
        Assert.Null(Reason("ARG TARGETARCH=amd64\nFROM golang:1.22-${TARGETARCH}"));
        Assert.Null(Reason("ARG TARGETARCH\nFROM golang:1.22-${TARGETARCH}", new() { ["TARGETARCH"] = "arm64" }));
    }

    [Fact]
    public void The_earliest_reason_wins()
    {
        Assert.Equal("RUN --mount at line 3", Reason("""
            FROM alpine AS a
            COPY . /src
            RUN --mount=type=cache,target=/c make
            FROM alpine
            COPY --link --from=a /x /x
            RUN <<EOF
            echo
            EOF
            """));
    }

    [Fact]
    public void Features_in_stages_the_target_does_not_need_still_count()
    {
        // The classic builder parses every stage, so a flag it does not know fails the build wherever it is.
        Assert.Equal("RUN --mount at line 2", Reason("FROM alpine AS unused\nRUN --mount=type=tmpfs,target=/t true\nFROM alpine"));
    }
}
