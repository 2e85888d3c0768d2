using System.Diagnostics;

namespace PrImageReport.Docker.Endpoints;

/// <summary>
/// The two pipes of one ssh process as one stream. A connection that ends before any byte came back failed in ssh
/// (refused key, unknown host, no docker on the remote): that read throws with ssh's own last words.
/// </summary>
internal sealed class SshStream : Stream
{
    private static readonly TimeSpan ExitGrace = TimeSpan.FromSeconds(10);

    private readonly Process process;
    private readonly Stream input;
    private readonly Stream output;
    private readonly Queue<string> errors = new();
    private bool received;
    private bool disposed;

    public SshStream(Process process)
    {
        this.process = process;
        input = process.StandardInput.BaseStream;
        output = process.StandardOutput.BaseStream;
        process.ErrorDataReceived += (_, e) =>
        {
            if (!string.IsNullOrWhiteSpace(e.Data))
            {
                lock (errors)
                {
                    errors.Enqueue(e.Data.Trim());
                    if (errors.Count > 5)
                    {
                        errors.Dequeue();
                    }
                }
            }
        };
        process.BeginErrorReadLine();
    }

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => true;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        var read = await output.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
        return read > 0 || received ? Received(read) : throw await FailureAsync(null).ConfigureAwait(false);
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override int Read(byte[] buffer, int offset, int count)
    {
        var read = output.Read(buffer, offset, count);
        return read > 0 || received ? Received(read) : throw FailureAsync(null).GetAwaiter().GetResult();
    }

    public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        try
        {
            await input.WriteAsync(buffer, cancellationToken).ConfigureAwait(false);
        }
        catch (IOException e)
        {
            throw await FailureAsync(e).ConfigureAwait(false);
        }
    }

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override void Write(byte[] buffer, int offset, int count)
    {
        try
        {
            input.Write(buffer, offset, count);
        }
        catch (IOException e)
        {
            throw FailureAsync(e).GetAwaiter().GetResult();
        }
    }

    public override async Task FlushAsync(CancellationToken cancellationToken)
    {
        try
        {
            await input.FlushAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (IOException e)
        {
            throw await FailureAsync(e).ConfigureAwait(false);
        }
    }

    public override void Flush() => FlushAsync(CancellationToken.None).GetAwaiter().GetResult();

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing && !disposed)
        {
            disposed = true;
            try
            {
                input.Dispose();
            }
            catch (IOException)
            {
                // ssh already gone: nothing left to close.
            }

            // Closing stdin ends dial-stdio on the remote; ssh itself is not waited for.
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }

            process.Dispose();
        }

        base.Dispose(disposing);
    }

    private int Received(int read)
    {
        received |= read > 0;
        return read;
    }

    private async Task<SshConnectionException> FailureAsync(Exception? cause)
    {
        using (var grace = new CancellationTokenSource(ExitGrace))
        {
            try
            {
                await process.WaitForExitAsync(grace.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return new SshConnectionException("ssh closed the connection and kept running", null, cause);
            }
        }

        // After the exit, the no-argument wait also drains stderr, so its last lines are all in.
        process.WaitForExit();
        string? said;
        lock (errors)
        {
            said = errors.LastOrDefault(line => !line.StartsWith("Warning: Permanently added", StringComparison.Ordinal));
        }

        // ssh prefixes some messages with its own name, which the one-line error already says.
        var reason = said is null ? $"ssh exited with code {process.ExitCode} and said nothing"
            : said.StartsWith("ssh: ", StringComparison.Ordinal) ? said["ssh: ".Length..]
            : said;
        return new SshConnectionException(reason, null, cause);
    }
}
