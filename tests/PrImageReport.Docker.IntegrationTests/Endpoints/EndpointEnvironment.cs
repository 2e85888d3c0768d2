namespace PrImageReport.Docker.IntegrationTests.Endpoints;

/// <summary>
/// The variables an engine is resolved from, as a test sets them: only these are seen, so the test machine's own
/// DOCKER_HOST or ~/.docker cannot leak in. PATH and HOME come from the test process unless set.
/// </summary>
internal sealed class EndpointEnvironment(IReadOnlyDictionary<string, string> variables)
{
    public string? Get(string name) =>
        variables.TryGetValue(name, out var value) ? value
        : name is "PATH" or "HOME" ? Environment.GetEnvironmentVariable(name)
        : null;

    public static Func<string, string?> Of(params (string Name, string Value)[] variables) =>
        new EndpointEnvironment(variables.ToDictionary(v => v.Name, v => v.Value, StringComparer.Ordinal)).Get;
}
