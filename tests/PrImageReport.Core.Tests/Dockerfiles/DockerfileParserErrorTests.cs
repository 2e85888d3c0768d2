using PrImageReport.Core.Dockerfiles;

namespace PrImageReport.Core.Tests.Dockerfiles;

public class DockerfileParserErrorTests
{
    private static DockerfileParseException Fails(string text, string path = "Dockerfile")
    {
        var error = Assert.Throws<DockerfileParseException>(() => DockerfileParser.Parse(text, path));
        Assert.DoesNotContain('\n', error.Message);
        Assert.Equal(path, error.Path);
        return error;
    }

    [Fact]
    public void Misspelt_instruction_gets_a_suggestion()
    {
        var error = Fails("FROM alpine\n\nRUNN echo hi", "services/api/Dockerfile");

        Assert.Equal("services/api/Dockerfile:3: unknown instruction \"RUNN\" (did you mean RUN?)", error.Message);
        Assert.Equal(3, error.Line);
    }

    [Fact]
    public void Unknown_word_without_a_close_instruction_hints_at_a_missing_continuation()
    {
        var error = Fails("FROM debian\nRUN apt-get install -y \\\n    curl\n    git-core\n");

        Assert.Equal(4, error.Line);
        Assert.Equal(
            "Dockerfile:4: unknown instruction \"git-core\"; use a Dockerfile instruction such as FROM, RUN or COPY, or end the line before with \\ to continue it",
            error.Message);
    }

    [Fact]
    public void Instruction_before_the_first_from()
    {
        var error = Fails("ARG V=1\n# setup\nRUN echo hi\nFROM alpine");

        Assert.Equal("Dockerfile:3: RUN before the first FROM; only ARG may come before FROM, so start the stage with FROM [--platform=<platform>] <image> [AS <name>]", error.Message);
    }

    [Fact]
    public void From_without_an_image()
    {
        Assert.Equal("Dockerfile:2: FROM has no image; write FROM [--platform=<platform>] <image> [AS <name>]", Fails("FROM alpine\nFROM --platform=linux/amd64\n").Message);
        Assert.Equal("Dockerfile:1: FROM has no image; write FROM [--platform=<platform>] <image> [AS <name>]", Fails("FROM").Message);
    }

    [Fact]
    public void From_with_a_stray_word_or_bad_stage_name()
    {
        Assert.Equal(
            "Dockerfile:1: FROM takes an image and an optional AS <name>, not \"python:3.11 builder\"; write FROM [--platform=<platform>] <image> [AS <name>]",
            Fails("FROM python:3.11 builder").Message);
        Assert.Equal(
            "Dockerfile:1: invalid stage name \"1st\"; start it with a letter and use only letters, digits, '-', '_' and '.'",
            Fails("FROM python:3.11 AS 1st").Message);
    }

    [Fact]
    public void Unterminated_heredoc_names_the_instruction_line()
    {
        var error = Fails("FROM alpine\nRUN <<EOF\necho hi\n EOF\n");

        Assert.Equal("Dockerfile:2: unterminated heredoc <<EOF; end it with a line holding only EOF", error.Message);
    }

    [Fact]
    public void Second_of_several_heredocs_unterminated()
    {
        Assert.Equal(2, Fails("FROM alpine\nRUN cat <<A <<B\na\nA\nb\n").Line);
    }

    [Theory]
    [InlineData("")]
    [InlineData("\n\n")]
    [InlineData("# only a comment\n")]
    public void Empty_file_has_no_from(string text)
    {
        Assert.Equal("Dockerfile:1: no FROM instruction; a Dockerfile needs at least one FROM [--platform=<platform>] <image> [AS <name>]", Fails(text).Message);
    }

    [Fact]
    public void Global_args_without_a_from()
    {
        Assert.Equal(2, Fails("ARG A=1\nARG B=2\n").Line);
    }

    [Fact]
    public void Copy_from_a_later_stage()
    {
        var error = Fails("""
            FROM alpine AS base
            COPY --from=app /bin/app /bin/app
            FROM golang AS app
            """);

        Assert.Equal("Dockerfile:2: COPY --from=app names stage \"app\", which starts later at line 3; move that stage above line 1", error.Message);
    }

    [Fact]
    public void Copy_from_its_own_stage_by_name_or_index()
    {
        Assert.Equal(
            "Dockerfile:3: COPY --from=Build names its own stage; use an earlier stage or an image",
            Fails("FROM alpine\nFROM golang AS build\nCOPY --from=Build /a /b").Message);
        Assert.Equal(
            "Dockerfile:3: COPY --from=1 names its own stage; use an earlier stage or an image",
            Fails("FROM alpine\nFROM golang AS build\nCOPY --from=1 /a /b").Message);
    }

    [Fact]
    public void Copy_from_a_later_or_missing_index()
    {
        Assert.Equal(
            "Dockerfile:2: COPY --from=1 names stage 1, which starts later at line 3; move that stage above line 1",
            Fails("FROM alpine\nCOPY --from=1 /a /b\nFROM alpine").Message);
        Assert.Equal(
            "Dockerfile:2: COPY --from=5 names stage 5, but the stages are numbered 0 to 0; use an earlier stage's index or name",
            Fails("FROM alpine\nCOPY --from=5 /a /b").Message);
    }

    [Fact]
    public void Copy_from_with_a_variable_is_rejected_as_buildkit_does()
    {
        var error = Fails("ARG BASE=builder\nFROM alpine AS builder\nFROM alpine\nCOPY --from=$BASE /a /b");

        Assert.Equal(4, error.Line);
        Assert.StartsWith("Dockerfile:4: COPY --from=$BASE uses a variable or quotes, which BuildKit does not expand; add a stage", error.Message);
    }

    [Fact]
    public void Run_mount_from_a_later_stage()
    {
        var error = Fails("FROM alpine\nRUN --mount=type=bind,from=tools,target=/t ls\nFROM alpine AS tools");

        Assert.Equal("Dockerfile:2: RUN --mount from=tools names stage \"tools\", which starts later at line 3; move that stage above line 1", error.Message);
    }

    [Fact]
    public void Add_does_not_copy_from_stages()
    {
        Assert.Equal(
            "Dockerfile:3: ADD does not take --from; write ADD <src>... <dest> (use COPY --from=<stage> to copy from a stage)",
            Fails("FROM alpine AS a\nFROM alpine\nADD --from=a /x /y").Message);
    }

    [Fact]
    public void Exec_form_with_a_non_string_element()
    {
        Assert.Equal(
            "Dockerfile:2: CMD has a JSON array with a non-string element; quote every element, e.g. [\"sh\", \"-c\", \"echo hi\"]",
            Fails("FROM alpine\nCMD [\"sleep\", 10]").Message);
    }

    [Fact]
    public void Bad_escape_directive_and_repeated_directive()
    {
        Assert.Equal("Dockerfile:1: invalid escape directive \"'\"; use \"# escape=\\\" or \"# escape=`\"", Fails("# escape='\nFROM alpine").Message);
        Assert.Equal("Dockerfile:2: a second \"# syntax=\" directive; keep only one", Fails("# syntax=a\n# syntax=b\nFROM alpine").Message);
    }

    [Theory]
    [InlineData("COPY onlyone", "Dockerfile:2: COPY needs a source and a destination; write COPY [--from=<stage>] <src>... <dest>")]
    [InlineData("WORKDIR", "Dockerfile:2: WORKDIR needs exactly one argument; write WORKDIR <path>")]
    [InlineData("USER", "Dockerfile:2: USER needs exactly one argument; write USER <user>[:<group>]")]
    [InlineData("EXPOSE", "Dockerfile:2: EXPOSE needs an argument; write EXPOSE <port>[/<protocol>]")]
    [InlineData("ENV", "Dockerfile:2: ENV needs an argument; write ENV <name>=<value> ...")]
    [InlineData("ENV DEBUG", "Dockerfile:2: ENV DEBUG has no value; write ENV <name>=<value> ...")]
    [InlineData("ENV A=1 B", "Dockerfile:2: ENV B has no '='; write ENV <name>=<value> ...")]
    [InlineData("LABEL =x", "Dockerfile:2: LABEL has a blank name; write LABEL <key>=<value> ...")]
    [InlineData("ARG =x", "Dockerfile:2: ARG has a blank name; write ARG <name>[=<default>]")]
    [InlineData("SHELL /bin/bash -c", "Dockerfile:2: SHELL needs a JSON array; write SHELL [\"executable\", \"parameter\"]")]
    [InlineData("ONBUILD FROM alpine", "Dockerfile:2: ONBUILD cannot trigger FROM; write ONBUILD <instruction>, e.g. ONBUILD RUN make")]
    [InlineData("ONBUILD RUNN make", "Dockerfile:2: unknown instruction \"RUNN\" (did you mean RUN?)")]
    public void Instructions_missing_arguments(string instruction, string message)
    {
        Assert.Equal(message, Fails($"FROM alpine\n{instruction}\n").Message);
    }
}
