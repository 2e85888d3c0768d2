using PrImageReport.Cli.Verbs;
using PrImageReport.Core.Dockerfiles;
using PrImageReport.Docker;
using PrImageReport.Git;

namespace PrImageReport.Cli.Pipeline;

/// <summary>Turns the compare verb's options into image plans, reading and resolving every Dockerfile before anything is built.</summary>
public sealed class ComparePlanner(string scratchDirectory)
{
    public static BuildSettings Settings(CompareVerb verb) => Settings(
        verb.BuildArgs,
        verb.Target,
        verb.Builder,
        verb.Network,
        new BuildKitArguments(verb.BuildxBuilder, verb.Secrets, verb.CacheFrom, verb.CacheTo, verb.BuildxOutput),
        Environment.CurrentDirectory);

    /// <param name="baseDirectory">What a secret's relative src= is relative to.</param>
    public static BuildSettings Settings(IEnumerable<string> buildArgs, string? target, string builder, string? network, BuildKitArguments buildKit, string baseDirectory)
    {
        ArgumentNullException.ThrowIfNull(buildKit);
        var choice = ParseBuilder(builder);
        var options = new BuildKitOptions(
            string.IsNullOrWhiteSpace(buildKit.BuildxBuilder) ? null : buildKit.BuildxBuilder.Trim(),
            [.. buildKit.Secrets.Select(spec => ParseSecret(spec, baseDirectory))],
            [.. buildKit.CacheFrom],
            [.. buildKit.CacheTo],
            buildKit.Output.ToLowerInvariant() switch
            {
                "auto" => false,
                "archive" => true,
                _ => throw new UsageException($"--buildx-output {buildKit.Output}: expected auto or archive"),
            });
        if (choice == BuilderChoice.Classic && options.Any)
        {
            var option = options.BuildxOnly ?? "--secret";
            throw new UsageException($"{option} needs BuildKit, which --builder classic turns off; use --builder auto or buildkit");
        }

        return new(ParseBuildArgs(buildArgs), target, choice, network, options);
    }

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

    /// <summary>"id=NAME,env=VARIABLE" or "id=NAME,src=FILE" (also type=env|file, source=), as docker build --secret takes it; the value must be there now, not at build time.</summary>
    private static BuildSecret ParseSecret(string spec, string baseDirectory)
    {
        var fields = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var field in spec.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            var equals = field.IndexOf('=', StringComparison.Ordinal);
            if (equals <= 0)
            {
                throw new UsageException($"--secret {spec}: expected id=NAME,env=VARIABLE or id=NAME,src=FILE");
            }

            fields[field[..equals].ToLowerInvariant()] = field[(equals + 1)..];
        }

        if (!fields.TryGetValue("id", out var id) || id.Length == 0)
        {
            throw new UsageException($"--secret {spec}: no id=; expected id=NAME,env=VARIABLE or id=NAME,src=FILE");
        }

        var source = fields.GetValueOrDefault("src") ?? fields.GetValueOrDefault("source");
        var variable = fields.GetValueOrDefault("env");
        if (fields.GetValueOrDefault("type") is "env" && variable is null)
        {
            (variable, source) = (source ?? id, null);
        }

        if (variable is not null && source is null)
        {
            return Environment.GetEnvironmentVariable(variable) is { Length: > 0 }
                ? new BuildSecret(id, variable, null)
                : throw new UsageException($"--secret {spec}: the variable {variable} is not set; set it before the run");
        }

        if (source is not null && variable is null)
        {
            var path = Path.GetFullPath(source, baseDirectory);
            return File.Exists(path)
                ? new BuildSecret(id, null, path)
                : throw new UsageException($"--secret {spec}: {path} does not exist; point src= at the file that holds the secret");
        }

        throw new UsageException($"--secret {spec}: give one of env= and src=");
    }

    private static BuilderChoice ParseBuilder(string builder) => builder.ToLowerInvariant() switch
    {
        "auto" => BuilderChoice.Auto,
        "buildkit" => BuilderChoice.BuildKit,
        "classic" => BuilderChoice.Classic,
        _ => throw new UsageException($"--builder {builder}: expected auto, buildkit or classic"),
    };
}
