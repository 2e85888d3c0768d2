using CommandLine;
using CommandLine.Text;

namespace PrImageReport.Cli.Verbs;

[Verb("compare", isDefault: false, HelpText = "Build and compare the images of two git refs, two Dockerfiles or two built images.")]
public sealed class CompareVerb
{
    [Option("repo", Default = ".", HelpText = "The git repository (with --base/--head).")]
    public string Repo { get; init; } = ".";

    [Option("base", HelpText = "Git ref of the base side, e.g. main.")]
    public string? BaseRef { get; init; }

    [Option("head", HelpText = "Git ref of the head side, e.g. my-branch.")]
    public string? HeadRef { get; init; }

    [Option("base-dockerfile", HelpText = "Dockerfile of the base side (compare two Dockerfiles).")]
    public string? BaseDockerfile { get; init; }

    [Option("head-dockerfile", HelpText = "Dockerfile of the head side (compare two Dockerfiles).")]
    public string? HeadDockerfile { get; init; }

    [Option("base-image", HelpText = "Built image of the base side (compare two images).")]
    public string? BaseImage { get; init; }

    [Option("head-image", HelpText = "Built image of the head side (compare two images).")]
    public string? HeadImage { get; init; }

    [Option("dockerfile", HelpText = "Dockerfile path relative to the repository (repeatable; default Dockerfile).")]
    public IEnumerable<string> Dockerfiles { get; init; } = [];

    [Option("context", HelpText = "Build context folder (default: the Dockerfile's folder).")]
    public string? Context { get; init; }

    [Option("build-arg", HelpText = "Build argument K=V (repeatable).")]
    public IEnumerable<string> BuildArgs { get; init; } = [];

    [Option("target", HelpText = "Build this stage instead of the last one.")]
    public string? Target { get; init; }

    [Option("builder", Default = "auto", HelpText = "auto (BuildKit when the Dockerfile or --secret, --cache-from, --cache-to, --buildx-builder need it), buildkit or classic. Without a docker CLI that builds with BuildKit, the classic builder builds what it can.")]
    public string Builder { get; init; } = "auto";

    [Option("buildx-builder", HelpText = "Build with this buildx builder (default: BUILDX_BUILDER, else the current one). Builders that cannot load into the engine (docker-container, kubernetes, remote) stream an OCI archive that is read as it comes.")]
    public string? BuildxBuilder { get; init; }

    [Option("secret", HelpText = "Build secret id=NAME,env=VARIABLE or id=NAME,src=FILE (repeatable); its value is masked in every log and report.")]
    public IEnumerable<string> Secrets { get; init; } = [];

    [Option("cache-from", HelpText = "BuildKit cache source, as docker buildx build --cache-from (repeatable). Each side gets its own scope: type=gha scope=<dockerfile>-base/-head unless given, local a subfolder of src, registry a tag suffix.")]
    public IEnumerable<string> CacheFrom { get; init; } = [];

    [Option("cache-to", HelpText = "BuildKit cache destination, as docker buildx build --cache-to (repeatable), scoped per side like --cache-from.")]
    public IEnumerable<string> CacheTo { get; init; } = [];

    [Option("buildx-output", Default = "auto", HelpText = "auto (load into the engine with the docker driver, stream an OCI archive with the others) or archive (always stream an OCI archive; nothing is left on the engine).")]
    public string BuildxOutput { get; init; } = "auto";

    [Option("network", HelpText = "Network for RUN steps during builds (as docker build --network: default, host, none).")]
    public string? Network { get; init; }

    [Option("output", HelpText = "Write the Markdown report to this file instead of standard output.")]
    public string? Output { get; init; }

    [Option("template", HelpText = "Render the Markdown report with this Scriban template instead of the built-in one (see docs/report-template.md).")]
    public string? Template { get; init; }

    [Option("json", HelpText = "Also write the machine-readable result to this file.")]
    public string? Json { get; init; }

    [Option("keep-images", HelpText = "Keep the images the tool built (they are removed by default).")]
    public bool KeepImages { get; init; }

    [Option("no-pull", HelpText = "Never pull an image only to measure it (the slim counterpart of a fat base image).")]
    public bool NoPull { get; init; }

    [Option("no-color", HelpText = "Plain progress output, no colours.")]
    public bool NoColor { get; init; }

    [Usage(ApplicationAlias = "pr-image-report")]
    public static IEnumerable<Example> Examples =>
    [
        new("Compare two git refs", new CompareVerb { BaseRef = "main", HeadRef = "my-branch" }),
        new("Compare two Dockerfiles", new CompareVerb { BaseDockerfile = "Dockerfile.old", HeadDockerfile = "Dockerfile", Context = "." }),
        new("Compare two built images", new CompareVerb { BaseImage = "app:1.4", HeadImage = "app:pr-812" }),
    ];
}
