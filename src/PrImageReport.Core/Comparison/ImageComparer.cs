using System.Text.RegularExpressions;
using PrImageReport.Core.Dockerfiles;
using PrImageReport.Core.Images;

namespace PrImageReport.Core.Comparison;

/// <summary>Applies <see cref="Rules"/> to the facts of one image's base and head sides.</summary>
public static partial class ImageComparer
{
    /// <summary>What a toolchain meta-package (build-essential, build-base) brings along.</summary>
    private static readonly HashSet<string> CompilerTools =
        ["gcc", "g++", "cc", "c++", "cpp", "make", "ld", "as", "binutils", "build-essential", "build-base", "dpkg-dev", "libc6-dev", "libc-dev", "musl-dev"];

    /// <summary>Findings for one image, each naming the Dockerfile line behind it, and the evidence they stand on.</summary>
    /// <param name="localImageSizes">
    /// Sizes of images on the engine by reference, such as a fat base image and its lean counterpart, so that
    /// fat-base-image can state the measured saving; images not in it are simply not measured.
    /// </param>
    public static ImageComparison Compare(
        string dockerfile,
        string context,
        SideFacts? baseSide,
        SideFacts? headSide,
        RuleOptions options,
        IReadOnlyDictionary<string, long>? localImageSizes = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();

        var baseRows = Rows(baseSide);
        var headRows = Rows(headSide);
        var evidence = Evidence(baseSide, headSide, baseRows, headRows);
        var findings = new List<Finding>();
        if (baseSide is not null)
        {
            AddBuildFailure(findings, "base", baseSide, isHead: false);
        }

        if (headSide is not null)
        {
            AddBuildFailure(findings, "head", headSide, isHead: true);
        }

        // An image added or removed in the PR has nothing to be compared with.
        if (baseSide is not null && headSide is not null)
        {
            if (baseSide.Dockerfile is { } baseFile && headSide.Dockerfile is { } headFile)
            {
                AddStageFindings(findings, baseFile, headFile);
            }

            if (headSide.Dockerfile is not null)
            {
                AddFatBase(findings, baseSide, headSide, localImageSizes ?? new Dictionary<string, long>());
            }

            if (baseSide.Image is { } baseImage && headSide.Image is { } headImage)
            {
                AddBuildTools(findings, baseSide, headSide, headRows);
                AddSize(findings, baseImage, headImage, evidence, options);
                AddLayers(findings, baseImage, headImage, evidence, options);
                AddWastedSpace(findings, baseImage, headImage, evidence, options);
            }
        }

        var sorted = findings
            .OrderByDescending(f => f.Severity)
            .ThenBy(f => f.Rule, StringComparer.Ordinal)
            .ToList();
        return new ImageComparison(dockerfile, context, baseSide, headSide, sorted) { Evidence = evidence };
    }

    /// <summary>How many of the head's wasted paths the evidence ties to instructions.</summary>
    private const int WastedFilesShown = 10;

    /// <summary>Longest instruction quoted in a finding's message; the report's layer table has them in full.</summary>
    private const int QuotedInstructionLength = 100;

    private static IReadOnlyList<AttributedLayer> Rows(SideFacts? side) =>
        side?.Image is { } image ? LayerAttribution.Attribute(image, side.Dockerfile) : [];

    private static ImageEvidence Evidence(SideFacts? baseSide, SideFacts? headSide, IReadOnlyList<AttributedLayer> baseRows, IReadOnlyList<AttributedLayer> headRows)
    {
        var baseImage = baseSide?.Image;
        var headImage = headSide?.Image;
        return new ImageEvidence(
            LayerPairing.Pair(baseRows, headRows),
            baseImage is not null && headImage is not null ? PackageDiff.Compare(baseImage.Packages, headImage.Packages) : [],
            baseImage?.Wasted,
            headImage?.Wasted,
            headImage is null
                ? []
                : [.. headImage.Wasted.LargestFiles
                    .Take(WastedFilesShown)
                    .Select(f => new WastedFileCause(f.Path, f.SizeBytes, f.Deleted, LayerAttribution.RowOf(headRows, f.WrittenByLayer), LayerAttribution.RowOf(headRows, f.RemovedByLayer)))]);
    }

    private static void AddBuildFailure(List<Finding> findings, string side, SideFacts facts, bool isHead)
    {
        if (facts.Failure is not { } failure)
        {
            return;
        }

        // Finding.Line points into the head Dockerfile, so a base failure carries its line in the message instead.
        var where = failure.Line is { } line && !isHead ? $" (base Dockerfile line {line})" : "";
        findings.Add(new Finding(
            Rules.BuildFailed.Id,
            Rules.BuildFailed.DefaultSeverity,
            $"The {side} image ({facts.Ref}) failed to build at step {failure.Step}{where}: {failure.Message}",
            Rules.BuildFailed.Fix,
            isHead ? failure.Line : null));
    }

    private static void AddStageFindings(List<Finding> findings, DockerfileFacts baseFile, DockerfileFacts headFile)
    {
        if (baseFile.IsMultiStage && !headFile.IsMultiStage)
        {
            var builders = Builders(baseFile);
            // COPY --from names the stage the artifacts come from: the last named builder, usually.
            var source = builders.LastOrDefault(s => s.Name is not null)?.Name;
            var where = string.Join(", ", builders.Select(b => $"{b.DisplayName} at line {b.Line}"));
            var restore = Suggestions.RestoreBuilders(baseFile, headFile);
            var fix = source is null
                ? Rules.MultiStageDropped.Fix!
                : $"Restore the {source} stage (FROM ... AS {source}) and COPY --from={source} only the artifacts into the final stage.";
            findings.Add(new Finding(
                Rules.MultiStageDropped.Id,
                Rules.MultiStageDropped.DefaultSeverity,
                $"The base built {baseFile.StagesBuilt.Count} stages ({Names(baseFile.StagesBuilt)}), leaving {Names(builders)} out of the final image; the head builds a single stage, so everything it builds with ships in the image. The base's Dockerfile has the builder stage ({where}).",
                restore is null ? fix : fix + " The change below brings back the base's builder stage.",
                headFile.FinalBaseLine,
                restore));
        }
        else if (!baseFile.IsMultiStage && headFile.IsMultiStage)
        {
            var builders = Builders(headFile);
            findings.Add(new Finding(
                Rules.MultiStageAdopted.Id,
                Rules.MultiStageAdopted.DefaultSeverity,
                $"The head builds {headFile.StagesBuilt.Count} stages ({Names(headFile.StagesBuilt)}) where the base built one; the final stage {headFile.FinalStage.DisplayName} ships without what {Names(builders)} {(builders.Count == 1 ? "leaves" : "leave")} behind.",
                Rules.MultiStageAdopted.Fix,
                headFile.FinalStage.Line));
        }
    }

    private static void AddFatBase(List<Finding> findings, SideFacts baseSide, SideFacts headSide, IReadOnlyDictionary<string, long> localImageSizes)
    {
        var headFile = headSide.Dockerfile!;
        var headBase = headFile.FinalBaseImage;
        var headClass = Judge(headBase, headSide);
        if (!headClass.IsFat)
        {
            return;
        }

        var baseBase = baseSide.Dockerfile?.FinalBaseImage;
        var alreadyFat = baseBase is not null && Judge(baseBase, baseSide).IsFat;
        var message = alreadyFat
            ? BaseImageCatalog.SameImage(baseBase!, headBase)
                ? $"The final stage is still based on {headBase}, {headClass.Description}; the base has the same base image."
                : $"The final stage is based on {headBase}, {headClass.Description}; the base was already on a full image ({baseBase})."
            : $"The final stage is now based on {headBase}, {headClass.Description}; the base used {baseBase ?? "an unknown base image"}.";
        var fix = headClass.Fix ?? Rules.FatBaseImage.Fix!;
        if (headClass.Counterpart is { } lean
            && localImageSizes.TryGetValue(headBase, out var fatSize)
            && localImageSizes.TryGetValue(lean, out var leanSize))
        {
            fix += $" Measured on this engine: {lean} is {SizeText.Format(leanSize)} against {SizeText.Format(fatSize)} for {headBase}, {SizeText.FormatChange(fatSize, leanSize)}.";
        }

        findings.Add(new Finding(
            Rules.FatBaseImage.Id,
            alreadyFat ? Severity.Notice : Rules.FatBaseImage.DefaultSeverity,
            message,
            fix,
            headFile.FinalBaseLine,
            headClass.Counterpart is { } counterpart ? Suggestions.ReplaceBaseImage(headFile, counterpart) : null));
    }

    /// <summary>
    /// The catalogue's verdict, or for a base it does not know: a base that brings build tools no RUN of the
    /// image installs carries a toolchain.
    /// </summary>
    private static BaseImageClass Judge(string baseImage, SideFacts side)
    {
        var known = BaseImageCatalog.Classify(baseImage);
        if (known.Kind != BaseImageKind.Unknown || side.Image is null)
        {
            return known;
        }

        var installs = InstallRuns(side);
        var fromBase = side.Image.BuildTools
            .Where(t => !installs.Any(run => Installs(run.Text, t.Name)))
            .Select(t => t.Name)
            .Distinct(StringComparer.Ordinal)
            .ToList();
        return fromBase.Count == 0
            ? known
            : new BaseImageClass(
                BaseImageKind.Fat,
                $"which itself carries build tools ({string.Join(", ", fromBase)})",
                "Use a runtime-only base image for the final stage; build in a separate stage that uses this one.");
    }

    /// <summary>
    /// The RUN steps that install packages: from the Dockerfile's final-image instructions when known (with
    /// their lines), else from the image history, which also holds the base image's own steps.
    /// </summary>
    private static List<(string Text, int? Line)> InstallRuns(SideFacts side)
    {
        var instructions = side.Dockerfile?.FinalInstructions ?? [];
        var runs = instructions.Count > 0
            ? instructions
                .Where(i => i.Keyword == "RUN")
                .Select(i => (Text: i.Original + "\n" + string.Concat(i.Heredocs.Select(h => h.Content)), Line: (int?)i.StartLine))
            : (side.Image?.Layers ?? [])
                .Where(l => !l.IsEmpty && l.Instruction.StartsWith("RUN", StringComparison.Ordinal))
                .Select(l => (Text: l.Instruction, Line: (int?)null));
        return runs.Where(r => PackageInstall().IsMatch(r.Text)).ToList();
    }

    /// <summary>The package install names the tool, or a meta-package that brings it along.</summary>
    private static bool Installs(string run, string tool) =>
        Regex.IsMatch(run, $@"(?<![\w.+-]){Regex.Escape(tool)}(?![\w.+-])", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)
        || (IsCompilerTool(tool) && ToolchainPackage().IsMatch(run));

    private static void AddBuildTools(List<Finding> findings, SideFacts baseSide, SideFacts headSide, IReadOnlyList<AttributedLayer> headRows)
    {
        var baseImage = baseSide.Image!;
        var headImage = headSide.Image!;
        var baseNames = baseImage.BuildTools.Select(t => t.Name).ToHashSet(StringComparer.Ordinal);
        var headNames = headImage.BuildTools.Select(t => t.Name).ToHashSet(StringComparer.Ordinal);

        var added = headImage.BuildTools.Where(t => !baseNames.Contains(t.Name)).ToList();
        if (added.Count > 0)
        {
            // One sentence per instruction that brought tools in, the Dockerfile's own instructions before the base image.
            var causes = added
                .GroupBy(t => LayerAttribution.RowOf(headRows, t.Layer))
                .OrderBy(g => g.Key?.Origin switch { LayerOrigin.Dockerfile => 0, LayerOrigin.BaseImage => 1, _ => 2 })
                .ThenBy(g => g.Key?.Line ?? int.MaxValue)
                .ToList();
            var first = causes[0].Key;
            // The cause leads each part: evidence lists can be long, and a message cut to fit must keep the cause.
            var parts = causes.Select(g => g.Key is { } row
                ? $"{Capitalized(Quote(row))} brought {WithEvidence(g)}"
                : WithEvidence(g));
            findings.Add(new Finding(
                Rules.BuildToolsInFinalImage.Id,
                Rules.BuildToolsInFinalImage.DefaultSeverity,
                $"The head image ships build tools the base image did not. {string.Join(". ", parts)}.",
                ToolsFix(first),
                first?.Line ?? SourceLine(headSide, added),
                first is { Origin: LayerOrigin.Dockerfile } row && row.Instruction.StartsWith("COPY", StringComparison.OrdinalIgnoreCase)
                    ? Suggestions.Remove(row.Instruction)
                    : null));
        }

        var kept = headImage.BuildTools.Where(t => baseNames.Contains(t.Name)).ToList();
        if (kept.Count > 0)
        {
            findings.Add(new Finding(
                Rules.BuildToolsInFinalImage.Id,
                Severity.Notice,
                $"The head image still ships build tools, as the base image did: {WithEvidence(kept)}.",
                Rules.BuildToolsInFinalImage.Fix));
        }

        var removed = baseImage.BuildTools.Where(t => !headNames.Contains(t.Name)).ToList();
        if (removed.Count > 0)
        {
            findings.Add(new Finding(
                Rules.BuildToolsRemoved.Id,
                Rules.BuildToolsRemoved.DefaultSeverity,
                $"The head image no longer ships build tools the base image had: {string.Join(", ", removed.Select(t => t.Name))}.",
                Rules.BuildToolsRemoved.Fix));
        }
    }

    /// <summary>The RUN that installs the first of the tools, else the FROM of a base that brought them, when the Dockerfile is known.</summary>
    private static int? SourceLine(SideFacts side, IReadOnlyList<BuildTool> tools)
    {
        var installs = InstallRuns(side);
        var run = installs.FirstOrDefault(r => tools.Any(t => Installs(r.Text, t.Name)));
        return run.Line ?? side.Dockerfile?.FinalBaseLine;
    }

    /// <summary>Where the tools came from decides the fix: a COPY that takes too much, a RUN that installs them, or the base image.</summary>
    private static string ToolsFix(AttributedLayer? cause) => cause switch
    {
        { Origin: LayerOrigin.Dockerfile } c when c.Instruction.StartsWith("COPY", StringComparison.OrdinalIgnoreCase) || c.Instruction.StartsWith("ADD", StringComparison.OrdinalIgnoreCase) =>
            $"Line {c.Line} copies the toolchain into the final image: copy only the built artifacts from the builder stage; build tools belong in the builder stage.",
        { Origin: LayerOrigin.Dockerfile } c =>
            $"Line {c.Line} installs them in the final stage: move that install into a builder stage and COPY --from=builder only the artifacts, or purge the tools in the same RUN that uses them.",
        { Origin: LayerOrigin.BaseImage } c =>
            $"They come with the base image ({c.Instruction}): use a slim or runtime-only base for the final stage and build in a separate stage.",
        _ => Rules.BuildToolsInFinalImage.Fix!,
    };

    private static void AddSize(List<Finding> findings, ImageFacts baseImage, ImageFacts headImage, ImageEvidence evidence, RuleOptions options)
    {
        var before = baseImage.SizeBytes;
        var after = headImage.SizeBytes;
        var delta = after - before;
        var change = $"from {SizeText.Format(before)} to {SizeText.Format(after)}: {SizeText.FormatChange(before, after)}";
        // The layer row that moved most in the direction of the change is its main cause.
        var cause = evidence.Layers
            .Where(l => delta > 0 ? l.DeltaBytes > 0 : l.DeltaBytes < 0)
            .OrderByDescending(l => Math.Abs(l.DeltaBytes))
            .FirstOrDefault();
        var because = cause is null ? "" : $" The largest change is {Quote(cause)}: {SizeText.FormatDelta(cause.DeltaBytes)}.";

        if (delta > 0)
        {
            Severity? severity =
                delta > options.SizeIncreaseErrorBytes || PercentOver(delta, before, options.SizeIncreaseErrorPercent) ? Severity.Error
                : PercentOver(delta, before, options.SizeIncreaseWarningPercent) ? Severity.Warning
                : null;
            if (severity is { } s)
            {
                findings.Add(new Finding(Rules.ImageSizeIncrease.Id, s, $"The image grew {change}.{because}", Rules.ImageSizeIncrease.Fix, cause?.HeadLine));
            }
        }
        else if (delta < 0 && PercentOver(-delta, before, options.SizeDecreaseNoticePercent))
        {
            findings.Add(new Finding(Rules.ImageSizeDecrease.Id, Rules.ImageSizeDecrease.DefaultSeverity, $"The image shrank {change}.{because}", Rules.ImageSizeDecrease.Fix, cause?.HeadLine));
        }
    }

    private static void AddLayers(List<Finding> findings, ImageFacts baseImage, ImageFacts headImage, ImageEvidence evidence, RuleOptions options)
    {
        var added = headImage.LayerCount - baseImage.LayerCount;
        if (added <= 0)
        {
            return;
        }

        var fresh = evidence.Layers.Where(l => l.Kind == LayerChangeKind.Added && l.Origin == LayerOrigin.Dockerfile).ToList();
        var named = fresh.Count == 0 ? "" : $" New: {string.Join("; ", fresh.Take(3).Select(Quote))}{(fresh.Count > 3 ? $" and {fresh.Count - 3} more" : "")}.";
        findings.Add(new Finding(
            Rules.LayerCountIncrease.Id,
            added > options.LayerIncreaseWarningCount ? Severity.Warning : Rules.LayerCountIncrease.DefaultSeverity,
            $"The head image has {headImage.LayerCount} layers, the base image {baseImage.LayerCount} (+{added}).{named}",
            Rules.LayerCountIncrease.Fix,
            fresh.FirstOrDefault()?.HeadLine));
    }

    private static void AddWastedSpace(List<Finding> findings, ImageFacts baseImage, ImageFacts headImage, ImageEvidence evidence, RuleOptions options)
    {
        var before = baseImage.Wasted;
        var after = headImage.Wasted;
        var increase = after.WastedBytes - before.WastedBytes;
        if (increase <= options.WastedIncreaseWarningBytes || !PercentOver(increase, headImage.SizeBytes, options.WastedIncreaseWarningPercent))
        {
            return;
        }

        var largest = evidence.HeadWastedFiles.FirstOrDefault();
        var example = largest is null
            ? ""
            : $" Largest: {largest.Path} ({SizeText.Format(largest.SizeBytes)}), written by {Quote(largest.WrittenBy)} and {(largest.Deleted ? "deleted" : "overwritten")} by {Quote(largest.RemovedBy)}.";
        findings.Add(new Finding(
            Rules.WastedSpace.Id,
            Rules.WastedSpace.DefaultSeverity,
            $"The head image ships {SizeText.Format(after.WastedBytes)} it cannot use (efficiency {Percent(after.Efficiency)}), the base image {SizeText.Format(before.WastedBytes)} ({Percent(before.Efficiency)}): files written in one layer and deleted or overwritten in a later one still ship in the first.{example}",
            Rules.WastedSpace.Fix,
            largest?.RemovedBy?.Line ?? largest?.WrittenBy?.Line));
    }

    private static string Percent(double ratio) => (ratio * 100).ToString("0.0", System.Globalization.CultureInfo.InvariantCulture) + "%";

    /// <summary>An instruction as a finding quotes it: "RUN make" (line 7), or the base image.</summary>
    private static string Quote(AttributedLayer? row) => row switch
    {
        null => "a layer of unknown origin",
        { Origin: LayerOrigin.BaseImage, Line: { } line } => $"the base image ({row.Instruction}, line {line})",
        { Origin: LayerOrigin.BaseImage } => "the base image",
        { Line: { } line } => $"\"{Shorten(row.Instruction)}\" (line {line})",
        _ => $"\"{Shorten(row.Instruction)}\"",
    };

    private static string Quote(LayerDelta row) => row switch
    {
        { Origin: LayerOrigin.BaseImage } => $"the base image ({row.Instruction}{(row.HeadLine is { } l ? $", line {l}" : "")})",
        { HeadLine: { } line } => $"\"{Shorten(row.Instruction)}\" (line {line})",
        { BaseLine: { } line } => $"\"{Shorten(row.Instruction)}\" (base line {line})",
        _ => $"\"{Shorten(row.Instruction)}\"",
    };

    private static string Shorten(string instruction) =>
        instruction.Length <= QuotedInstructionLength ? instruction : instruction[..(QuotedInstructionLength - 3)].TrimEnd() + "...";

    /// <summary>Exact comparison: a change of exactly the threshold does not count as over it.</summary>
    private static bool PercentOver(long delta, long before, double percent) =>
        before > 0 ? (decimal)delta * 100 > before * (decimal)percent : delta > 0;

    private static List<StageSummary> Builders(DockerfileFacts file) =>
        file.StagesBuilt.Where(s => s.Index != file.FinalStage.Index).ToList();

    private static string Names(IEnumerable<StageSummary> stages) => string.Join(", ", stages.Select(s => s.DisplayName));

    private static string Capitalized(string text) => text.Length == 0 ? text : char.ToUpperInvariant(text[0]) + text[1..];

    private static string WithEvidence(IEnumerable<BuildTool> tools) =>
        string.Join(", ", tools.Select(t => $"{t.Name} ({t.Evidence})"));

    private static bool IsCompilerTool(string name) =>
        CompilerTools.Contains(name) || name.StartsWith("gcc-", StringComparison.Ordinal) || name.StartsWith("g++-", StringComparison.Ordinal);

    [GeneratedRegex(@"\b(?:apt-get|apt|apk|yum|dnf|microdnf|tdnf|zypper)\b[^;&|]*\b(?:install|add)\b", RegexOptions.IgnoreCase)]
    private static partial Regex PackageInstall();

    /// <summary>Meta-packages that bring a compiler toolchain along.</summary>
    [GeneratedRegex(@"(?<![\w.+-])(?:build-essential|build-base|alpine-sdk|""?Development Tools""?)(?![\w.+-])", RegexOptions.IgnoreCase)]
    private static partial Regex ToolchainPackage();
}
