using System.Globalization;
using System.Text;

namespace PrImageReport.Core.Dockerfiles;

/// <summary>The stages a stage uses besides its FROM: <c>COPY --from=&lt;name|index&gt;</c> and <c>RUN --mount=...,from=&lt;name&gt;</c>.</summary>
internal static class StageReferences
{
    private static readonly IReadOnlyDictionary<string, string> NoVariables = new Dictionary<string, string>();

    /// <summary>Indexes of the earlier stages <paramref name="stage"/> copies or mounts from, in instruction order.</summary>
    /// <exception cref="DockerfileParseException">
    /// A --from uses a variable (BuildKit does not expand it), or a reference names the stage itself, a later stage, or a stage index that does not exist.
    /// </exception>
    public static IReadOnlyList<int> Sources(Dockerfile file, Stage stage)
    {
        var sources = new List<int>();
        foreach (var instruction in stage.Instructions)
        {
            if (instruction.Keyword == "COPY" && instruction.FlagValue("from") is { Length: > 0 } from && CopySource(file, stage, instruction, from) is { } copied)
            {
                sources.Add(copied);
            }
            if (instruction.Keyword != "RUN")
            {
                continue;
            }
            foreach (var mount in instruction.Flags.Where(f => f.Name == "mount" && f.Value is not null))
            {
                // A mount names a stage only literally, never by index.
                if (MountFrom(mount.Value!) is { Length: > 0 } name && Named(file, name) is { } mounted)
                {
                    sources.Add(Earlier(file, stage, instruction, $"--mount from={name}", mounted));
                }
            }
        }
        return sources;
    }

    private static int? CopySource(Dockerfile file, Stage stage, Instruction copy, string from)
    {
        string expanded;
        try
        {
            expanded = ShellLexer.Expand(from, file.EscapeToken, NoVariables).Result;
        }
        catch (ShellSyntaxException)
        {
            expanded = "";
        }
        if (expanded != from)
        {
            throw Error(file, copy, $"COPY --from={from} uses a variable or quotes, which BuildKit does not expand; add a stage \"FROM {from} AS <name>\" (global ARGs work there) and use COPY --from=<name>");
        }
        if (int.TryParse(from, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var index))
        {
            if (index < 0 || index >= file.Stages.Count)
            {
                throw Error(file, copy, $"COPY --from={from} names stage {from}, but the stages are numbered 0 to {file.Stages.Count - 1}; use an earlier stage's index or name");
            }
            return Earlier(file, stage, copy, $"--from={from}", file.Stages[index]);
        }
        return Named(file, from) is { } named ? Earlier(file, stage, copy, $"--from={from}", named) : null;
    }

    // When names repeat, the last stage with the name wins, as in BuildKit.
    private static Stage? Named(Dockerfile file, string name) =>
        file.Stages.LastOrDefault(s => string.Equals(s.Name, name, StringComparison.OrdinalIgnoreCase));

    private static int Earlier(Dockerfile file, Stage stage, Instruction instruction, string reference, Stage target)
    {
        if (target.Index == stage.Index)
        {
            throw Error(file, instruction, $"{instruction.Keyword} {reference} names its own stage; use an earlier stage or an image");
        }
        if (target.Index > stage.Index)
        {
            var name = target.Name is null ? $"{target.Index}" : $"\"{target.Name}\"";
            throw Error(file, instruction, $"{instruction.Keyword} {reference} names stage {name}, which starts later at line {target.From.StartLine}; move that stage above line {stage.From.StartLine}");
        }
        return target.Index;
    }

    /// <summary>The from= value of a mount spec (comma-separated key=value fields, CSV quoting), or null.</summary>
    private static string? MountFrom(string spec)
    {
        foreach (var field in CsvFields(spec))
        {
            var equals = field.IndexOf('=');
            var key = equals < 0 ? field : field[..equals];
            if (key.Equals("from", StringComparison.OrdinalIgnoreCase))
            {
                return equals < 0 ? "" : field[(equals + 1)..];
            }
        }
        return null;
    }

    private static List<string> CsvFields(string text)
    {
        var fields = new List<string>();
        var i = 0;
        while (true)
        {
            var field = new StringBuilder();
            if (i < text.Length && text[i] == '"')
            {
                i++;
                while (i < text.Length && (text[i] != '"' || i + 1 < text.Length && text[i + 1] == '"'))
                {
                    i += text[i] == '"' ? 2 : 1;
                    field.Append(text[i - 1]);
                }
                i++;
            }
            while (i < text.Length && text[i] != ',')
            {
                field.Append(text[i++]);
            }
            fields.Add(field.ToString());
            if (i >= text.Length)
            {
                return fields;
            }
            i++;
        }
    }

    private static DockerfileParseException Error(Dockerfile file, Instruction instruction, string problem) =>
        new(file.Path, instruction.StartLine, problem);
}
