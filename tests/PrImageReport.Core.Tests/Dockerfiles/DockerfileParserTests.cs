using PrImageReport.Core.Dockerfiles;

namespace PrImageReport.Core.Tests.Dockerfiles;

public class DockerfileParserTests
{
    private static Dockerfile Parse(string text) => DockerfileParser.Parse(text, "Dockerfile");

    private static List<Instruction> All(string text) => Parse(text).Instructions.ToList();

    [Fact]
    public void Keeps_keyword_arguments_and_lines_of_each_instruction()
    {
        var file = Parse("""
            FROM python:3.11-slim
            WORKDIR /app

            RUN pip install flask
            """);

        var stage = Assert.Single(file.Stages);
        Assert.Equal("python:3.11-slim", stage.BaseName);
        Assert.Null(stage.Name);
        Assert.Equal(1, stage.From.StartLine);
        Assert.Collection(stage.Instructions,
            workdir =>
            {
                Assert.Equal("WORKDIR", workdir.Keyword);
                Assert.Equal("/app", workdir.Arguments);
                Assert.Equal((2, 2), (workdir.StartLine, workdir.EndLine));
            },
            run =>
            {
                Assert.Equal("RUN", run.Keyword);
                Assert.Equal(["pip install flask"], run.Words);
                Assert.Equal((4, 4), (run.StartLine, run.EndLine));
                Assert.Equal("RUN pip install flask", run.Original);
            });
    }

    [Fact]
    public void Instruction_keywords_are_case_insensitive_and_upper_cased()
    {
        var instructions = All("from alpine as Build\nRun echo hi\ncOpY a b\n");

        Assert.Equal(["FROM", "RUN", "COPY"], instructions.Select(i => i.Keyword));
        Assert.Equal("build", Parse("from alpine as Build").Stages[0].Name);
    }

    [Fact]
    public void Syntax_escape_and_check_directives_are_read_from_the_top()
    {
        var file = Parse("""
            # syntax=docker/dockerfile:1.7
            #Escape = `
            # check=skip=all
            FROM alpine
            """);

        Assert.Equal(
            [new ParserDirective("syntax", "docker/dockerfile:1.7", 1), new ParserDirective("escape", "`", 2), new ParserDirective("check", "skip=all", 3)],
            file.Directives);
        Assert.Equal("docker/dockerfile:1.7", file.Syntax);
        Assert.Equal('`', file.EscapeToken);
    }

    [Fact]
    public void Directives_after_a_comment_blank_line_or_instruction_are_plain_comments()
    {
        Assert.Empty(Parse("# a comment\n# syntax=docker/dockerfile:1\nFROM alpine").Directives);
        Assert.Empty(Parse("\n# syntax=docker/dockerfile:1\nFROM alpine").Directives);
        Assert.Empty(Parse("FROM alpine\n# escape=`\nRUN echo \\\n  hi").Directives);
        Assert.Empty(Parse("# unknown=1\n# syntax=docker/dockerfile:1\nFROM alpine").Directives);
    }

    [Fact]
    public void Escape_directive_makes_backtick_the_line_continuation()
    {
        var file = Parse("""
            # escape=`
            FROM mcr.microsoft.com/windows/servercore
            RUN dir `
                C:\Windows
            COPY C:\src\ C:\dest\
            """);

        var run = file.Stages[0].Instructions[0];
        Assert.Equal("dir     C:\\Windows", run.Arguments);
        Assert.Equal((3, 4), (run.StartLine, run.EndLine));
        var copy = file.Stages[0].Instructions[1];
        Assert.Equal(["C:\\src\\", "C:\\dest\\"], copy.Words);
        Assert.Equal(5, copy.StartLine);
    }

    [Fact]
    public void Continuations_join_lines_and_skip_comment_and_blank_lines_inside()
    {
        var run = All("""
            FROM debian
            RUN apt-get update && \
                # the compilers
                apt-get install -y gcc \

                  make
            CMD ["make"]
            """)[1];

        Assert.Equal("apt-get update &&     apt-get install -y gcc       make", run.Arguments);
        Assert.Equal((2, 6), (run.StartLine, run.EndLine));
        Assert.Equal("RUN apt-get update &&     apt-get install -y gcc       make", run.Original);
    }

    [Fact]
    public void Continuation_at_end_of_file_ends_the_instruction()
    {
        var run = All("FROM alpine\nRUN echo \\")[1];

        Assert.Equal("echo", run.Arguments);
        Assert.Equal((2, 2), (run.StartLine, run.EndLine));
    }

    [Fact]
    public void A_doubled_escape_at_the_end_of_a_line_does_not_continue()
    {
        var instructions = All("FROM alpine\nRUN echo a\\\\\nRUN echo b");

        Assert.Equal(["echo a\\\\", "echo b"], instructions.Skip(1).Select(i => i.Arguments));
    }

    [Fact]
    public void Comments_may_be_indented_and_crlf_line_endings_are_accepted()
    {
        var instructions = All("FROM alpine\r\n   # indented comment\r\nRUN echo \\\r\n  hi\r\n");

        Assert.Equal(2, instructions.Count);
        Assert.Equal("echo   hi", instructions[1].Arguments);
        Assert.Equal((3, 4), (instructions[1].StartLine, instructions[1].EndLine));
    }

    [Fact]
    public void A_byte_order_mark_does_not_hide_a_directive()
    {
        Assert.Equal("docker/dockerfile:1", Parse("\uFEFF# syntax=docker/dockerfile:1\nFROM alpine").Syntax);
    }

    [Fact]
    public void Json_array_is_exec_form_and_anything_else_shell_form()
    {
        var instructions = All("""
            FROM alpine
            CMD ["python", "app.py"]
            ENTRYPOINT [ "python" ]
            RUN [not json]
            CMD ["unterminated"
            RUN ["a"] trailing
            """);

        Assert.True(instructions[1].IsExecForm);
        Assert.Equal(["python", "app.py"], instructions[1].Words);
        Assert.True(instructions[2].IsExecForm);
        Assert.Equal(["python"], instructions[2].Words);
        Assert.All(instructions.Skip(3), i => Assert.False(i.IsExecForm));
        Assert.Equal(["[not json]"], instructions[3].Words);
        Assert.Equal(["[\"unterminated\""], instructions[4].Words);
        Assert.Equal(["[\"a\"] trailing"], instructions[5].Words);
    }

    [Fact]
    public void Copy_splits_on_whitespace_in_shell_form_and_reads_json_in_exec_form()
    {
        var instructions = All("FROM alpine\nCOPY a  b\t/dest/\nCOPY [\"my file\", \"/dest/\"]");

        Assert.Equal(["a", "b", "/dest/"], instructions[1].Words);
        Assert.Equal(["my file", "/dest/"], instructions[2].Words);
        Assert.True(instructions[2].IsExecForm);
    }

    [Fact]
    public void Flags_are_read_before_the_arguments()
    {
        var instructions = All("""
            FROM --platform=linux/amd64 python:3.11 AS builder
            FROM alpine
            COPY --from=builder --chown=app:app --link /venv /venv
            RUN --mount=type=cache,target=/root/.cache --mount=type=bind,from=builder,target=/w pip install x
            COPY --chmod="755" -- --weird-name /dest
            """);

        Assert.Equal([new InstructionFlag("platform", "linux/amd64")], instructions[0].Flags);
        Assert.Equal(["python:3.11", "AS", "builder"], instructions[0].Words);
        var copy = instructions[2];
        Assert.Equal([new InstructionFlag("from", "builder"), new InstructionFlag("chown", "app:app"), new InstructionFlag("link", null)], copy.Flags);
        Assert.Equal("builder", copy.FlagValue("from"));
        Assert.True(copy.HasFlag("link"));
        Assert.Null(copy.FlagValue("link"));
        Assert.Equal("/venv /venv", copy.Arguments);
        Assert.Equal(["type=cache,target=/root/.cache", "type=bind,from=builder,target=/w"], instructions[3].Flags.Select(f => f.Value));
        Assert.Equal("pip install x", instructions[3].Arguments);
        Assert.Equal([new InstructionFlag("chmod", "755")], instructions[4].Flags);
        Assert.Equal(["--weird-name", "/dest"], instructions[4].Words);
        Assert.Equal("--from=builder", copy.Flags[0].ToString());
    }

    [Fact]
    public void Arguments_before_the_first_from_are_global()
    {
        var file = Parse("""
            ARG PYTHON=3.11
            ARG VARIANT="slim bookworm" EXTRA
            FROM python:${PYTHON}
            ARG INNER=1
            """);

        Assert.Equal(2, file.GlobalArgs.Count);
        Assert.Equal(["VARIANT=\"slim bookworm\"", "EXTRA"], file.GlobalArgs[1].Words);
        Assert.Equal("ARG", Assert.Single(file.Stages[0].Instructions).Keyword);
        Assert.Equal("python:${PYTHON}", file.Stages[0].BaseName);
    }

    [Fact]
    public void Stages_are_numbered_and_named()
    {
        var file = Parse("""
            FROM python:3.11 AS Builder
            RUN make
            FROM python:3.11-slim
            FROM builder as test
            """);

        Assert.Equal([(0, "builder"), (1, null), (2, "test")], file.Stages.Select(s => (s.Index, s.Name)));
        Assert.Equal(["RUN"], file.Stages[0].Instructions.Select(i => i.Keyword));
        Assert.Empty(file.Stages[1].Instructions);
        Assert.Equal(["ARG", "FROM", "RUN", "FROM", "FROM"], Parse("ARG A\n" + "FROM python:3.11 AS Builder\nRUN make\nFROM python:3.11-slim\nFROM builder as test").Instructions.Select(i => i.Keyword));
    }

    [Fact]
    public void Platform_flag_of_from_is_kept_unexpanded()
    {
        var stage = Parse("FROM --platform=$BUILDPLATFORM golang:1.22 AS build").Stages[0];

        Assert.Equal("$BUILDPLATFORM", stage.Platform);
        Assert.Equal("golang:1.22", stage.BaseName);
        Assert.Equal("build", stage.Name);
    }

    [Fact]
    public void Heredoc_body_belongs_to_the_run_instruction()
    {
        var instructions = All("""
            FROM alpine
            RUN <<EOF
            set -e
            echo "$HOME"
            EOF
            CMD ["sh"]
            """);

        var run = instructions[1];
        var heredoc = Assert.Single(run.Heredocs);
        Assert.Equal(new Heredoc("EOF", "set -e\necho \"$HOME\"\n", RemovesLeadingTabs: false, Expand: true), heredoc);
        Assert.Equal((2, 5), (run.StartLine, run.EndLine));
        Assert.Equal("<<EOF", run.Arguments);
        Assert.Equal(6, instructions[2].StartLine);
    }

    [Fact]
    public void Dash_heredoc_removes_leading_tabs_from_body_and_delimiter()
    {
        var run = All("FROM alpine\nRUN <<-EOT\n\t\techo hi\n\t  keep spaces\n\tEOT\nCMD x")[1];

        Assert.Equal(new Heredoc("EOT", "echo hi\n  keep spaces\n", RemovesLeadingTabs: true, Expand: true), Assert.Single(run.Heredocs));
        Assert.Equal(5, run.EndLine);
    }

    [Fact]
    public void Quoted_heredoc_delimiter_turns_expansion_off()
    {
        var instructions = All("FROM alpine\nRUN <<\"EOF\"\necho $HOME\nEOF\nRUN <<'END'\nx\nEND\n");

        Assert.Equal(("EOF", false), (instructions[1].Heredocs[0].Name, instructions[1].Heredocs[0].Expand));
        Assert.Equal(("END", false), (instructions[2].Heredocs[0].Name, instructions[2].Heredocs[0].Expand));
    }

    [Fact]
    public void Several_heredocs_on_one_line_are_read_in_order()
    {
        var run = All("""
            FROM alpine
            RUN python3 - <<PY && sh <<SH
            print("hi")
            PY
            echo done
            SH
            """)[1];

        Assert.Equal(["PY", "SH"], run.Heredocs.Select(h => h.Name));
        Assert.Equal(["print(\"hi\")\n", "echo done\n"], run.Heredocs.Select(h => h.Content));
        Assert.Equal((2, 6), (run.StartLine, run.EndLine));
    }

    [Fact]
    public void Copy_takes_a_heredoc_as_a_source()
    {
        var copy = All("FROM alpine\nCOPY <<EOF /etc/app.conf\nport=80\nEOF\n")[1];

        Assert.Equal(["<<EOF", "/etc/app.conf"], copy.Words);
        Assert.Equal("port=80\n", Assert.Single(copy.Heredocs).Content);
    }

    [Fact]
    public void Heredoc_markers_in_quotes_exec_form_or_other_instructions_are_text()
    {
        var instructions = All("""
            FROM alpine
            RUN echo "a <<EOF b"
            RUN ["sh", "-c", "cat <<EOF"]
            LABEL note="<<EOF"
            RUN cat<<EOF
            """);

        Assert.All(instructions, i => Assert.Empty(i.Heredocs));
        Assert.Equal(5, instructions.Count);
    }

    [Fact]
    public void Onbuild_trigger_can_carry_a_heredoc()
    {
        var instructions = All("FROM alpine\nONBUILD RUN <<EOF\necho child\nEOF\nCMD x");

        Assert.Equal("echo child\n", Assert.Single(instructions[1].Heredocs).Content);
        Assert.Equal(["RUN <<EOF"], instructions[1].Words);
        Assert.Equal("CMD", instructions[2].Keyword);
    }

    [Fact]
    public void Env_label_and_healthcheck_words()
    {
        var instructions = All("""
            FROM alpine
            ENV PATH="/opt/venv/bin:$PATH" LANG=C.UTF-8
            ENV LEGACY value with spaces
            HEALTHCHECK --interval=30s CMD ["curl", "-f", "http://localhost/"]
            HEALTHCHECK NONE
            """);

        Assert.Equal(["PATH=\"/opt/venv/bin:$PATH\"", "LANG=C.UTF-8"], instructions[1].Words);
        Assert.Equal(["LEGACY", "value", "with", "spaces"], instructions[2].Words);
        Assert.Equal(["CMD", "curl", "-f", "http://localhost/"], instructions[3].Words);
        Assert.True(instructions[3].IsExecForm);
        Assert.Equal([new InstructionFlag("interval", "30s")], instructions[3].Flags);
        Assert.Equal(["NONE"], instructions[4].Words);
    }

    [Fact]
    public void Copy_from_an_image_or_an_earlier_stage_by_name_or_index_is_accepted()
    {
        var file = Parse("""
            FROM golang:1.22 AS build
            FROM alpine
            COPY --from=build /app /app
            COPY --from=0 /app /app2
            COPY --from=nginx:latest /etc/nginx/nginx.conf /etc/nginx/
            RUN --mount=type=bind,from=BUILD,target=/src ls /src
            """);

        Assert.Equal(2, file.Stages.Count);
    }
}
