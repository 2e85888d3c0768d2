namespace PrImageReport.Git;

/// <summary>What git must not inherit: the tokens a GitHub Actions job puts in the environment. git runs hooks,
/// filters and helpers that repository configuration names, and none of them needs the job's credentials.</summary>
internal static class ChildEnvironment
{
    private static readonly string[] TokenNames = ["GITHUB_TOKEN", "GH_TOKEN", "GH_ENTERPRISE_TOKEN", "GITHUB_ENTERPRISE_TOKEN"];

    /// <summary>Action inputs (INPUT_GITHUB-TOKEN and any other the user filled with a secret) and the runner's
    /// own tokens (ACTIONS_RUNTIME_TOKEN, ACTIONS_ID_TOKEN_REQUEST_TOKEN and their URLs).</summary>
    private static readonly string[] TokenPrefixes = ["INPUT_", "ACTIONS_"];

    public static void RemoveTokens(IDictionary<string, string?> environment)
    {
        foreach (var name in environment.Keys.Where(IsToken).ToList())
        {
            environment.Remove(name);
        }
    }

    public static bool IsToken(string name) =>
        TokenNames.Contains(name, StringComparer.OrdinalIgnoreCase)
        || TokenPrefixes.Any(prefix => name.StartsWith(prefix, StringComparison.OrdinalIgnoreCase));
}
