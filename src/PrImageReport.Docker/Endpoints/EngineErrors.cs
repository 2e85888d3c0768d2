using System.Net.Sockets;
using System.Security.Authentication;
using System.Text.RegularExpressions;

namespace PrImageReport.Docker.Endpoints;

/// <summary>The one-line messages for an engine that cannot be used, each naming the engine and the fix.</summary>
internal static partial class EngineErrors
{
    public static bool IsConnectionFailure(Exception e) =>
        e is HttpRequestException || Find<SocketException>(e) is not null || Find<AuthenticationException>(e) is not null || Find<SshConnectionException>(e) is not null;

    /// <param name="certificateRejection">Why the TLS handshake refused the engine's certificate, when it did.</param>
    public static string Unreachable(EngineEndpoint endpoint, Exception? cause, string? certificateRejection = null)
    {
        if (cause is not null && Find<SshConnectionException>(cause) is { } ssh)
        {
            var fix = ssh.Fix ?? $"check that `{new SshDialer(endpoint.Host, "ssh").CommandLine}` works here (your key in ssh-agent or ~/.ssh, the host in known_hosts, docker on the remote's PATH)";
            return $"no Docker engine at {endpoint} (ssh: {ssh.Reason.TrimEnd('.')}): {fix}";
        }

        if (cause is not null && Find<AuthenticationException>(cause) is { } tls)
        {
            var material = endpoint.Origin.StartsWith("context ", StringComparison.Ordinal) ? $"the TLS files of the {endpoint.Origin}" : "DOCKER_CERT_PATH";
            return certificateRejection is { } rejected
                ? $"TLS with the engine at {endpoint} failed: {rejected}: point {material} at the CA that signed the engine's certificate"
                : $"TLS with the engine at {endpoint} failed ({Innermost(tls).Message.Trim().TrimEnd('.')}): check that {material} holds a cert.pem and key.pem the engine's CA signed";
        }

        // A missing unix socket fails with "Cannot assign requested address", which hides the simple cause.
        var reason = endpoint.Host.Scheme == "unix" && !File.Exists(endpoint.Host.LocalPath) ? " (no such socket)"
            : cause is null ? ""
            : $" ({(Find<SocketException>(cause) ?? Innermost(cause)).Message.TrimEnd('.')})";
        var other = endpoint.Origin.StartsWith("context ", StringComparison.Ordinal) ? "pick another context (docker context use NAME)" : "set DOCKER_HOST";
        return $"no Docker engine at {endpoint}{reason}: start one (sudo systemctl start docker, or dockerd) or {other}";
    }

    /// <summary>The engine's refusal of an API version, as it words it ("client version 1.41 is too old. Minimum supported API version is 1.44").</summary>
    public static (string Client, string Minimum)? RefusedApi(string text)
    {
        var match = TooOld().Match(text);
        return match.Success ? (match.Groups["client"].Value, match.Groups["minimum"].Value) : null;
    }

    private static T? Find<T>(Exception e)
        where T : Exception =>
        e as T ?? (e.InnerException is { } inner ? Find<T>(inner) : null);

    private static Exception Innermost(Exception e) => e.InnerException is { } inner ? Innermost(inner) : e;

    [GeneratedRegex(@"client version (?<client>[0-9.]+) is too old\. Minimum supported API version is (?<minimum>[0-9.]+)")]
    private static partial Regex TooOld();
}
