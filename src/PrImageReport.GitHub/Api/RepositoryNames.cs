using System.Text.RegularExpressions;

namespace PrImageReport.GitHub.Api;

/// <summary>Checks the names that become URL path segments, so a bad value fails here with a clear message
/// instead of reaching GitHub as a different path.</summary>
internal static partial class RepositoryNames
{
    [GeneratedRegex("^[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})$")]
    private static partial Regex Owner();

    [GeneratedRegex("^[A-Za-z0-9._-]{1,100}$")]
    private static partial Regex Name();

    [GeneratedRegex("^(?:[0-9a-fA-F]{40}|[0-9a-fA-F]{64})$")]
    private static partial Regex Sha();

    public static void Check(string owner, string name)
    {
        if (owner is null || !Owner().IsMatch(owner))
        {
            throw new ArgumentException($"'{owner}' is not a GitHub repository owner: use the owner part of GITHUB_REPOSITORY (owner/name)", nameof(owner));
        }
        if (name is null || !Name().IsMatch(name) || name is "." or "..")
        {
            throw new ArgumentException($"'{name}' is not a GitHub repository name: use the name part of GITHUB_REPOSITORY (owner/name)", nameof(name));
        }
    }

    public static void CheckSha(string sha)
    {
        if (sha is null || !Sha().IsMatch(sha))
        {
            throw new ArgumentException($"'{sha}' is not a full commit SHA: pass the 40-character head SHA of the pull request", nameof(sha));
        }
    }

    public static void CheckPositive(long number, string paramName)
    {
        if (number <= 0)
        {
            throw new ArgumentOutOfRangeException(paramName, number, $"{paramName} must be a positive number");
        }
    }
}
