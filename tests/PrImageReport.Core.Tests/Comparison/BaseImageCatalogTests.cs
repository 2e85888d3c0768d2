using PrImageReport.Core.Comparison;

namespace PrImageReport.Core.Tests.Comparison;

public class BaseImageCatalogTests
{
    public static TheoryData<string> Families => [.. BaseImageFamilies.All.Select(f => f.Id)];

    public static TheoryData<string, string, string?> FatExamples
    {
        get
        {
            var data = new TheoryData<string, string, string?>();
            foreach (var family in BaseImageFamilies.All)
            {
                foreach (var example in family.FatExamples)
                {
                    data.Add(family.Id, example.Reference, example.Counterpart);
                }
            }

            return data;
        }
    }

    public static TheoryData<string, string> LeanExamples
    {
        get
        {
            var data = new TheoryData<string, string>();
            foreach (var family in BaseImageFamilies.All)
            {
                foreach (var example in family.LeanExamples)
                {
                    data.Add(family.Id, example);
                }
            }

            return data;
        }
    }

    [Theory]
    [MemberData(nameof(FatExamples))]
    public void Each_entry_classifies_its_fat_examples_as_fat_with_their_counterpart(string family, string reference, string? counterpart)
    {
        var result = BaseImageCatalog.Classify(reference);

        Assert.Equal(family, FamilyOf(reference));
        Assert.Equal(BaseImageKind.Fat, result.Kind);
        Assert.Equal(counterpart, result.Counterpart);
        Assert.False(string.IsNullOrWhiteSpace(result.Description));
        Assert.Contains(counterpart ?? Entry(family).Fat!.NoCounterpart, result.Fix, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(LeanExamples))]
    public void Each_entry_classifies_its_lean_examples_as_lean(string family, string reference)
    {
        Assert.Equal(family, FamilyOf(reference));
        Assert.Equal(new BaseImageClass(BaseImageKind.Lean), BaseImageCatalog.Classify(reference));
    }

    [Theory]
    [MemberData(nameof(Families))]
    public void Every_entry_has_a_source_and_an_example_for_each_of_its_rules(string family)
    {
        var entry = Entry(family);

        Assert.True(Uri.TryCreate(entry.Source, UriKind.Absolute, out var source) && source.Scheme == Uri.UriSchemeHttps, $"{family}: source {entry.Source}");
        Assert.NotEmpty(entry.Repositories);
        Assert.Equal(entry.Fat is not null, entry.FatExamples.Count > 0);
        if (entry.Fat is null || entry.LeanTags.Count > 0 || entry.LeanRepositories.Count > 0)
        {
            Assert.NotEmpty(entry.LeanExamples);
        }

        foreach (var lean in entry.LeanTags)
        {
            Assert.Contains(entry.LeanExamples, e => ImageName.Parse(e).Words.Any(w => w.StartsWith(lean, StringComparison.Ordinal)));
        }

        if (entry.LeanRepositories.Count > 0)
        {
            Assert.Contains(entry.LeanExamples, e => entry.LeanRepositories.Contains(ImageName.Parse(e).Repository));
        }
    }

    [Fact]
    public void Every_example_is_named_by_exactly_one_entry()
    {
        var examples = BaseImageFamilies.All.SelectMany(f => f.FatExamples.Select(e => e.Reference).Concat(f.LeanExamples));

        foreach (var example in examples)
        {
            var repository = ImageName.Parse(example).Repository;
            Assert.Single(BaseImageFamilies.All, f => f.Names(repository));
        }
    }

    [Fact]
    public void Every_suggested_counterpart_is_lean()
    {
        var counterparts = BaseImageFamilies.All.SelectMany(f => f.FatExamples).Select(e => e.Counterpart).OfType<string>().ToList();

        Assert.NotEmpty(counterparts);
        Assert.All(counterparts, c => Assert.Equal(BaseImageKind.Lean, BaseImageCatalog.Classify(c).Kind));
    }

    [Theory]
    [InlineData("python:3.11", "python:3.11-slim")]
    [InlineData("python:3.11-bookworm", "python:3.11-slim-bookworm")]
    [InlineData("node:20", "node:20-slim")]
    [InlineData("node:20-bookworm", "node:20-bookworm-slim")]
    [InlineData("ruby:3.3", "ruby:3.3-slim")]
    [InlineData("debian:bookworm", "debian:bookworm-slim")]
    [InlineData("buildpack-deps:bookworm", "debian:bookworm-slim")]
    [InlineData("eclipse-temurin:21-jdk", "eclipse-temurin:21-jre")]
    [InlineData("eclipse-temurin:21", "eclipse-temurin:21-jre")]
    [InlineData("openjdk:17", "eclipse-temurin:17-jre")]
    [InlineData("mcr.microsoft.com/dotnet/sdk:8.0", "mcr.microsoft.com/dotnet/aspnet:8.0")]
    [InlineData("maven:3.9-eclipse-temurin-21", "eclipse-temurin:21-jre")]
    [InlineData("gradle:8.7-jdk21", "eclipse-temurin:21-jre")]
    [InlineData("golang:1.22", "gcr.io/distroless/static-debian12")]
    [InlineData("rust:1.79", "gcr.io/distroless/cc-debian12")]
    [InlineData("index.docker.io/library/node:20", "node:20-slim")]
    [InlineData("mirror.gcr.io/library/debian:bookworm", "debian:bookworm-slim")]
    [InlineData("localhost:5000/library/python:3.11", "python:3.11-slim")]
    [InlineData("mcr.microsoft.com/dotnet/sdk:8.0@sha256:0123abcd", "mcr.microsoft.com/dotnet/aspnet:8.0")]
    public void Fat_references_name_the_lean_counterpart_of_the_same_version(string reference, string counterpart)
    {
        var result = BaseImageCatalog.Classify(reference);

        Assert.Equal(BaseImageKind.Fat, result.Kind);
        Assert.Equal(counterpart, result.Counterpart);
        Assert.Contains(counterpart, result.Fix, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("python:", "python:slim")]
    [InlineData("mcr.microsoft.com/dotnet/sdk:aot", "mcr.microsoft.com/dotnet/aspnet")]
    [InlineData("eclipse-temurin:noble", null)]
    public void Bare_tags_get_a_counterpart_where_one_follows(string reference, string? counterpart)
    {
        var result = BaseImageCatalog.Classify(reference);

        Assert.Equal(BaseImageKind.Fat, result.Kind);
        Assert.Equal(counterpart, result.Counterpart);
    }

    [Theory]
    [InlineData("python:3.11", "Use python:3.11-slim for the final stage; build in a separate stage if you need the toolchain.")]
    [InlineData("mcr.microsoft.com/dotnet/sdk:8.0", "Use mcr.microsoft.com/dotnet/aspnet:8.0 for the final stage (runtime instead of aspnet for a console app, runtime-deps for a self-contained one); publish in an sdk stage.")]
    [InlineData("golang:1.22", "Build in a golang stage and COPY --from=builder only the compiled binary onto gcr.io/distroless/static-debian12 or scratch.")]
    [InlineData("maven:3.9", "Build in a maven stage and run the artifact on an eclipse-temurin JRE image (for example eclipse-temurin:21-jre).")]
    public void Fix_says_what_to_use_instead(string reference, string fix)
    {
        Assert.Equal(fix, BaseImageCatalog.Classify(reference).Fix);
    }

    [Theory]
    [InlineData("python:3.11-slim")]
    [InlineData("python:3.11-slim@sha256:0123abcd")]
    [InlineData("node:20-alpine")]
    [InlineData("golang:1.22-alpine")]
    [InlineData("rust:1.79-slim")]
    [InlineData("debian:bookworm-slim")]
    [InlineData("ubuntu:24.04")]
    [InlineData("ubuntu")]
    [InlineData("alpine:3.20")]
    [InlineData("busybox:1.36")]
    [InlineData("scratch")]
    [InlineData("eclipse-temurin:21-jre")]
    [InlineData("maven:3.9-eclipse-temurin-21-alpine")]
    [InlineData("mcr.microsoft.com/dotnet/aspnet:8.0")]
    [InlineData("mcr.microsoft.com/dotnet/runtime-deps:8.0")]
    [InlineData("mcr.microsoft.com/dotnet/runtime:8.0-jammy-chiseled")]
    [InlineData("ubuntu/dotnet-aspnet:8.0-24.04_stable")]
    [InlineData("gcr.io/distroless/static-debian12")]
    [InlineData("gcr.io/distroless/java21-debian12:debug")]
    public void Slim_alpine_jre_runtime_distroless_and_chiseled_images_are_never_fat(string reference)
    {
        Assert.Equal(BaseImageKind.Lean, BaseImageCatalog.Classify(reference).Kind);
    }

    [Theory]
    [InlineData("mcr.microsoft.com/dotnet/sdk:8.0-bookworm-slim")]
    [InlineData("mcr.microsoft.com/dotnet/sdk:8.0-alpine")]
    public void The_dotnet_sdk_is_fat_whatever_operating_system_its_tag_names(string reference)
    {
        Assert.Equal(BaseImageKind.Fat, BaseImageCatalog.Classify(reference).Kind);
    }

    [Theory]
    [InlineData("registry.example.com/acme/app:1.2")]
    [InlineData("mycompany/python:3.11")]
    [InlineData("registry.example.com/acme/builder:1-slim")]
    [InlineData("registry.example.com/distroless/app:1")]
    [InlineData("python:3.11-windowsservercore")]
    [InlineData("mcr.microsoft.com/dotnet/sdk:8.0-nanoserver-ltsc2022")]
    [InlineData("python:${PYTHON_VERSION}")]
    [InlineData("python:${PYTHON_VERSION}-slim")]
    [InlineData("${BASE_IMAGE}")]
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

    private static string? FamilyOf(string reference) =>
        BaseImageFamilies.All.FirstOrDefault(f => f.Names(ImageName.Parse(reference).Repository))?.Id;

    private static BaseImageFamily Entry(string family) => Assert.Single(BaseImageFamilies.All, f => f.Id == family);

    [Theory]
    [InlineData("eclipse-temurin:21-jdk-alpine", "eclipse-temurin:21-jre-alpine")]
    [InlineData("openjdk:17-jdk-slim", "eclipse-temurin:17-jre")]
    public void A_jdk_on_a_slim_or_alpine_os_is_still_a_jdk(string reference, string counterpart)
    {
        var verdict = BaseImageCatalog.Classify(reference);

        Assert.Equal((BaseImageKind.Fat, counterpart), (verdict.Kind, verdict.Counterpart));
    }
}
