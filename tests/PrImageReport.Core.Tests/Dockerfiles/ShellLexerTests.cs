using PrImageReport.Core.Dockerfiles;

namespace PrImageReport.Core.Tests.Dockerfiles;

public class ShellLexerTests
{
    private static readonly Dictionary<string, string> Env = new() { ["A"] = "one", ["EMPTY"] = "", ["SPACED"] = "x y" };

    private static string Expand(string word) => ShellLexer.Expand(word, '\\', Env).Result;

    [Theory]
    [InlineData("$A", "one")]
    [InlineData("${A}", "one")]
    [InlineData("pre-${A}-post", "pre-one-post")]
    [InlineData("$MISSING", "")]
    [InlineData("'$A'", "$A")]
    [InlineData("\"$A\"", "one")]
    [InlineData("\\$A", "$A")]
    [InlineData("\"a\\\"b\"", "a\"b")]
    [InlineData("\"a\\b\"", "a\\b")]
    [InlineData("${A:-d}|${EMPTY:-d}|${MISSING:-d}", "one|d|d")]
    [InlineData("${A-d}|${EMPTY-d}|${MISSING-d}", "one||d")]
    [InlineData("${A:+s}|${EMPTY:+s}|${MISSING:+s}", "s||")]
    [InlineData("${A+s}|${EMPTY+s}|${MISSING+s}", "s|s|")]
    [InlineData("${MISSING:-${A}}", "one")]
    [InlineData("${MISSING:-\"}\"}", "}")]
    [InlineData("${A#o}|${A%e}|${A/n/N}", "ne|on|oNe")]
    [InlineData("$1$", "$")]
    public void Expands_like_buildkit(string word, string expected)
    {
        Assert.Equal(expected, Expand(word));
    }

    [Fact]
    public void Reports_every_referenced_name()
    {
        Assert.Equal(new HashSet<string> { "A", "MISSING", "B" }, ShellLexer.Expand("$A${MISSING:-$B}", '\\', Env).Referenced.ToHashSet());
    }

    [Fact]
    public void Backtick_escape_leaves_backslashes_alone()
    {
        Assert.Equal("C:\\one$A", ShellLexer.Expand("C:\\$A`$A", '`', Env).Result);
    }

    [Theory]
    [InlineData("'open", "unterminated single quote")]
    [InlineData("\"open", "unterminated double quote")]
    [InlineData("${A", "missing '}'")]
    [InlineData("${}", "bad substitution")]
    [InlineData("${A:=x}", "unsupported modifier (:=) in substitution")]
    [InlineData("${A:#x}", "unsupported modifier (:#) in substitution")]
    [InlineData("${MISSING?}", "MISSING: is not allowed to be unset")]
    [InlineData("${EMPTY:?must be set}", "EMPTY: must be set")]
    public void Rejects_bad_words(string word, string message)
    {
        Assert.Equal(message, Assert.Throws<ShellSyntaxException>(() => Expand(word)).Message);
    }

    [Fact]
    public void Split_keeps_quotes_and_unknown_variables_raw()
    {
        Assert.Equal(["RUN", "echo", "\"a b\"", "$HOME", "<<EOF", "<< END", "3<<-X"], ShellLexer.Split("RUN echo \"a b\" $HOME <<EOF << END 3<<-X", rawQuotes: true, rawEscapes: true));
        Assert.Null(ShellLexer.Split("echo it's", rawQuotes: true, rawEscapes: true));
        Assert.Equal(["EOF"], ShellLexer.Split("'EOF'", rawQuotes: false, rawEscapes: false));
    }
}
