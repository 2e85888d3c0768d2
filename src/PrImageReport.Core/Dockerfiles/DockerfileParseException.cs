namespace PrImageReport.Core.Dockerfiles;

/// <summary>A Dockerfile that cannot be parsed or resolved. The message is one line: <c>{path}:{line}: what is wrong; how to fix it</c>.</summary>
public sealed class DockerfileParseException : Exception
{
    internal DockerfileParseException(string path, int? line, string problem)
        : base(line is null ? $"{path}: {problem}" : $"{path}:{line}: {problem}")
    {
        Path = path;
        Line = line;
    }

    public string Path { get; }

    /// <summary>1-based line of the offending instruction, or null when the problem is not on one line (an unknown target).</summary>
    public int? Line { get; }
}
