namespace PrImageReport.Core.Dockerfiles;

/// <summary>A parser directive from the top of the file (<c># syntax=</c>, <c># escape=</c>, <c># check=</c>).</summary>
/// <param name="Name">Lower-case directive name.</param>
public sealed record ParserDirective(string Name, string Value, int Line);

/// <summary>A builder flag such as <c>--from=builder</c> or <c>--link</c>.</summary>
/// <param name="Name">The name without the leading dashes.</param>
/// <param name="Value">What follows '=', or null for a bare flag.</param>
public sealed record InstructionFlag(string Name, string? Value)
{
    public override string ToString() => Value is null ? $"--{Name}" : $"--{Name}={Value}";
}

/// <summary>A here-document attached to RUN, COPY or ADD.</summary>
/// <param name="Name">The delimiter word, quotes removed.</param>
/// <param name="Content">The body as the build uses it: each line with its newline, leading tabs removed for <c>&lt;&lt;-</c>.</param>
/// <param name="RemovesLeadingTabs">Written as <c>&lt;&lt;-NAME</c>.</param>
/// <param name="Expand">False when the delimiter was quoted, so variables in the body are left alone.</param>
public sealed record Heredoc(string Name, string Content, bool RemovesLeadingTabs, bool Expand);

/// <summary>One instruction, as BuildKit's parser sees it.</summary>
/// <param name="Keyword">Upper-case instruction name, e.g. "RUN".</param>
/// <param name="Flags">The <c>--name[=value]</c> flags before the arguments, in order.</param>
/// <param name="Arguments">The text after the keyword and flags, continuations joined, trimmed.</param>
/// <param name="Words">
/// The arguments split as BuildKit splits them for this instruction: the strings of the JSON array in exec form;
/// one string for a shell-form RUN, CMD, ENTRYPOINT, SHELL, USER, WORKDIR, STOPSIGNAL, MAINTAINER or ONBUILD;
/// whitespace-separated words for FROM, COPY, ADD, VOLUME and EXPOSE; quote-aware words (quotes kept) for ARG, ENV and LABEL;
/// the type and then the command for HEALTHCHECK.
/// </param>
/// <param name="IsExecForm">The arguments are a JSON array of strings.</param>
/// <param name="StartLine">1-based line of the keyword.</param>
/// <param name="EndLine">1-based last line, continuation and heredoc bodies included.</param>
/// <param name="Original">The instruction as one line: continuations joined, comment lines dropped, heredoc bodies left out.</param>
public sealed record Instruction(
    string Keyword,
    IReadOnlyList<InstructionFlag> Flags,
    string Arguments,
    IReadOnlyList<string> Words,
    bool IsExecForm,
    IReadOnlyList<Heredoc> Heredocs,
    int StartLine,
    int EndLine,
    string Original)
{
    /// <summary>The value of the last <c>--name=value</c> flag with this name, or null when absent or bare.</summary>
    public string? FlagValue(string name) => Flags.LastOrDefault(f => IsNamed(f, name))?.Value;

    public bool HasFlag(string name) => Flags.Any(f => IsNamed(f, name));

    private static bool IsNamed(InstructionFlag flag, string name) => string.Equals(flag.Name, name, StringComparison.Ordinal);
}

/// <summary>A build stage: its FROM and the instructions up to the next FROM.</summary>
/// <param name="Index">0-based position among the stages.</param>
/// <param name="Name">The <c>AS</c> name, lower-cased as BuildKit does, or null.</param>
/// <param name="Instructions">The stage's instructions after its FROM.</param>
public sealed record Stage(int Index, string? Name, Instruction From, IReadOnlyList<Instruction> Instructions)
{
    /// <summary>The image or stage named by FROM, before ARG substitution.</summary>
    public string BaseName => From.Words[0];

    /// <summary>The FROM <c>--platform</c> value before ARG substitution, or null.</summary>
    public string? Platform => From.FlagValue("platform");
}

/// <summary>A parsed Dockerfile.</summary>
/// <param name="Path">The path given to the parser, used in every error message.</param>
/// <param name="EscapeToken">'\' or '`' (from <c># escape=</c>).</param>
/// <param name="GlobalArgs">The ARG instructions before the first FROM: the only ARGs FROM can use.</param>
/// <param name="Stages">At least one stage, in file order.</param>
public sealed record Dockerfile(
    string Path,
    IReadOnlyList<ParserDirective> Directives,
    char EscapeToken,
    IReadOnlyList<Instruction> GlobalArgs,
    IReadOnlyList<Stage> Stages)
{
    /// <summary>The <c># syntax=</c> frontend image, or null.</summary>
    public string? Syntax => Directives.FirstOrDefault(d => d.Name == "syntax")?.Value;

    /// <summary>Every instruction in file order, global ARGs and FROMs included.</summary>
    public IEnumerable<Instruction> Instructions =>
        GlobalArgs.Concat(Stages.SelectMany(s => s.Instructions.Prepend(s.From)));
}
