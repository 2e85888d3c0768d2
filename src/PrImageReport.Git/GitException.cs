namespace PrImageReport.Git;

/// <summary>git refused what was asked: an unknown ref, a folder that is not a repository.</summary>
public sealed class GitException(string message) : Exception(message);
