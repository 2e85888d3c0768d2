using System.Text;
using System.Text.Json;

namespace PrImageReport.Core.Dockerfiles;

/// <summary>How BuildKit's parser splits one logical line into keyword, flags and arguments.</summary>
internal static class InstructionSyntax
{
    public static readonly IReadOnlyList<string> Keywords =
    [
        "FROM", "RUN", "COPY", "ADD", "ARG", "ENV", "WORKDIR", "CMD", "ENTRYPOINT", "EXPOSE", "LABEL",
        "USER", "VOLUME", "HEALTHCHECK", "SHELL", "STOPSIGNAL", "ONBUILD", "MAINTAINER",
    ];

    public enum JsonForm { NotJson, Strings, NotStrings }

    /// <summary>Splits a logical line into its command word (as written), its flags and the rest, trimmed.</summary>
    public static (string Command, IReadOnlyList<InstructionFlag> Flags, string Arguments) SplitCommand(string line, char escape)
    {
        var trimmed = line.Trim();
        var gap = trimmed.IndexOfAny(['\t', '\v', '\f', '\r', ' ']);
        if (gap < 0)
        {
            return (trimmed, [], "");
        }
        var (rest, flags) = ExtractFlags(trimmed[gap..], escape);
        return (trimmed[..gap], flags, rest.Trim());
    }

    /// <summary>Reads the leading <c>--flag</c> words (quotes and escapes removed); stops at the first other word or at "--".</summary>
    private static (string Remainder, IReadOnlyList<InstructionFlag> Flags) ExtractFlags(string text, char escape)
    {
        var flags = new List<InstructionFlag>();
        var i = 0;
        while (true)
        {
            while (i < text.Length && char.IsWhiteSpace(text[i]))
            {
                i++;
            }
            if (i == text.Length)
            {
                return ("", flags);
            }
            if (text[i] != '-' || i + 1 == text.Length || text[i + 1] != '-')
            {
                return (text[i..], flags);
            }

            var word = new StringBuilder();
            var quoted = false;
            char? quote = null;
            while (i < text.Length && (quote is not null || !char.IsWhiteSpace(text[i])))
            {
                var ch = text[i++];
                if (ch == quote)
                {
                    quote = null;
                    continue;
                }
                if (quote is null && ch is '\'' or '"')
                {
                    quote = ch;
                    quoted = true;
                    continue;
                }
                if (ch == escape)
                {
                    if (i == text.Length)
                    {
                        continue;
                    }
                    ch = text[i++];
                }
                word.Append(ch);
            }
            var flag = word.ToString();
            if (flag == "--")
            {
                return (text[i..], flags);
            }
            if (quoted || flag.Length > 0)
            {
                flags.Add(ToFlag(flag));
            }
        }
    }

    private static InstructionFlag ToFlag(string word)
    {
        var body = word[2..];
        var equals = body.IndexOf('=');
        return equals < 0 ? new InstructionFlag(body, null) : new InstructionFlag(body[..equals], body[(equals + 1)..]);
    }

    /// <summary>Splits the arguments as BuildKit does for <paramref name="keyword"/> (see <see cref="Instruction.Words"/>).</summary>
    public static (IReadOnlyList<string> Words, JsonForm Form) Words(string keyword, string arguments, char escape)
    {
        switch (keyword)
        {
            case "ADD" or "COPY" or "VOLUME":
                return MaybeJson(arguments, WhitespaceWords);
            case "RUN" or "CMD" or "ENTRYPOINT" or "SHELL":
                return MaybeJson(arguments, Whole);
            case "FROM" or "EXPOSE":
                return (WhitespaceWords(arguments), JsonForm.NotJson);
            case "ARG" or "ENV" or "LABEL":
                return (QuotedWords(arguments, escape), JsonForm.NotJson);
            case "HEALTHCHECK":
                var gap = arguments.IndexOfAny([' ', '\t', '\v', '\f', '\r', '\n']);
                if (gap < 0)
                {
                    return (Whole(arguments), JsonForm.NotJson);
                }
                var (command, form) = MaybeJson(arguments[gap..].TrimStart(), Whole);
                return ([arguments[..gap], .. command], form);
            default:
                return (Whole(arguments), JsonForm.NotJson);
        }
    }

    private static (IReadOnlyList<string>, JsonForm) MaybeJson(string arguments, Func<string, IReadOnlyList<string>> otherwise)
    {
        var (form, strings) = ParseJsonArray(arguments);
        return form == JsonForm.NotJson ? (otherwise(arguments), form) : (strings, form);
    }

    private static IReadOnlyList<string> Whole(string arguments) => arguments.Length == 0 ? [] : [arguments];

    private static IReadOnlyList<string> WhitespaceWords(string arguments) =>
        arguments.Split(['\t', '\v', '\f', '\r', ' '], StringSplitOptions.RemoveEmptyEntries);

    /// <summary>A JSON array of strings is exec form; anything else that fails to parse is shell form, as in BuildKit.</summary>
    private static (JsonForm, IReadOnlyList<string>) ParseJsonArray(string arguments)
    {
        var text = arguments.TrimStart();
        if (!text.StartsWith('['))
        {
            return (JsonForm.NotJson, []);
        }
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(text);
        }
        catch (JsonException)
        {
            return (JsonForm.NotJson, []);
        }
        using (document)
        {
            var strings = new List<string>();
            foreach (var element in document.RootElement.EnumerateArray())
            {
                if (element.ValueKind != JsonValueKind.String)
                {
                    return (JsonForm.NotStrings, []);
                }
                strings.Add(element.GetString()!);
            }
            return (JsonForm.Strings, strings);
        }
    }

    /// <summary>Words split on unquoted whitespace with quotes and escapes kept, for ARG, ENV and LABEL.</summary>
    public static IReadOnlyList<string> QuotedWords(string text, char escape)
    {
        var words = new List<string>();
        var word = new StringBuilder();
        var inWord = false;
        var keepEmpty = false;
        char? quote = null;
        for (var i = 0; i < text.Length; i++)
        {
            var ch = text[i];
            if (quote is null && char.IsWhiteSpace(ch))
            {
                if (inWord && (keepEmpty || word.Length > 0))
                {
                    words.Add(word.ToString());
                }
                word.Clear();
                inWord = keepEmpty = false;
                continue;
            }
            inWord = true;
            if (ch == quote)
            {
                quote = null;
            }
            else if (quote is null && ch is '\'' or '"')
            {
                quote = ch;
                keepEmpty = true;
            }
            else if (ch == escape && quote != '\'')
            {
                if (i + 1 == text.Length)
                {
                    quote = null;
                    continue;
                }
                word.Append(ch);
                ch = text[++i];
            }
            word.Append(ch);
        }
        if (inWord && (keepEmpty || word.Length > 0))
        {
            words.Add(word.ToString());
        }
        return words;
    }

    /// <summary>The keyword closest to a misspelt one (edit distance under 3), as BuildKit suggests.</summary>
    public static string? Suggest(string command)
    {
        var lower = command.ToLowerInvariant();
        string? best = null;
        var bestDistance = 3;
        foreach (var keyword in Keywords)
        {
            var distance = EditDistance(lower, keyword.ToLowerInvariant());
            if (distance < bestDistance)
            {
                best = keyword;
                bestDistance = distance;
            }
        }
        return best;
    }

    public static int EditDistance(string a, string b)
    {
        var previous = new int[b.Length + 1];
        var current = new int[b.Length + 1];
        for (var j = 0; j <= b.Length; j++)
        {
            previous[j] = j;
        }
        for (var i = 1; i <= a.Length; i++)
        {
            current[0] = i;
            for (var j = 1; j <= b.Length; j++)
            {
                var substitution = previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1);
                current[j] = Math.Min(substitution, Math.Min(previous[j], current[j - 1]) + 1);
            }
            (previous, current) = (current, previous);
        }
        return previous[b.Length];
    }
}
