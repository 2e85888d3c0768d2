namespace PrImageReport.Docker.Builds;

/// <summary>
/// Replaces build secrets' values in build output before it is kept or shown: a RUN that prints a secret must not
/// put it in a progress line, a failure excerpt or a report.
/// </summary>
internal sealed class SecretRedactor
{
    public const string Mask = "***";

    private const int MinimumLine = 6;

    private readonly List<string> values;

    private SecretRedactor(IEnumerable<string> values) =>
        // Longest first, so that a value containing another is masked whole.
        this.values = [.. values.Where(v => v.Length > 0).Distinct(StringComparer.Ordinal).OrderByDescending(v => v.Length)];

    /// <summary>Reads each secret's value from its variable or file; one that cannot be read has nothing to leak.</summary>
    public static SecretRedactor For(IEnumerable<BuildSecret> secrets) =>
        new(secrets.SelectMany(secret => Fragments(Read(secret))));

    public string Redact(string line)
    {
        foreach (var value in values)
        {
            line = line.Replace(value, Mask, StringComparison.Ordinal);
        }

        return line;
    }

    /// <summary>The value, trimmed, and each of its lines: output is read line by line, so a multi-line value arrives in pieces.</summary>
    private static IEnumerable<string> Fragments(string? value)
    {
        if (string.IsNullOrEmpty(value))
        {
            yield break;
        }

        yield return value;
        yield return value.Trim();
        // A line as short as a JSON brace says nothing secret, and masking it would mask every brace in the log.
        foreach (var line in value.Split('\n').Select(l => l.Trim()).Where(l => l.Length >= MinimumLine))
        {
            yield return line;
        }
    }

    private static string? Read(BuildSecret secret)
    {
        if (secret.EnvironmentVariable is { } variable)
        {
            return Environment.GetEnvironmentVariable(variable);
        }

        try
        {
            return secret.FilePath is { } path ? File.ReadAllText(path) : null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }
}
