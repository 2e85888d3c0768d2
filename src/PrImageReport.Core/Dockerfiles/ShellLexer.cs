using System.Text;
using System.Text.RegularExpressions;

namespace PrImageReport.Core.Dockerfiles;

/// <summary>A word of Dockerfile text that BuildKit's shell lexer rejects (unterminated quote, bad substitution).</summary>
internal sealed class ShellSyntaxException(string message) : Exception(message);

/// <summary>The result of lexing one piece of Dockerfile text.</summary>
/// <param name="Result">The text with quotes removed (unless kept raw) and variables substituted.</param>
/// <param name="Words">The text split on unquoted whitespace.</param>
/// <param name="Referenced">Every variable name the text refers to, set or not.</param>
internal sealed record ShellExpansion(string Result, IReadOnlyList<string> Words, IReadOnlySet<string> Referenced);

/// <summary>
/// The shell-like lexing BuildKit applies to FROM, ARG defaults and heredoc markers: quotes, the escape
/// token, <c>$VAR</c> and <c>${VAR...}</c> substitutions. With no environment, references are kept as written.
/// </summary>
internal sealed class ShellLexer
{
    private readonly string text;
    private readonly char escape;
    private readonly IReadOnlyDictionary<string, string>? env;
    private readonly bool rawQuotes;
    private bool rawEscapes;
    private readonly HashSet<string> referenced = new(StringComparer.Ordinal);
    private int pos;

    private ShellLexer(string text, char escape, IReadOnlyDictionary<string, string>? env, bool rawQuotes, bool rawEscapes)
    {
        this.text = text;
        this.escape = escape;
        this.env = env;
        this.rawQuotes = rawQuotes;
        this.rawEscapes = rawEscapes;
    }

    /// <summary>Substitutes variables from <paramref name="env"/> and removes quotes and escapes.</summary>
    /// <exception cref="ShellSyntaxException">The text is not a valid shell word.</exception>
    public static ShellExpansion Expand(string text, char escape, IReadOnlyDictionary<string, string> env) =>
        new ShellLexer(text, escape, env, rawQuotes: false, rawEscapes: false).Run();

    /// <summary>Splits into words without substituting anything; null when a quote is never closed.</summary>
    public static IReadOnlyList<string>? Split(string text, bool rawQuotes, bool rawEscapes)
    {
        try
        {
            return new ShellLexer(text, '\\', env: null, rawQuotes, rawEscapes).Run().Words;
        }
        catch (ShellSyntaxException)
        {
            return null;
        }
    }

    private ShellExpansion Run()
    {
        var words = new WordCollector();
        var result = Scan(stop: null, words);
        return new ShellExpansion(result, words.Finish(), referenced);
    }

    private string Scan(char? stop, WordCollector? words)
    {
        var result = new StringBuilder();
        while (pos < text.Length)
        {
            var ch = text[pos];
            if (ch == stop)
            {
                pos++;
                return result.ToString();
            }
            switch (ch)
            {
                case '$':
                    var value = Dollar();
                    result.Append(value);
                    words?.AddSplitting(value);
                    continue;
                case '\'':
                    var single = SingleQuoted();
                    result.Append(single);
                    words?.AddRaw(single);
                    continue;
                case '"':
                    var quoted = DoubleQuoted();
                    result.Append(quoted);
                    words?.AddRaw(quoted);
                    continue;
                case '<':
                    var marker = HeredocMarker();
                    result.Append(marker);
                    words?.AddRaw(marker);
                    continue;
            }
            pos++;
            if (ch == escape)
            {
                if (rawEscapes)
                {
                    result.Append(ch);
                    words?.AddRaw(ch.ToString());
                }
                if (pos == text.Length)
                {
                    break;
                }
                ch = text[pos++];
                result.Append(ch);
                words?.AddRaw(ch.ToString());
                continue;
            }
            result.Append(ch);
            words?.AddChar(ch);
        }
        if (stop is not null)
        {
            throw new ShellSyntaxException($"missing '{stop}'");
        }
        return result.ToString();
    }

    // "<<" keeps the blanks after it, so "<< EOF" stays one word as BuildKit sees heredoc markers.
    private string HeredocMarker()
    {
        pos++;
        if (pos == text.Length || text[pos] != '<')
        {
            return "<";
        }
        var start = pos - 1;
        pos++;
        while (pos < text.Length && text[pos] is ' ' or '\t' or '\r')
        {
            pos++;
        }
        return text[start..pos];
    }

    private string SingleQuoted()
    {
        var end = text.IndexOf('\'', pos + 1);
        if (end < 0)
        {
            throw new ShellSyntaxException("unterminated single quote");
        }
        var inner = text[(pos + 1)..end];
        var whole = text[pos..(end + 1)];
        pos = end + 1;
        return rawQuotes ? whole : inner;
    }

    private string DoubleQuoted()
    {
        var result = new StringBuilder();
        if (rawQuotes)
        {
            result.Append('"');
        }
        pos++;
        while (true)
        {
            if (pos == text.Length)
            {
                throw new ShellSyntaxException("unterminated double quote");
            }
            var ch = text[pos];
            if (ch == '"')
            {
                pos++;
                if (rawQuotes)
                {
                    result.Append('"');
                }
                return result.ToString();
            }
            if (ch == '$')
            {
                result.Append(Dollar());
                continue;
            }
            pos++;
            if (ch == escape)
            {
                if (rawEscapes)
                {
                    result.Append(ch);
                }
                if (pos == text.Length)
                {
                    continue;
                }
                // Inside double quotes only ", $ and the escape token itself are escaped; others keep the escape.
                var next = text[pos];
                if (next == '"' || next == '$' || next == escape)
                {
                    pos++;
                    ch = next;
                }
            }
            result.Append(ch);
        }
    }

    private string Dollar()
    {
        pos++;
        if (pos == text.Length || text[pos] != '{')
        {
            var plain = Name();
            if (plain.Length == 0)
            {
                return "$";
            }
            return Lookup(plain, out var plainValue) ? plainValue : env is null ? "$" + plain : "";
        }

        pos++;
        if (pos == text.Length)
        {
            throw new ShellSyntaxException("missing '}'");
        }
        if (text[pos] is '{' or '}' or ':')
        {
            throw new ShellSyntaxException("bad substitution");
        }
        var name = Name();
        if (pos == text.Length)
        {
            throw new ShellSyntaxException("missing '}'");
        }
        var op = text[pos++];
        switch (op)
        {
            case '}':
                return Lookup(name, out var value) ? value : env is null ? "${" + name + "}" : "";
            case ':':
                if (pos == text.Length)
                {
                    throw new ShellSyntaxException("missing '}'");
                }
                return Modified(name, ":" + text[pos++]);
            case '-' or '+' or '?' or '#' or '%':
                return Modified(name, op.ToString());
            case '/':
                return Replaced(name);
            default:
                throw new ShellSyntaxException($"unsupported modifier ({op}) in substitution");
        }
    }

    private string Modified(string name, string modifier)
    {
        var emptyIsUnset = modifier.Length == 2;
        var op = modifier[^1];
        var isPattern = op is '#' or '%';
        if (emptyIsUnset && isPattern || op is not ('-' or '+' or '?' or '#' or '%'))
        {
            throw new ShellSyntaxException($"unsupported modifier ({modifier}) in substitution");
        }
        var word = ScanNested('}', rawEscapesInside: isPattern);
        var set = Lookup(name, out var value);
        if (!set && env is null)
        {
            return "${" + name + modifier + word + "}";
        }
        var missing = !set || emptyIsUnset && value.Length == 0;
        switch (op)
        {
            case '-':
                return missing ? word : value;
            case '+':
                return missing ? "" : word;
            case '?':
                if (missing)
                {
                    var reason = word.Length > 0 ? word : set ? "is not allowed to be empty" : "is not allowed to be unset";
                    throw new ShellSyntaxException($"{name}: {reason}");
                }
                return value;
            default:
                var longest = word.Length > 0 && word[0] == op;
                var pattern = longest ? word[1..] : word;
                return op == '#' ? TrimPrefix(value, pattern, longest) : TrimSuffix(value, pattern, longest);
        }
    }

    private string Replaced(string name)
    {
        var all = pos < text.Length && text[pos] == '/';
        if (all)
        {
            pos++;
        }
        var pattern = ScanNested('/', rawEscapesInside: true);
        var replacement = ScanNested('}', rawEscapesInside: true);
        if (!Lookup(name, out var value) && env is null)
        {
            return "${" + name + (all ? "//" : "/") + pattern + "/" + replacement + "}";
        }
        var regex = PatternRegex(pattern, anchored: false);
        return all ? regex.Replace(value, _ => replacement) : regex.Replace(value, _ => replacement, 1);
    }

    private string ScanNested(char stop, bool rawEscapesInside)
    {
        var outer = rawEscapes;
        rawEscapes = rawEscapesInside;
        try
        {
            return Scan(stop, words: null);
        }
        finally
        {
            rawEscapes = outer;
        }
    }

    private string Name()
    {
        var start = pos;
        if (pos < text.Length && char.IsDigit(text[pos]))
        {
            while (pos < text.Length && char.IsDigit(text[pos]))
            {
                pos++;
            }
            return text[start..pos];
        }
        if (pos < text.Length && text[pos] is '@' or '*' or '#' or '?' or '-' or '$' or '!' or '0')
        {
            return text[pos++].ToString();
        }
        while (pos < text.Length && (char.IsLetterOrDigit(text[pos]) || text[pos] == '_'))
        {
            pos++;
        }
        return text[start..pos];
    }

    private bool Lookup(string name, out string value)
    {
        referenced.Add(name);
        if (env is not null && env.TryGetValue(name, out var found))
        {
            value = found;
            return true;
        }
        value = "";
        return false;
    }

    private static string TrimPrefix(string value, string pattern, bool longest)
    {
        var regex = PatternRegex(pattern, anchored: true);
        for (var i = 0; i <= value.Length; i++)
        {
            var length = longest ? value.Length - i : i;
            if (regex.IsMatch(value[..length]))
            {
                return value[length..];
            }
        }
        return value;
    }

    private static string TrimSuffix(string value, string pattern, bool longest)
    {
        var regex = PatternRegex(pattern, anchored: true);
        for (var i = 0; i <= value.Length; i++)
        {
            var start = longest ? i : value.Length - i;
            if (regex.IsMatch(value[start..]))
            {
                return value[..start];
            }
        }
        return value;
    }

    // Shell wildcards: * any run, ? one character, \ escapes the next wildcard (no bracket expressions, as in BuildKit).
    private static Regex PatternRegex(string pattern, bool anchored)
    {
        var regex = new StringBuilder(anchored ? "^(?:" : "");
        for (var i = 0; i < pattern.Length; i++)
        {
            var ch = pattern[i];
            switch (ch)
            {
                case '*':
                    regex.Append(".*");
                    break;
                case '?':
                    regex.Append('.');
                    break;
                case '\\' when i + 1 < pattern.Length && pattern[i + 1] is '}' or '/':
                    break;
                case '\\' when i + 1 < pattern.Length && pattern[i + 1] is '*' or '?' or '\\':
                    regex.Append(Regex.Escape(pattern[++i].ToString()));
                    break;
                case '\\':
                    throw new ShellSyntaxException($"invalid pattern ({pattern}) in substitution");
                default:
                    regex.Append(Regex.Escape(ch.ToString()));
                    break;
            }
        }
        if (anchored)
        {
            regex.Append(")$");
        }
        return new Regex(regex.ToString(), RegexOptions.Singleline | RegexOptions.CultureInvariant);
    }

    /// <summary>Collects words: substituted text splits on whitespace, quoted and escaped text never does.</summary>
    private sealed class WordCollector
    {
        private readonly StringBuilder current = new();
        private readonly List<string> words = [];
        private bool inWord;

        public void AddChar(char ch)
        {
            if (!char.IsWhiteSpace(ch))
            {
                AddRaw(ch.ToString());
            }
            else if (inWord && current.Length > 0)
            {
                words.Add(current.ToString());
                current.Clear();
                inWord = false;
            }
        }

        public void AddSplitting(string value)
        {
            foreach (var ch in value)
            {
                AddChar(ch);
            }
        }

        public void AddRaw(string value)
        {
            current.Append(value);
            inWord = true;
        }

        public IReadOnlyList<string> Finish()
        {
            if (current.Length > 0)
            {
                words.Add(current.ToString());
            }
            return words;
        }
    }
}
