using System.Text;
using System.Text.RegularExpressions;

namespace PrImageReport.Core.Dockerfiles;

/// <summary>Parses Dockerfile text the way BuildKit's frontend parser does.</summary>
public static partial class DockerfileParser
{
    /// <summary>Parses <paramref name="text"/>; <paramref name="path"/> only names the file in error messages.</summary>
    /// <exception cref="DockerfileParseException">The text is not a Dockerfile BuildKit would accept.</exception>
    public static Dockerfile Parse(string text, string path) => new Reader(text, path).Read();

    private sealed partial class Reader
    {
        private static readonly HashSet<string> KnownDirectives = ["syntax", "escape", "check"];

        private static readonly Dictionary<string, string> Usages = new(StringComparer.Ordinal)
        {
            ["COPY"] = "COPY [--from=<stage>] <src>... <dest>",
            ["ADD"] = "ADD <src>... <dest> (use COPY --from=<stage> to copy from a stage)",
            ["MAINTAINER"] = "LABEL maintainer=<name> instead",
            ["USER"] = "USER <user>[:<group>]",
            ["WORKDIR"] = "WORKDIR <path>",
            ["STOPSIGNAL"] = "STOPSIGNAL <signal>",
            ["ARG"] = "ARG <name>[=<default>]",
            ["ENV"] = "ENV <name>=<value> ...",
            ["LABEL"] = "LABEL <key>=<value> ...",
            ["EXPOSE"] = "EXPOSE <port>[/<protocol>]",
            ["VOLUME"] = "VOLUME <path>",
            ["SHELL"] = "SHELL [\"executable\", \"parameter\"]",
            ["ONBUILD"] = "ONBUILD <instruction>, e.g. ONBUILD RUN make",
            ["HEALTHCHECK"] = "HEALTHCHECK [options] CMD <command> or HEALTHCHECK NONE",
        };

        private const string FromUsage = "FROM [--platform=<platform>] <image> [AS <name>]";

        private readonly string path;
        private readonly string[] lines;
        private readonly List<ParserDirective> directives = [];
        private bool directivesDone;
        private char escape = '\\';
        private int next;

        public Reader(string text, string path)
        {
            this.path = path;
            var body = text.StartsWith('\uFEFF') ? text[1..] : text;
            var split = body.Split('\n');
            // A final newline ends the last line; it does not start another.
            var count = split[^1].Length == 0 ? split.Length - 1 : split.Length;
            lines = split[..count].Select(l => l.TrimEnd('\r')).ToArray();
        }

        public Dockerfile Read()
        {
            var instructions = new List<Instruction>();
            while (next < lines.Length)
            {
                var startLine = next + 1;
                var first = lines[next++].TrimStart();
                if (!directivesDone)
                {
                    ReadDirective(first, startLine);
                }
                if (first.StartsWith('#'))
                {
                    continue;
                }
                var (body, continues) = TrimContinuation(first);
                if (!continues && body.Length == 0)
                {
                    continue;
                }
                var logical = new StringBuilder(body);
                // Comment lines and blank lines inside a continuation are skipped, not ended on.
                while (continues && next < lines.Length)
                {
                    var line = lines[next++];
                    var content = line.TrimStart();
                    if (content.Length == 0 || content.StartsWith('#'))
                    {
                        continue;
                    }
                    (body, continues) = TrimContinuation(line);
                    logical.Append(body);
                }
                instructions.Add(ReadInstruction(logical.ToString(), startLine));
            }
            return Assemble(instructions);
        }

        private void ReadDirective(string line, int lineNumber)
        {
            var match = line.StartsWith('#') ? DirectivePattern().Match(line[1..].TrimStart()) : Match.Empty;
            var name = match.Success ? match.Groups[1].Value.ToLowerInvariant() : "";
            if (!KnownDirectives.Contains(name))
            {
                directivesDone = true;
                return;
            }
            if (directives.Any(d => d.Name == name))
            {
                throw Error(lineNumber, $"a second \"# {name}=\" directive; keep only one");
            }
            var value = match.Groups[2].Value;
            if (name == "escape")
            {
                escape = value switch
                {
                    "\\" => '\\',
                    "`" => '`',
                    _ => throw Error(lineNumber, $"invalid escape directive \"{value}\"; use \"# escape=\\\" or \"# escape=`\""),
                };
            }
            directives.Add(new ParserDirective(name, value, lineNumber));
        }

        /// <summary>A line ending in the escape token (not itself escaped) continues on the next line.</summary>
        private (string Body, bool Continues) TrimContinuation(string line)
        {
            var end = line.TrimEnd(' ', '\t');
            if (end.Length == 0 || end[^1] != escape || end.Length > 1 && end[^2] == escape)
            {
                return (line, false);
            }
            return (end[..^1], true);
        }

        private Instruction ReadInstruction(string line, int startLine)
        {
            var (command, flags, arguments) = InstructionSyntax.SplitCommand(line, escape);
            var keyword = Keyword(command, startLine);
            var (words, form) = InstructionSyntax.Words(keyword, arguments, escape);
            if (form == InstructionSyntax.JsonForm.NotStrings)
            {
                throw Error(startLine, $"{keyword} has a JSON array with a non-string element; quote every element, e.g. [\"sh\", \"-c\", \"echo hi\"]");
            }
            var heredocs = CanHaveHeredocs(keyword, arguments, form) && line.Contains("<<", StringComparison.Ordinal)
                ? ReadHeredocs(line, startLine)
                : [];
            var instruction = new Instruction(
                keyword, flags, arguments, words, form == InstructionSyntax.JsonForm.Strings, heredocs, startLine, next, line.Trim());
            CheckArguments(instruction);
            return instruction;
        }

        private string Keyword(string command, int line)
        {
            var keyword = command.ToUpperInvariant();
            if (InstructionSyntax.Keywords.Contains(keyword))
            {
                return keyword;
            }
            throw Error(line, InstructionSyntax.Suggest(command) is { } suggestion
                ? $"unknown instruction \"{command}\" (did you mean {suggestion}?)"
                : $"unknown instruction \"{command}\"; use a Dockerfile instruction such as FROM, RUN or COPY, or end the line before with {escape} to continue it");
        }

        // RUN, COPY and ADD take heredocs, also as an ONBUILD trigger; exec form never does.
        private bool CanHaveHeredocs(string keyword, string arguments, InstructionSyntax.JsonForm form)
        {
            if (keyword != "ONBUILD")
            {
                return keyword is "RUN" or "COPY" or "ADD" && form == InstructionSyntax.JsonForm.NotJson;
            }
            var (trigger, _, triggerArguments) = InstructionSyntax.SplitCommand(arguments, escape);
            var triggerKeyword = trigger.ToUpperInvariant();
            var (_, triggerForm) = InstructionSyntax.Words(triggerKeyword, triggerArguments, escape);
            return triggerKeyword is "RUN" or "COPY" or "ADD" && triggerForm == InstructionSyntax.JsonForm.NotJson;
        }

        private List<Heredoc> ReadHeredocs(string line, int startLine)
        {
            var heredocs = new List<Heredoc>();
            foreach (var word in ShellLexer.Split(line, rawQuotes: true, rawEscapes: true) ?? [])
            {
                var match = HeredocPattern().Match(word);
                if (!match.Success || match.Groups[3].Value.Length == 0)
                {
                    continue;
                }
                var delimiter = match.Groups[3].Value;
                var names = ShellLexer.Split(delimiter, rawQuotes: false, rawEscapes: false);
                var rawNames = ShellLexer.Split(delimiter, rawQuotes: true, rawEscapes: false);
                if (names is not [var name] || rawNames is not [var rawName])
                {
                    continue;
                }
                var removeTabs = match.Groups[2].Value == "-";
                heredocs.Add(new Heredoc(name, ReadHeredocBody(name, removeTabs, startLine), removeTabs, QuoteCount(name) == QuoteCount(rawName)));
            }
            return heredocs;
        }

        private static int QuoteCount(string text) => text.Count(c => c is '\'' or '"');

        private string ReadHeredocBody(string name, bool removeTabs, int startLine)
        {
            var body = new StringBuilder();
            while (next < lines.Length)
            {
                var line = lines[next++];
                var content = removeTabs ? line.TrimStart('\t') : line;
                if (content == name)
                {
                    return body.ToString();
                }
                body.Append(content).Append('\n');
            }
            throw Error(startLine, $"unterminated heredoc <<{name}; end it with a line holding only {name}");
        }

        private void CheckArguments(Instruction instruction)
        {
            var keyword = instruction.Keyword;
            var count = instruction.Words.Count;
            var problem = keyword switch
            {
                "COPY" or "ADD" when count < 2 => "needs a source and a destination",
                "MAINTAINER" or "USER" or "WORKDIR" or "STOPSIGNAL" when count != 1 => "needs exactly one argument",
                "ARG" or "ENV" or "LABEL" or "EXPOSE" or "VOLUME" or "SHELL" or "ONBUILD" or "HEALTHCHECK" when count == 0 => "needs an argument",
                "SHELL" when !instruction.IsExecForm => "needs a JSON array",
                "ARG" when instruction.Words.Any(w => w.StartsWith('=')) => "has a blank name",
                "ENV" or "LABEL" => KeyValueProblem(instruction),
                "ADD" when instruction.HasFlag("from") => "does not take --from",
                "ONBUILD" => TriggerProblem(instruction),
                _ => null,
            };
            if (problem is not null)
            {
                throw Error(instruction.StartLine, $"{keyword} {problem}; write {Usages[keyword]}");
            }
        }

        // ENV and LABEL take NAME=value pairs, or the legacy "NAME value" form.
        private static string? KeyValueProblem(Instruction instruction)
        {
            var words = instruction.Words;
            if (!words[0].Contains('=', StringComparison.Ordinal))
            {
                return instruction.Arguments.Split([' ', '\t', '\v', '\f', '\r'], 2, StringSplitOptions.RemoveEmptyEntries).Length < 2
                    ? $"{words[0]} has no value"
                    : null;
            }
            if (words.FirstOrDefault(w => !w.Contains('=', StringComparison.Ordinal)) is { } bare)
            {
                return $"{bare} has no '='";
            }
            return words.Any(w => w.StartsWith('=')) ? "has a blank name" : null;
        }

        private string? TriggerProblem(Instruction instruction)
        {
            var (trigger, _, _) = InstructionSyntax.SplitCommand(instruction.Arguments, escape);
            var keyword = Keyword(trigger, instruction.StartLine);
            return keyword is "ONBUILD" or "FROM" or "MAINTAINER" ? $"cannot trigger {keyword}" : null;
        }

        private Dockerfile Assemble(List<Instruction> instructions)
        {
            var globalArgs = new List<Instruction>();
            var stages = new List<(Instruction From, string? Name, List<Instruction> Body)>();
            foreach (var instruction in instructions)
            {
                if (instruction.Keyword == "FROM")
                {
                    stages.Add((instruction, StageName(instruction), []));
                }
                else if (stages.Count > 0)
                {
                    stages[^1].Body.Add(instruction);
                }
                else if (instruction.Keyword == "ARG")
                {
                    globalArgs.Add(instruction);
                }
                else
                {
                    throw Error(instruction.StartLine, $"{instruction.Keyword} before the first FROM; only ARG may come before FROM, so start the stage with {FromUsage}");
                }
            }
            if (stages.Count == 0)
            {
                var line = globalArgs.Count > 0 ? globalArgs[^1].EndLine : 1;
                throw Error(line, $"no FROM instruction; a Dockerfile needs at least one {FromUsage}");
            }
            var file = new Dockerfile(
                path,
                directives,
                escape,
                globalArgs,
                stages.Select((s, i) => new Stage(i, s.Name, s.From, s.Body)).ToList());
            // BuildKit never expands --from, so stage references are checked once, here.
            foreach (var stage in file.Stages)
            {
                StageReferences.Sources(file, stage);
            }
            return file;
        }

        private string? StageName(Instruction from)
        {
            var words = from.Words;
            if (words.Count == 0)
            {
                throw Error(from.StartLine, $"FROM has no image; write {FromUsage}");
            }
            if (words.Count == 1)
            {
                return null;
            }
            if (words.Count != 3 || !words[1].Equals("AS", StringComparison.OrdinalIgnoreCase))
            {
                throw Error(from.StartLine, $"FROM takes an image and an optional AS <name>, not \"{from.Arguments}\"; write {FromUsage}");
            }
            var name = words[2].ToLowerInvariant();
            if (!StageNamePattern().IsMatch(name))
            {
                throw Error(from.StartLine, $"invalid stage name \"{words[2]}\"; start it with a letter and use only letters, digits, '-', '_' and '.'");
            }
            return name;
        }

        private DockerfileParseException Error(int line, string problem) => new(path, line, problem);

        [GeneratedRegex(@"^([a-zA-Z][a-zA-Z0-9]*)[\t\n\f\r ]*=[\t\n\f\r ]*(.+?)[\t\n\f\r ]*$")]
        private static partial Regex DirectivePattern();

        [GeneratedRegex(@"^([0-9]*)<<(-?)[\t\n\f\r ]*([^<]*)$")]
        private static partial Regex HeredocPattern();

        [GeneratedRegex(@"^[a-z][a-z0-9_.\-]*$")]
        private static partial Regex StageNamePattern();
    }
}
