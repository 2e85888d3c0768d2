using PrImageReport.Core.Comparison;

namespace PrImageReport.Core.Tests.Comparison;

public class BaseImageCatalogTests
{
    [Theory]
    [InlineData("python:3.11", "Use python:3.11-slim ")]
    [InlineData("python:3.11-bookworm", "Use python:3.11-slim-bookworm ")]
    [InlineData("python", "Use python:slim ")]
    [InlineData("docker.io/library/python:3.12@sha256:0123abcd", "Use python:3.12-slim ")]
    [InlineData("public.ecr.aws/docker/library/python:3.11", "Use python:3.11-slim ")]
    [InlineData("node:20", "Use node:20-slim ")]
    [InlineData("node:20-bookworm", "Use node:20-bookworm-slim ")]
    [InlineData("golang:1.22", "gcr.io/distroless/static-debian12 or scratch")]
    [InlineData("rust:1.79", "gcr.io/distroless/cc-debian12")]
    [InlineData("eclipse-temurin:21-jdk", "Use eclipse-temurin:21-jre ")]
    [InlineData("eclipse-temurin:21", "Use eclipse-temurin:21-jre ")]
    [InlineData("openjdk:17", "Use eclipse-temurin:17-jre ")]
    [InlineData("maven:3.9-eclipse-temurin-21", "run the artifact on eclipse-temurin:21-jre")]
    [InlineData("gradle:8.7-jdk21", "run the artifact on eclipse-temurin:21-jre")]
    [InlineData("mcr.microsoft.com/dotnet/sdk:8.0", "Use mcr.microsoft.com/dotnet/aspnet:8.0 ")]
    [InlineData("buildpack-deps:bookworm", "Use debian:bookworm-slim ")]
    [InlineData("buildpack-deps:jammy", "Use ubuntu:jammy ")]
    [InlineData("debian:bookworm", "Use debian:bookworm-slim ")]
    [InlineData("debian", "Use debian:stable-slim ")]
    public void Fat_variants_name_their_lean_counterpart(string reference, string fixPart)
    {
        var result = BaseImageCatalog.Classify(reference);

        Assert.Equal(BaseImageKind.Fat, result.Kind);
        Assert.NotNull(result.Description);
        Assert.Contains(fixPart, result.Fix, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("python:3.11-slim")]
    [InlineData("python:3.11-slim-bookworm")]
    [InlineData("python:3.11-alpine")]
    [InlineData("node:20-alpine")]
    [InlineData("node:20-bookworm-slim")]
    [InlineData("golang:1.22-alpine")]
    [InlineData("debian:bookworm-slim")]
    [InlineData("ubuntu:24.04")]
    [InlineData("ubuntu")]
    [InlineData("eclipse-temurin:21-jre")]
    [InlineData("mcr.microsoft.com/dotnet/aspnet:8.0")]
    [InlineData("mcr.microsoft.com/dotnet/runtime-deps:8.0")]
    [InlineData("gcr.io/distroless/static-debian12")]
    [InlineData("scratch")]
    public void Lean_images_are_never_fat(string reference)
    {
        Assert.Equal(BaseImageKind.Lean, BaseImageCatalog.Classify(reference).Kind);
    }

    [Theory]
    [InlineData("registry.example.com/acme/app:1.2")]
    [InlineData("mycompany/python:3.11")]
    [InlineData("python:3.11-windowsservercore")]
    public void Images_outside_the_catalogue_are_unknown(string reference)
    {
        Assert.Equal(BaseImageKind.Unknown, BaseImageCatalog.Classify(reference).Kind);
    }

    [Theory]
    [InlineData("python:3.11", "docker.io/library/python:3.11", true)]
    [InlineData("python", "python:latest", true)]
    [InlineData("python:3.11", "python:3.11@sha256:abc", true)]
    [InlineData("python:3.11", "python:3.11-slim", false)]
    public void Same_image_ignores_registry_defaults_and_digests(string a, string b, bool same)
    {
        Assert.Equal(same, BaseImageCatalog.SameImage(a, b));
    }
}
