namespace PrImageReport.Cli;

/// <summary>The process exit codes; a required check and scripts tell outcomes apart by them.</summary>
public static class ExitCodes
{
    /// <summary>Verdict pass or warn.</summary>
    public const int Success = 0;

    /// <summary>Verdict fail.</summary>
    public const int Failed = 1;

    /// <summary>Bad usage or input: unknown ref, missing or unparseable Dockerfile.</summary>
    public const int BadInput = 2;

    /// <summary>Infrastructure: no Docker engine reachable, git missing.</summary>
    public const int Infrastructure = 3;
}

/// <summary>The user asked for something that cannot be done as asked; the message says how to fix it.</summary>
public sealed class UsageException(string message) : Exception(message);
