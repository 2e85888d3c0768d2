using System.Text.RegularExpressions;

namespace PrImageReport.Core.Comparison;

/// <summary>
/// The base image catalogue: official image families, which of their variants are fat and which lean, what to use
/// instead of a fat one, and where the variants are documented. Adding a family is adding one entry, with the
/// examples the tests hold it to.
/// </summary>
internal static partial class BaseImageFamilies
{
    private const string UseInstead = "Use {0} for the final stage; build in a separate stage if you need the toolchain.";
    private const string AnyJre = "an eclipse-temurin JRE image (for example eclipse-temurin:21-jre)";

    private static readonly string[] SlimOrAlpine = ["slim", "alpine"];
    private static readonly HashSet<string> DebianSuites =
        ["buster", "bullseye", "bookworm", "trixie", "forky", "sid", "oldoldstable", "oldstable", "stable", "testing", "unstable"];
    private static readonly HashSet<string> UbuntuSuites = ["bionic", "focal", "jammy", "noble", "oracular", "plucky", "questing", "resolute", "stonking"];

    public static IReadOnlyList<BaseImageFamily> All { get; } =
    [
        new()
        {
            Id = "python",
            Source = "https://github.com/docker-library/docs/blob/master/python/README.md#image-variants",
            Repositories = ["python"],
            LeanTags = SlimOrAlpine,
            Fat = new("the full Python image (Debian with compilers and headers)", UseInstead, name => "python:" + SlimBeforeSuite(name)),
            FatExamples =
            [
                new("python:3.11", "python:3.11-slim"),
                new("python:3.11-bookworm", "python:3.11-slim-bookworm"),
                new("python:3.13.1-trixie", "python:3.13.1-slim-trixie"),
                new("python", "python:slim"),
                new("docker.io/library/python:3.12@sha256:0123abcd", "python:3.12-slim"),
                new("public.ecr.aws/docker/library/python:3.11", "python:3.11-slim"),
            ],
            LeanExamples = ["python:3.11-slim", "python:3.11-slim-bookworm", "python:3.12-alpine3.20", "python:alpine3.7"],
        },
        new()
        {
            Id = "node",
            Source = "https://github.com/docker-library/docs/blob/master/node/README.md#image-variants",
            Repositories = ["node"],
            LeanTags = SlimOrAlpine,
            Fat = new("the full Node.js image (Debian with compilers and headers)", UseInstead, name => "node:" + SlimLast(name)),
            FatExamples =
            [
                new("node:20", "node:20-slim"),
                new("node:20-bookworm", "node:20-bookworm-slim"),
                new("node:lts", "node:lts-slim"),
                new("node", "node:slim"),
            ],
            LeanExamples = ["node:20-slim", "node:20-bookworm-slim", "node:20-alpine", "node:lts-alpine3.19"],
        },
        new()
        {
            Id = "ruby",
            Source = "https://github.com/docker-library/docs/blob/master/ruby/README.md#image-variants",
            Repositories = ["ruby"],
            LeanTags = SlimOrAlpine,
            Fat = new("the full Ruby image (Debian with compilers and headers)", UseInstead, name => "ruby:" + SlimBeforeSuite(name)),
            FatExamples = [new("ruby:3.3", "ruby:3.3-slim"), new("ruby:3.3-bookworm", "ruby:3.3-slim-bookworm")],
            LeanExamples = ["ruby:3.3-slim", "ruby:3.3-slim-bookworm", "ruby:3.3-alpine"],
        },
        new()
        {
            Id = "golang",
            Source = "https://github.com/docker-library/docs/blob/master/golang/README.md#image-variants",
            Repositories = ["golang"],
            LeanTags = ["alpine"],
            Fat = new(
                "the Go toolchain image",
                "Build in a golang stage and COPY --from=builder only the compiled binary onto {0} or scratch.",
                _ => "gcr.io/distroless/static-debian12"),
            FatExamples = [new("golang:1.22", "gcr.io/distroless/static-debian12"), new("golang:1.22-bookworm", "gcr.io/distroless/static-debian12")],
            LeanExamples = ["golang:1.22-alpine", "golang:1.22-alpine3.20"],
        },
        new()
        {
            Id = "rust",
            Source = "https://github.com/docker-library/docs/blob/master/rust/README.md#image-variants",
            Repositories = ["rust"],
            LeanTags = SlimOrAlpine,
            Fat = new(
                "the Rust toolchain image",
                "Build in a rust stage and COPY --from=builder only the compiled binary onto {0} or debian:bookworm-slim.",
                _ => "gcr.io/distroless/cc-debian12"),
            FatExamples = [new("rust:1.79", "gcr.io/distroless/cc-debian12"), new("rust:1.79-bookworm", "gcr.io/distroless/cc-debian12")],
            LeanExamples = ["rust:1.79-slim", "rust:1.79-slim-bookworm", "rust:1.79-alpine"],
        },
        new()
        {
            Id = "eclipse-temurin",
            Source = "https://adoptium.net/installation/containers/",
            Repositories = ["eclipse-temurin"],
            // A JDK on alpine is still a JDK: only the JRE is lean here.
            LeanTags = ["jre"],
            Fat = new("a JDK image (compiler and build tools)", UseInstead, TemurinJre, AnyJre),
            FatExamples =
            [
                new("eclipse-temurin:21-jdk", "eclipse-temurin:21-jre"),
                new("eclipse-temurin:21", "eclipse-temurin:21-jre"),
                new("eclipse-temurin:21-jdk-noble", "eclipse-temurin:21-jre-noble"),
                new("eclipse-temurin:21-noble", "eclipse-temurin:21-jre-noble"),
                new("eclipse-temurin:21.0.3_9-jdk-ubi9-minimal", "eclipse-temurin:21.0.3_9-jre-ubi9-minimal"),
                new("eclipse-temurin:21-jdk-alpine", "eclipse-temurin:21-jre-alpine"),
                new("eclipse-temurin", null),
            ],
            LeanExamples = ["eclipse-temurin:21-jre", "eclipse-temurin:21-jre-noble", "eclipse-temurin:17-jre-alpine"],
        },
        new()
        {
            // Deprecated on Docker Hub; eclipse-temurin is the drop-in successor with JRE tags.
            Id = "openjdk",
            Source = "https://github.com/docker-library/docs/blob/master/openjdk/README.md#image-variants",
            Repositories = ["openjdk"],
            // openjdk's -slim and -alpine tags slim the OS, not the JDK.
            LeanTags = ["jre"],
            Fat = new("a JDK image (compiler and build tools)", UseInstead, name => JreOfVersion(LeadingVersion().Match(name.Tag ?? "")), AnyJre),
            FatExamples =
            [
                new("openjdk:17", "eclipse-temurin:17-jre"),
                new("openjdk:17-jdk", "eclipse-temurin:17-jre"),
                new("openjdk:21-jdk-oraclelinux8", "eclipse-temurin:21-jre"),
                new("openjdk:17-jdk-slim", "eclipse-temurin:17-jre"),
                new("openjdk:8-jdk-alpine", "eclipse-temurin:8-jre"),
                new("openjdk", null),
            ],
            LeanExamples = ["openjdk:8-jre", "openjdk:11-jre-slim"],
        },
        new()
        {
            Id = "maven",
            Source = "https://github.com/docker-library/docs/blob/master/maven/README.md#image-variants",
            Repositories = ["maven"],
            LeanTags = ["alpine"],
            Fat = new("the Maven build image (with a JDK)", "Build in a maven stage and run the artifact on {0}.", JavaRuntime, AnyJre),
            FatExamples =
            [
                new("maven:3.9-eclipse-temurin-21", "eclipse-temurin:21-jre"),
                new("maven:3.9.16-eclipse-temurin-17-noble", "eclipse-temurin:17-jre"),
                new("maven:3-amazoncorretto-11", "eclipse-temurin:11-jre"),
                new("maven:3.9", null),
            ],
            LeanExamples = ["maven:3.9-eclipse-temurin-21-alpine"],
        },
        new()
        {
            Id = "gradle",
            Source = "https://github.com/docker-library/docs/blob/master/gradle/README.md#image-variants",
            Repositories = ["gradle"],
            LeanTags = ["alpine"],
            Fat = new("the Gradle build image (with a JDK)", "Build in a gradle stage and run the artifact on {0}.", JavaRuntime, AnyJre),
            FatExamples =
            [
                new("gradle:8.7-jdk21", "eclipse-temurin:21-jre"),
                new("gradle:jdk17-jammy", "eclipse-temurin:17-jre"),
                new("gradle:9.7-jdk-noble", null),
            ],
            LeanExamples = ["gradle:8.7-jdk21-alpine"],
        },
        new()
        {
            // The SDK is fat whatever its tag: "-bookworm-slim" or "-alpine" there names the OS under the SDK.
            Id = "dotnet",
            Source = "https://github.com/dotnet/dotnet-docker/blob/main/README.sdk.md",
            Repositories = Dotnet("sdk", "aspnet", "runtime", "runtime-deps"),
            LeanRepositories = Dotnet("aspnet", "runtime", "runtime-deps"),
            Fat = new(
                "the .NET SDK image",
                "Use {0} for the final stage (runtime instead of aspnet for a console app, runtime-deps for a self-contained one); publish in an sdk stage.",
                DotnetAspnet),
            FatExamples =
            [
                new("mcr.microsoft.com/dotnet/sdk:8.0", "mcr.microsoft.com/dotnet/aspnet:8.0"),
                new("mcr.microsoft.com/dotnet/sdk:8.0-bookworm-slim", "mcr.microsoft.com/dotnet/aspnet:8.0-bookworm-slim"),
                new("mcr.microsoft.com/dotnet/sdk:8.0.422-alpine3.20", "mcr.microsoft.com/dotnet/aspnet:8.0-alpine3.20"),
                new("mcr.microsoft.com/dotnet/sdk:10.0-noble-aot", "mcr.microsoft.com/dotnet/aspnet:10.0-noble"),
                new("mcr.microsoft.com/dotnet/core/sdk:3.1", "mcr.microsoft.com/dotnet/core/aspnet:3.1"),
                new("mcr.microsoft.com/dotnet/sdk", "mcr.microsoft.com/dotnet/aspnet"),
            ],
            LeanExamples =
            [
                "mcr.microsoft.com/dotnet/aspnet:8.0",
                "mcr.microsoft.com/dotnet/runtime:10.0",
                "mcr.microsoft.com/dotnet/runtime-deps:8.0-noble-chiseled",
                "mcr.microsoft.com/dotnet/core/runtime:3.1",
                "mcr.microsoft.com/dotnet/nightly/aspnet:10.0-preview",
            ],
        },
        new()
        {
            // No lean variant: its lean counterpart is the slim distribution image it builds on.
            Id = "buildpack-deps",
            Source = "https://github.com/docker-library/docs/blob/master/buildpack-deps/README.md#whats-included",
            Repositories = ["buildpack-deps"],
            Fat = new(
                "a buildpack-deps image (a full Debian or Ubuntu with curl, plus version control in -scm and compilers and headers in the main tags)",
                UseInstead,
                BuildpackDepsBase),
            FatExamples =
            [
                new("buildpack-deps:bookworm", "debian:bookworm-slim"),
                new("buildpack-deps:bookworm-scm", "debian:bookworm-slim"),
                new("buildpack-deps:jammy", "ubuntu:jammy"),
                new("buildpack-deps:24.04-curl", "ubuntu:24.04"),
                new("buildpack-deps:curl", "debian:stable-slim"),
                new("buildpack-deps", "debian:stable-slim"),
            ],
            LeanExamples = [],
        },
        new()
        {
            Id = "debian",
            Source = "https://github.com/docker-library/docs/blob/master/debian/README.md#image-variants",
            Repositories = ["debian"],
            LeanTags = ["slim"],
            Fat = new("the full Debian image", UseInstead, name => "debian:" + (name.Tag ?? "stable") + "-slim"),
            FatExamples =
            [
                new("debian:bookworm", "debian:bookworm-slim"),
                new("debian:12", "debian:12-slim"),
                new("debian:bookworm-20240612", "debian:bookworm-20240612-slim"),
                new("debian", "debian:stable-slim"),
            ],
            LeanExamples = ["debian:bookworm-slim", "debian:12-slim", "debian:stable-slim"],
        },
        new()
        {
            // Docker Hub's ubuntu is already Ubuntu's minimal install; there is no fuller variant.
            Id = "ubuntu",
            Source = "https://github.com/docker-library/docs/blob/master/ubuntu/README.md#whats-in-this-image",
            Repositories = ["ubuntu"],
            LeanExamples = ["ubuntu:24.04", "ubuntu:noble", "ubuntu"],
        },
        new()
        {
            Id = "alpine",
            Source = "https://github.com/docker-library/docs/blob/master/alpine/README.md#what-is-alpine-linux",
            Repositories = ["alpine"],
            LeanExamples = ["alpine:3.20", "alpine"],
        },
        new()
        {
            Id = "busybox",
            Source = "https://github.com/docker-library/docs/blob/master/busybox/README.md#image-variants",
            Repositories = ["busybox"],
            LeanExamples = ["busybox", "busybox:1.36-musl", "busybox:glibc"],
        },
        new()
        {
            Id = "scratch",
            Source = "https://github.com/docker-library/docs/blob/master/scratch/README.md",
            Repositories = ["scratch"],
            LeanExamples = ["scratch"],
        },
        new()
        {
            Id = "distroless",
            Source = "https://github.com/GoogleContainerTools/distroless#what-images-are-available",
            Repositories = ["gcr.io/distroless/"],
            LeanExamples = ["gcr.io/distroless/static-debian12", "gcr.io/distroless/cc-debian12:nonroot", "gcr.io/distroless/python3-debian12:debug"],
        },
        new()
        {
            Id = "ubuntu-chiseled",
            Source = "https://github.com/canonical/dotnet-containers",
            Repositories = ["ubuntu/dotnet-deps", "ubuntu/dotnet-runtime", "ubuntu/dotnet-aspnet"],
            LeanExamples = ["ubuntu/dotnet-aspnet:8.0-24.04_stable", "docker.io/ubuntu/dotnet-deps:8.0-24.04_stable"],
        },
    ];

    /// <summary>python and ruby put the Debian suite after "slim": 3.11-bookworm becomes 3.11-slim-bookworm.</summary>
    private static string SlimBeforeSuite(ImageName name)
    {
        var words = name.Words;
        var suite = words.FirstOrDefault(DebianSuites.Contains);
        var rest = words.Where(w => w != suite).Append("slim");
        return string.Join('-', suite is null ? rest : rest.Append(suite));
    }

    /// <summary>node puts "slim" last: 20-bookworm becomes 20-bookworm-slim.</summary>
    private static string SlimLast(ImageName name) => name.Tag is null ? "slim" : name.Tag + "-slim";

    /// <summary>The same tag with the JDK swapped for the JRE: 21-jdk-noble becomes 21-jre-noble, 21-noble 21-jre-noble.</summary>
    private static string? TemurinJre(ImageName name)
    {
        var words = name.Words.ToList();
        var jdk = words.IndexOf("jdk");
        if (jdk >= 0)
        {
            words[jdk] = "jre";
        }
        else if (words is [[var first, ..], ..] && char.IsAsciiDigit(first))
        {
            words.Insert(1, "jre");
        }
        else
        {
            return null;
        }

        return "eclipse-temurin:" + string.Join('-', words);
    }

    /// <summary>The JRE for the Java version a maven or gradle tag names (eclipse-temurin-21, jdk21, amazoncorretto-11).</summary>
    private static string? JavaRuntime(ImageName name) => JreOfVersion(JavaVersion().Match(name.Tag ?? ""));

    private static string? JreOfVersion(Match version) => version.Success ? $"eclipse-temurin:{version.Groups[1].Value}-jre" : null;

    /// <summary>The .NET repositories of the given kinds, at their current, .NET Core and nightly paths.</summary>
    private static string[] Dotnet(params string[] kinds) =>
        [.. ((string[])["mcr.microsoft.com/dotnet/", "mcr.microsoft.com/dotnet/core/", "mcr.microsoft.com/dotnet/nightly/"])
            .SelectMany(path => kinds.Select(kind => path + kind))];

    /// <summary>
    /// The aspnet image at the SDK's path and tag, with an SDK version (8.0.422) cut to the runtime's (8.0) and the
    /// "aot" word dropped, as only the SDK has aot tags.
    /// </summary>
    private static string DotnetAspnet(ImageName name)
    {
        var aspnet = name.Repository[..(name.Repository.LastIndexOf('/') + 1)] + "aspnet";
        var words = name.Words.Where(w => w != "aot").ToList();
        if (words.Count == 0)
        {
            return aspnet;
        }

        words[0] = SdkVersion().Replace(words[0], "$1");
        return aspnet + ":" + string.Join('-', words);
    }

    /// <summary>The slim image of the suite the tag names (bookworm, stable, jammy, 24.04); debian:stable-slim for the suite-less curl and scm tags.</summary>
    private static string BuildpackDepsBase(ImageName name)
    {
        var suite = name.Words.FirstOrDefault() ?? "stable";
        return DebianSuites.Contains(suite) ? $"debian:{suite}-slim"
            : UbuntuSuites.Contains(suite) || UbuntuVersion().IsMatch(suite) ? $"ubuntu:{suite}"
            : "debian:stable-slim";
    }

    [GeneratedRegex(@"^(\d+)")]
    private static partial Regex LeadingVersion();

    [GeneratedRegex(@"(?:temurin|jdk|corretto|semeru|sapmachine|graal|ibmjava)-?(\d+)")]
    private static partial Regex JavaVersion();

    /// <summary>An SDK feature band (8.0.422, 8.0.100) rather than a runtime patch (8.0.22).</summary>
    [GeneratedRegex(@"^(\d+\.\d+)\.\d{3,}$")]
    private static partial Regex SdkVersion();

    [GeneratedRegex(@"^\d{2}\.\d{2}$")]
    private static partial Regex UbuntuVersion();
}
