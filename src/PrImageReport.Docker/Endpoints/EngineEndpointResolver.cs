using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace PrImageReport.Docker.Endpoints;

/// <summary>
/// Picks the engine as the docker CLI does (cli/command/cli.go, resolveContextName): an explicit host, then DOCKER_HOST,
/// then DOCKER_CONTEXT, then currentContext in $DOCKER_CONFIG/config.json, then the default socket.
/// </summary>
public static class EngineEndpointResolver
{
    public const string DefaultHost = "unix:///var/run/docker.sock";

    private const string DefaultContext = "default";

    /// <param name="explicitHost">An address the caller chose; it wins over every variable and context.</param>
    /// <param name="environment">Reads a variable (Environment.GetEnvironmentVariable outside tests).</param>
    /// <exception cref="EngineUnavailableException">The address is not one the tool can use, or the context named does not exist or cannot be read.</exception>
    public static EngineEndpoint Resolve(string? explicitHost, Func<string, string?> environment)
    {
        ArgumentNullException.ThrowIfNull(environment);
        var configDirectory = Variable(environment, "DOCKER_CONFIG")
            ?? Path.Combine(Variable(environment, "HOME") ?? Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".docker");
        if (!string.IsNullOrEmpty(explicitHost))
        {
            return FromHost(explicitHost, "", EnvironmentTls(environment, configDirectory));
        }

        if (Variable(environment, "DOCKER_HOST") is { } host)
        {
            return FromHost(host, "DOCKER_HOST", EnvironmentTls(environment, configDirectory));
        }

        var (context, source) = Variable(environment, "DOCKER_CONTEXT") is { } chosen
            ? (chosen, "DOCKER_CONTEXT")
            : CurrentContext(configDirectory) is { } current ? (current, $"currentContext in {Path.Combine(configDirectory, "config.json")}") : (DefaultContext, "");
        return context == DefaultContext
            ? FromHost(DefaultHost, "", null)
            : FromContext(configDirectory, context, source);
    }

    private static EngineEndpoint FromHost(string host, string origin, EngineTls? tls)
    {
        var named = origin == "DOCKER_HOST" ? $"DOCKER_HOST={host}" : origin.Length == 0 ? host : $"{host} of the {origin}";
        if (!Uri.TryCreate(host, UriKind.Absolute, out var uri) || uri.Scheme is not ("unix" or "tcp" or "http" or "https" or "ssh"))
        {
            throw new EngineUnavailableException($"{named} is not an engine address this tool can use: set it to unix:///path/to/docker.sock, tcp://host:2376 or ssh://user@host");
        }

        if (uri.Scheme == "ssh" && uri.UserInfo.Contains(':', StringComparison.Ordinal))
        {
            // The password stays out of the message.
            throw new EngineUnavailableException($"{(origin.Length == 0 ? "the engine address" : origin)} holds a password in its ssh:// address, which the docker CLI does not accept: use an ssh key (ssh-agent or ~/.ssh) and write ssh://user@host");
        }

        if (uri.Scheme == "ssh" && (uri.Host.Length == 0 || uri.AbsolutePath is not ("" or "/") || uri.Query.Length > 0))
        {
            throw new EngineUnavailableException($"{named} is not an ssh address this tool can use: write it as ssh://[user@]host[:port], with no path or query");
        }

        return new EngineEndpoint(uri, uri.Scheme is "tcp" or "https" ? tls : null, origin);
    }

    /// <summary>DOCKER_TLS_VERIFY (any value, as the docker CLI reads it) verifies against ca.pem; DOCKER_TLS alone encrypts without verifying.</summary>
    private static EngineTls? EnvironmentTls(Func<string, string?> environment, string configDirectory)
    {
        var verify = Variable(environment, "DOCKER_TLS_VERIFY") is not null;
        if (!verify && Variable(environment, "DOCKER_TLS") is null)
        {
            return null;
        }

        return new EngineTls(Variable(environment, "DOCKER_CERT_PATH") ?? configDirectory, verify);
    }

    private static string? CurrentContext(string configDirectory)
    {
        var path = Path.Combine(configDirectory, "config.json");
        if (!File.Exists(path))
        {
            return null;
        }

        try
        {
            using var config = JsonDocument.Parse(File.ReadAllBytes(path));
            return config.RootElement.ValueKind == JsonValueKind.Object
                && config.RootElement.TryGetProperty("currentContext", out var current)
                && current.ValueKind == JsonValueKind.String
                && current.GetString() is { Length: > 0 } name
                ? name
                : null;
        }
        catch (Exception e) when (e is JsonException or IOException or UnauthorizedAccessException)
        {
            throw new EngineUnavailableException($"{path} cannot be read ({e.Message.TrimEnd('.')}): fix or remove it, or set DOCKER_HOST");
        }
    }

    /// <summary>Reads a context as the docker CLI stores it: contexts/meta/&lt;sha256 of the name&gt;/meta.json, TLS files in contexts/tls/&lt;same&gt;/docker.</summary>
    /// <param name="source">What named the context: DOCKER_CONTEXT, or the config file's currentContext.</param>
    private static EngineEndpoint FromContext(string configDirectory, string name, string source)
    {
        var id = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(name)));
        var metaPath = Path.Combine(configDirectory, "contexts", "meta", id, "meta.json");
        if (!File.Exists(metaPath))
        {
            var unset = source == "DOCKER_CONTEXT" ? "unset DOCKER_CONTEXT" : "run `docker context use default`";
            throw new EngineUnavailableException($"docker context \"{name}\" ({source}) does not exist in {Path.Combine(configDirectory, "contexts")}: create it (docker context create {name} --docker host=...), pick one of `docker context ls`, or {unset}");
        }

        string? host;
        bool skipVerify;
        try
        {
            using var meta = JsonDocument.Parse(File.ReadAllBytes(metaPath));
            var docker = meta.RootElement.GetProperty("Endpoints").GetProperty("docker");
            host = docker.TryGetProperty("Host", out var h) && h.ValueKind == JsonValueKind.String ? h.GetString() : null;
            skipVerify = docker.TryGetProperty("SkipTLSVerify", out var skip) && skip.ValueKind == JsonValueKind.True;
        }
        catch (Exception e) when (e is JsonException or IOException or UnauthorizedAccessException or KeyNotFoundException or InvalidOperationException)
        {
            throw new EngineUnavailableException($"docker context \"{name}\" ({source}) cannot be read from {metaPath} ({e.Message.TrimEnd('.')}): recreate it (docker context rm {name}, then docker context create)");
        }

        if (string.IsNullOrEmpty(host))
        {
            throw new EngineUnavailableException($"docker context \"{name}\" ({source}) names no docker host in {metaPath}: recreate it with docker context create {name} --docker host=...");
        }

        // As the CLI does: TLS when the context holds TLS files or asks to skip verifying them.
        var tlsDirectory = Path.Combine(configDirectory, "contexts", "tls", id, "docker");
        var tls = Directory.Exists(tlsDirectory) || skipVerify ? new EngineTls(tlsDirectory, !skipVerify) : null;
        return FromHost(host, $"context {name}", tls);
    }

    private static string? Variable(Func<string, string?> environment, string name) =>
        environment(name) is { Length: > 0 } value ? value : null;
}
