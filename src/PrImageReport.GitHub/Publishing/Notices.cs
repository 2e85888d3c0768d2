namespace PrImageReport.GitHub.Publishing;

internal static class Notices
{
    /// <summary>One line for the job log: what was not posted, GitHub's answer, and the likely reason.</summary>
    public static string NotPosted(string what, GitHubApiException e)
    {
        var reason = e.StatusCode == 404
            ? "The token cannot see this repository or pull request"
            : "The token may not write here; a pull request from a fork gets a read-only token";
        return $"{what}: {e.Message.TrimEnd('.')}. {reason}; the report is in the job summary.";
    }
}
