namespace PrImageReport.Core.Images;

/// <summary>What the first bytes of an archive entry say it holds.</summary>
internal enum ContentKind
{
    Empty,
    Tar,
    Gzip,
    Zstd,
    Json,
    Unknown,
}

/// <summary>
/// Looks at the first block of a forward-only stream and hands back a stream that still starts at byte 0,
/// because the archive cannot be rewound.
/// </summary>
internal static class StreamSniffer
{
    private const int BlockSize = 512;

    public static async Task<(ContentKind Kind, Stream Content)> SniffAsync(Stream stream, CancellationToken ct)
    {
        var head = new byte[BlockSize];
        var read = await ReadAtMostAsync(stream, head, ct);
        return (Classify(head.AsSpan(0, read)), new PrefixedStream(head, read, stream));
    }

    /// <summary>Reads until <paramref name="buffer"/> is full or the stream ends; returns the bytes read.</summary>
    public static async Task<int> ReadAtMostAsync(Stream stream, Memory<byte> buffer, CancellationToken ct)
    {
        var total = 0;
        while (total < buffer.Length)
        {
            var read = await stream.ReadAsync(buffer[total..], ct);
            if (read == 0)
            {
                break;
            }

            total += read;
        }

        return total;
    }

    private static ContentKind Classify(ReadOnlySpan<byte> head)
    {
        if (head.IsEmpty)
        {
            return ContentKind.Empty;
        }

        if (head is [0x1f, 0x8b, ..])
        {
            return ContentKind.Gzip;
        }

        if (head is [0x28, 0xb5, 0x2f, 0xfd, ..])
        {
            return ContentKind.Zstd;
        }

        // A tar with no entries is just zero blocks; Docker's empty layer is exactly that.
        if (head.Length == BlockSize && (!head.ContainsAnyExcept((byte)0) || HasValidTarChecksum(head)))
        {
            return ContentKind.Tar;
        }

        var first = head.TrimStart(" \t\r\n"u8);
        return first is [(byte)'{' or (byte)'[', ..] ? ContentKind.Json : ContentKind.Unknown;
    }

    /// <summary>The header checksum is what every tar dialect (v7, ustar, GNU, PAX) has in common.</summary>
    private static bool HasValidTarChecksum(ReadOnlySpan<byte> header)
    {
        var field = header.Slice(148, 8).Trim(" \0"u8);
        if (field.IsEmpty)
        {
            return false;
        }

        long recorded = 0;
        foreach (var b in field)
        {
            if (b is < (byte)'0' or > (byte)'7')
            {
                return false;
            }

            recorded = (recorded * 8) + (b - '0');
        }

        long sum = 0;
        for (var i = 0; i < header.Length; i++)
        {
            sum += i is >= 148 and < 156 ? ' ' : header[i];
        }

        return sum == recorded;
    }

    /// <summary>Replays the sniffed bytes, then continues with the rest of the stream.</summary>
    private sealed class PrefixedStream(byte[] prefix, int prefixLength, Stream rest) : Stream
    {
        private int _position;

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position
        {
            get => throw new NotSupportedException();
            set => throw new NotSupportedException();
        }

        public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

        public override int Read(Span<byte> buffer)
        {
            if (_position < prefixLength)
            {
                var n = Math.Min(buffer.Length, prefixLength - _position);
                prefix.AsSpan(_position, n).CopyTo(buffer);
                _position += n;
                return n;
            }

            return rest.Read(buffer);
        }

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            if (_position < prefixLength)
            {
                return ValueTask.FromResult(Read(buffer.Span));
            }

            return rest.ReadAsync(buffer, cancellationToken);
        }

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
