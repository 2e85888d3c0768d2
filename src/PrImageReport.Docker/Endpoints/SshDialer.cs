using System.ComponentModel;
using System.Diagnostics;

namespace PrImageReport.Docker.Endpoints;

/// <summary>
/// Opens one connection to an ssh:// engine as the docker CLI does (cli/connhelper): an ssh process running
/// <c>docker system dial-stdio</c> on the remote, whose stdin and stdout carry the HTTP of the Engine API.
/// </summary>
/// <param name="program">The ssh client found on PATH; null when there is none.</param>
internal sealed class SshDialer(Uri host, string? program)
{
    /// <summary>The ssh arguments, as the docker CLI builds them, plus BatchMode: no prompt can ever wait for an answer.</summary>
    public IReadOnlyList<string> Arguments { get; } = BuildArguments(host);

    public Task<Stream> OpenAsync(CancellationToken ct)
    {
        ct.ThrowIfCancellationRequested();
        if (program is null)
        {
            throw new SshConnectionException("no ssh client on PATH", "install openssh-client");
        }

        var start = new ProcessStartInfo(program, Arguments)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        Process process;
        try
        {
            process = Process.Start(start)!;
        }
        catch (Win32Exception e)
        {
            throw new SshConnectionException("no ssh client on PATH", "install openssh-client", e);
        }

        return Task.FromResult<Stream>(new SshStream(process));
    }

    /// <summary>The command a user can run to see what ssh says.</summary>
    public string CommandLine => "ssh " + string.Join(' ', Arguments);

    /// <summary>The first ssh on <paramref name="searchPath"/>, as the docker CLI finds it on its own PATH.</summary>
    public static string? Find(string? searchPath) =>
        (searchPath ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(directory => Path.Combine(directory, "ssh"))
            .FirstOrDefault(File.Exists);

    private static List<string> BuildArguments(Uri host)
    {
        var arguments = new List<string>();
        if (host.UserInfo.Length > 0)
        {
            arguments.AddRange(["-l", Uri.UnescapeDataString(host.UserInfo)]);
        }

        if (!host.IsDefaultPort && host.Port > 0)
        {
            arguments.AddRange(["-p", host.Port.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        }

        arguments.AddRange(["-o", "BatchMode=yes", "-o", "ConnectTimeout=30", "-T", "--", host.Host, "docker", "system", "dial-stdio"]);
        return arguments;
    }
}

/// <summary>ssh could not carry a connection to the engine; <see cref="Reason"/> is what ssh said.</summary>
internal sealed class SshConnectionException(string reason, string? fix = null, Exception? inner = null) : IOException(reason, inner)
{
    public string Reason { get; } = reason;

    /// <summary>A fix that does not depend on the address, when the reason calls for one.</summary>
    public string? Fix { get; } = fix;
}
