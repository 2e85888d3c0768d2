using PrImageReport.Cli.Verbs;
using PrImageReport.Core.Dockerfiles;
using PrImageReport.Git;

namespace PrImageReport.Cli.Pipeline;

/// <summary>Turns the compare verb's options into image plans, reading and resolving every Dockerfile before anything is built.</summary>
public sealed class ComparePlanner(string scratchDirectory)
{
    public static BuildSettings Settings(CompareVerb verb) => Settings(verb.BuildArgs, verb.Target, verb.Builder, verb.Network);

    public static BuildSettings Settings(IEnumerable<string> buildArgs, string? target, string builder, string? network) =>
        new(ParseBuildArgs(buildArgs), target, ParseBuilder(builder), network);

    public async Task<IReadOnlyList<ImagePlan>> PlanAsync(CompareVerb verb, BuildSettings settings, CancellationToken ct)
    {
        var refs = verb.BaseRef is not null || verb.HeadRef is not null;
        var dockerfiles = verb.BaseDockerfile is not null || verb.HeadDockerfile is not null;
        var images = verb.BaseImage is not null || verb.HeadImage is not null;
        if ((refs ? 1 : 0) + (dockerfiles ? 1 : 0) + (images ? 1 : 0) != 1)
        {
            throw new UsageException("compare needs one pair: --base and --head (git refs), --base-dockerfile and --head-dockerfile, or --base-image and --head-image");
        }

        if (refs)
        {
            return await PlanRefsAsync(verb, settings, ct).ConfigureAwait(false);
        }

        return dockerfiles ? [await PlanDockerfilesAsync(verb, settings, ct).ConfigureAwait(false)] : [PlanImages(verb.BaseImage, verb.HeadImage)];
    }

    private async Task<IReadOnlyList<ImagePlan>> PlanRefsAsync(CompareVerb verb, BuildSettings settings, CancellationToken ct)
    {
        var baseRef = Required(verb.BaseRef, "--base");
        var headRef = Required(verb.HeadRef, "--head");
        var repo = await GitRepository.OpenAsync(verb.Repo, ct).ConfigureAwait(false);
        var baseCommit = await repo.ResolveCommitAsync(baseRef, ct).ConfigureAwait(false);
        var headCommit = await repo.ResolveCommitAsync(headRef, ct).ConfigureAwait(false);

        var baseTree = Path.Combine(scratchDirectory, "base");
        var headTree = Path.Combine(scratchDirectory, "head");
        await repo.ExportTreeAsync(baseCommit, baseTree, ct).ConfigureAwait(false);
        await repo.ExportTreeAsync(headCommit, headTree, ct).ConfigureAwait(false);
        return await PlanTreesAsync(new SourceTree(baseRef, baseTree), new SourceTree(headRef, headTree), verb.Dockerfiles, verb.Context, settings, ct).ConfigureAwait(false);
    }

    /// <summary>Plans one image per Dockerfile from two source trees laid out as the repository is.</summary>
    public static async Task<IReadOnlyList<ImagePlan>> PlanTreesAsync(
        SourceTree baseTree, SourceTree headTree, IEnumerable<string> dockerfilePaths, string? contextPath, BuildSettings settings, CancellationToken ct)
    {
        var dockerfiles = dockerfilePaths.Select(NormalizeRepoPath).DefaultIfEmpty("Dockerfile").Distinct().ToList();
        var plans = new List<ImagePlan>();
        foreach (var dockerfile in dockerfiles)
        {
            var context = contextPath is null ? NormalizeRepoPath(Path.GetDirectoryName(dockerfile) ?? "") : NormalizeRepoPath(contextPath);
            var baseSide = await ReadSideAsync(baseTree, dockerfile, context, settings, ct).ConfigureAwait(false);
            var headSide = await ReadSideAsync(headTree, dockerfile, context, settings, ct).ConfigureAwait(false);
            if (baseSide is null && headSide is null)
            {
                throw new UsageException($"{dockerfile}: no such Dockerfile at {baseTree.Ref} nor at {headTree.Ref}; pass --dockerfile with its path relative to the repository root");
            }

            plans.Add(new ImagePlan(dockerfile, context.Length == 0 ? "." : context, baseSide, headSide));
        }

        return plans;
    }

    private static async Task<SidePlan?> ReadSideAsync(SourceTree tree, string dockerfile, string context, BuildSettings settings, CancellationToken ct)
    {
        var reference = tree.Ref;
        var dockerfilePath = Path.Combine(tree.Directory, dockerfile);
        if (!File.Exists(dockerfilePath))
        {
            return null;
        }

        var contextDirectory = Path.Combine(tree.Directory, context);
        if (!Directory.Exists(contextDirectory))
        {
            throw new UsageException($"{context}: no such build context folder at {reference}; pass --context with a folder relative to the repository root");
        }

        var facts = await ResolveAsync(dockerfilePath, $"{dockerfile} (at {reference})", settings, ct).ConfigureAwait(false);
        return SidePlan.Build(reference, contextDirectory, dockerfilePath, facts with { Path = dockerfile });
    }

    private static async Task<ImagePlan> PlanDockerfilesAsync(CompareVerb verb, BuildSettings settings, CancellationToken ct)
    {
        var baseDockerfile = Required(verb.BaseDockerfile, "--base-dockerfile");
        var headDockerfile = Required(verb.HeadDockerfile, "--head-dockerfile");
        var baseSide = await ReadLocalSideAsync(baseDockerfile, verb.Context, settings, ct).ConfigureAwait(false);
        var headSide = await ReadLocalSideAsync(headDockerfile, verb.Context, settings, ct).ConfigureAwait(false);
        return new ImagePlan(headDockerfile, verb.Context ?? Path.GetDirectoryName(headDockerfile) switch { null or "" => ".", var d => d }, baseSide, headSide);
    }

    private static async Task<SidePlan> ReadLocalSideAsync(string dockerfile, string? context, BuildSettings settings, CancellationToken ct)
    {
        if (!File.Exists(dockerfile))
        {
            throw new UsageException($"{dockerfile}: no such Dockerfile; check the path (relative to {Environment.CurrentDirectory})");
        }

        var contextDirectory = context ?? Path.GetDirectoryName(Path.GetFullPath(dockerfile))!;
        if (!Directory.Exists(contextDirectory))
        {
            throw new UsageException($"{contextDirectory}: no such build context folder; pass --context with an existing folder");
        }

        var facts = await ResolveAsync(dockerfile, dockerfile, settings, ct).ConfigureAwait(false);
        return SidePlan.Build(dockerfile, Path.GetFullPath(contextDirectory), Path.GetFullPath(dockerfile), facts);
    }

    public static ImagePlan PlanImages(string? baseImage, string? headImage) =>
        new("", "", SidePlan.Existing(Required(baseImage, "--base-image")), SidePlan.Existing(Required(headImage, "--head-image")));

    private static async Task<DockerfileFacts> ResolveAsync(string path, string displayPath, BuildSettings settings, CancellationToken ct)
    {
        var text = await File.ReadAllTextAsync(path, ct).ConfigureAwait(false);
        var file = DockerfileParser.Parse(text, displayPath);
        return DockerfileResolver.Resolve(file, settings.Target, settings.BuildArgs);
    }

    private static string Required(string? value, string option) =>
        value ?? throw new UsageException($"{option} is missing; compare takes both sides of a pair (see pr-image-report compare --help)");

    private static string NormalizeRepoPath(string path)
    {
        var normalized = path.Replace('\\', '/').Trim();
        while (normalized.StartsWith("./", StringComparison.Ordinal))
        {
            normalized = normalized[2..];
        }

        normalized = normalized == "." ? "" : normalized.Trim('/');
        if (normalized.Split('/').Contains(".."))
        {
            throw new UsageException($"{path}: paths with --dockerfile and --context are relative to the repository root and stay inside it");
        }

        return normalized;
    }

    private static Dictionary<string, string> ParseBuildArgs(IEnumerable<string> pairs)
    {
        var args = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var pair in pairs)
        {
            var equals = pair.IndexOf('=', StringComparison.Ordinal);
            if (equals <= 0)
            {
                throw new UsageException($"--build-arg {pair}: expected NAME=VALUE");
            }

            args[pair[..equals]] = pair[(equals + 1)..];
        }

        return args;
    }

    private static BuilderChoice ParseBuilder(string builder) => builder.ToLowerInvariant() switch
    {
        "auto" => BuilderChoice.Auto,
        "buildkit" => BuilderChoice.BuildKit,
        "classic" => BuilderChoice.Classic,
        _ => throw new UsageException($"--builder {builder}: expected auto, buildkit or classic"),
    };
}
