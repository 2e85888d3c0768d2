namespace PrImageReport.GitHub;

/// <summary>The GitHub settings (API URL, token) are missing or malformed; the message says which and how to fix it.</summary>
public sealed class GitHubConfigurationException(string message) : Exception(message);
