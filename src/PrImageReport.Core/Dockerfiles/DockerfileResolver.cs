namespace PrImageReport.Core.Dockerfiles;

/// <summary>Resolves a parsed Dockerfile for one target and set of build args, as BuildKit would build it.</summary>
public static class DockerfileResolver
{
    // BuildKit gives FROM these without any ARG; the classic builder knows none of them.
    private static readonly HashSet<string> AutomaticPlatformArgs =
    [
        "BUILDPLATFORM", "BUILDOS", "BUILDARCH", "BUILDVARIANT", "TARGETPLATFORM", "TARGETOS", "TARGETARCH", "TARGETVARIANT",
    ];

    /// <summary>Substitutes global ARGs in every FROM, picks the final stage and follows what it needs.</summary>
    /// <param name="target">The stage name to build (case-insensitive), or null for the last stage.</param>
    /// <param name="buildArgs">
    /// Build args; they override global ARG defaults and reach FROM only through a global ARG, as in Docker.
    /// Values for BuildKit's automatic platform args (TARGETARCH...) are used as the platform BuildKit would supply.
    /// </param>
    /// <exception cref="DockerfileParseException">A FROM cannot be expanded or expands to nothing, or the target is not a stage name.</exception>
    public static DockerfileFacts Resolve(Dockerfile file, string? target, IReadOnlyDictionary<string, string> buildArgs)
    {
        var scope = GlobalScope(file, buildArgs);
        var summaries = new List<StageSummary>();
        var parents = new int?[file.Stages.Count];
        var fromReasons = new List<(int Line, string Reason)>();
        foreach (var stage in file.Stages)
        {
            var line = stage.From.StartLine;
            var image = Expand(file, stage.BaseName, line, scope.Values);
            if (image.Result.Length == 0)
            {
                throw new DockerfileParseException(file.Path, line, $"FROM {stage.BaseName} expands to an empty image name; give that global ARG a default or pass it as a build arg");
            }
            var referenced = image.Referenced.ToList();
            if (stage.Platform is { } platform)
            {
                referenced.AddRange(Expand(file, platform, line, scope.Values).Referenced);
            }
            fromReasons.AddRange(referenced.Where(scope.NeedsBuildKit.Contains).Distinct().Select(name => (line, $"${name} in FROM at line {line}")));
            parents[stage.Index] = file.Stages.Take(stage.Index)
                .LastOrDefault(s => string.Equals(s.Name, image.Result, StringComparison.OrdinalIgnoreCase))?.Index;
            summaries.Add(new StageSummary(stage.Index, stage.Name, image.Result, line));
        }

        var final = FinalStage(file, target);
        var chain = new List<Stage>();
        for (int? index = final.Index; index is { } i; index = parents[i])
        {
            chain.Insert(0, file.Stages[i]);
        }
        var root = chain[0];

        return new DockerfileFacts(
            file.Path,
            summaries,
            summaries[final.Index],
            StagesBuilt(file, final, parents).Select(i => summaries[i]).ToList(),
            summaries[root.Index].BaseImage,
            root.From.StartLine,
            BuildKitFeatures.FirstReason(file, fromReasons))
        {
            FinalInstructions = chain.SelectMany(s => s.Instructions.Prepend(s.From)).ToList(),
            Source = file,
        };
    }

    private static Stage FinalStage(Dockerfile file, string? target)
    {
        if (target is null)
        {
            return file.Stages[^1];
        }
        // When names repeat, the last stage with the name wins, as in BuildKit.
        if (file.Stages.LastOrDefault(s => string.Equals(s.Name, target, StringComparison.OrdinalIgnoreCase)) is { } named)
        {
            return named;
        }
        var names = file.Stages.Where(s => s.Name is not null).Select(s => s.Name!).Distinct().ToList();
        throw new DockerfileParseException(file.Path, null, names.Count == 0
            ? $"target stage \"{target}\" not found: no stage has a name; drop the target or name a stage with FROM <image> AS <name>"
            : $"target stage \"{target}\" not found; use one of: {string.Join(", ", names)}");
    }

    /// <summary>The final stage and every stage it needs through FROM, COPY --from and RUN --mount from=, in file order.</summary>
    private static IEnumerable<int> StagesBuilt(Dockerfile file, Stage final, int?[] parents)
    {
        var needed = new SortedSet<int>();
        var pending = new Stack<int>([final.Index]);
        while (pending.TryPop(out var index))
        {
            if (!needed.Add(index))
            {
                continue;
            }
            if (parents[index] is { } parent)
            {
                pending.Push(parent);
            }
            foreach (var source in StageReferences.Sources(file, file.Stages[index]))
            {
                pending.Push(source);
            }
        }
        return needed;
    }

    /// <summary>The global ARG values FROM sees, and the names whose value only BuildKit can supply.</summary>
    private static (Dictionary<string, string> Values, HashSet<string> NeedsBuildKit) GlobalScope(Dockerfile file, IReadOnlyDictionary<string, string> buildArgs)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var name in AutomaticPlatformArgs.Where(buildArgs.ContainsKey))
        {
            values[name] = buildArgs[name];
        }
        var needsBuildKit = new HashSet<string>(AutomaticPlatformArgs, StringComparer.Ordinal);
        foreach (var arg in file.GlobalArgs)
        {
            foreach (var word in arg.Words)
            {
                var equals = word.IndexOf('=');
                var name = equals < 0 ? word : word[..equals];
                if (buildArgs.TryGetValue(name, out var given))
                {
                    values[name] = given;
                    needsBuildKit.Remove(name);
                }
                else if (equals >= 0)
                {
                    var value = Expand(file, word[(equals + 1)..], arg.StartLine, values);
                    values[name] = value.Result;
                    if (value.Referenced.Any(needsBuildKit.Contains))
                    {
                        needsBuildKit.Add(name);
                    }
                    else
                    {
                        needsBuildKit.Remove(name);
                    }
                }
            }
        }
        return (values, needsBuildKit);
    }

    private static ShellExpansion Expand(Dockerfile file, string word, int line, IReadOnlyDictionary<string, string> values)
    {
        try
        {
            return ShellLexer.Expand(word, file.EscapeToken, values);
        }
        catch (ShellSyntaxException e)
        {
            throw new DockerfileParseException(file.Path, line, $"cannot expand \"{word}\": {e.Message}; fix the variable reference or pass the build arg it needs");
        }
    }
}
