using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace PrImageReport.Testing.Endpoints;

/// <summary>
/// A server a test runs beside it (socat, sshd): started under timeout(1), so it dies even when the test run is killed,
/// ready once it prints its readiness line, killed with its children on dispose.
/// </summary>
public sealed class BackgroundProcess : IDisposable
{
    /// <summary>Longer than any test that uses one; a leftover is gone after this.</summary>
    private static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(20);

    private readonly Process process;
    private readonly List<string> lines = [];
    private readonly TaskCompletionSource ready = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private BackgroundProcess(Process process, string readyText)
    {
        this.process = process;
        void Read(string? line)
        {
            if (line is null)
            {
                return;
            }

            lock (lines)
            {
                lines.Add(line);
            }

            if (line.Contains(readyText, StringComparison.Ordinal))
            {
                ready.TrySetResult();
            }
        }

        process.OutputDataReceived += (_, e) => Read(e.Data);
        process.ErrorDataReceived += (_, e) => Read(e.Data);
        process.Exited += (_, _) => ready.TrySetException(new InvalidOperationException($"{process.StartInfo.ArgumentList[2]} exited before it was ready:\n{Output}"));
        process.EnableRaisingEvents = true;
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    /// <summary>Everything it printed so far.</summary>
    public string Output
    {
        get
        {
            lock (lines)
            {
                return string.Join('\n', lines);
            }
        }
    }

    /// <summary>How many lines it printed that contain <paramref name="text"/>.</summary>
    public int Count(string text)
    {
        lock (lines)
        {
            return lines.Count(line => line.Contains(text, StringComparison.Ordinal));
        }
    }

    /// <summary>Starts <paramref name="program"/> and waits (at most 30 s) until it prints <paramref name="readyText"/>.</summary>
    public static async Task<BackgroundProcess> StartAsync(string program, IEnumerable<string> arguments, string readyText)
    {
        var start = new ProcessStartInfo("timeout", ["--signal=KILL", $"{(int)Lifetime.TotalSeconds}s", program, .. arguments])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        var started = new BackgroundProcess(Process.Start(start)!, readyText);
        try
        {
            await started.ready.Task.WaitAsync(TimeSpan.FromSeconds(30)).ConfigureAwait(false);
            return started;
        }
        catch
        {
            started.Dispose();
            throw;
        }
    }

    /// <summary>A TCP port on 127.0.0.1 that nothing listens on now.</summary>
    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public void Dispose()
    {
        if (!process.HasExited)
        {
            process.Kill(entireProcessTree: true);
            process.WaitForExit();
        }

        process.Dispose();
    }
}
