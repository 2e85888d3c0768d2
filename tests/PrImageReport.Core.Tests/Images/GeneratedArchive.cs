using System.Text;

namespace PrImageReport.Core.Tests.Images;

/// <summary>
/// A tar archive produced on the fly from headers and runs of zeros, so a test can pass an entry larger than
/// any byte array or MemoryStream could hold without the test holding it either.
/// </summary>
internal sealed class GeneratedArchive : ForwardOnlyStream
{
    private const int Block = 512;
    private readonly List<(byte[]? Bytes, long Zeros)> _segments = [];
    private int _segment;
    private long _offset;

    public GeneratedArchive Header(string name, long size, char type = '0')
    {
        var header = new byte[Block];
        Encoding.ASCII.GetBytes(name).CopyTo(header, 0);
        Field(header, 100, 8, 0b110_100_100);
        Field(header, 108, 8, 0);
        Field(header, 116, 8, 0);
        Field(header, 124, 12, size);
        Field(header, 136, 12, 0);
        header[156] = (byte)type;
        "ustar\000"u8.CopyTo(header.AsSpan(257));
        header.AsSpan(148, 8).Fill((byte)' ');
        var sum = header.Sum(b => (long)b);
        Encoding.ASCII.GetBytes(Convert.ToString(sum, 8).PadLeft(6, '0') + "\0 ").CopyTo(header, 148);
        _segments.Add((header, 0));
        return this;
    }

    /// <summary>Entry content: <paramref name="size"/> zero bytes, padded to whole blocks.</summary>
    public GeneratedArchive Zeros(long size)
    {
        _segments.Add((null, size + Padding(size)));
        return this;
    }

    public GeneratedArchive Content(byte[] content)
    {
        _segments.Add((content, 0));
        _segments.Add((null, Padding(content.Length)));
        return this;
    }

    public GeneratedArchive End()
    {
        _segments.Add((null, 2 * Block));
        return this;
    }

    public static long Padding(long size) => (Block - (size % Block)) % Block;

    public override int Read(Span<byte> buffer)
    {
        while (_segment < _segments.Count)
        {
            var (bytes, zeros) = _segments[_segment];
            var length = bytes?.Length ?? zeros;
            if (_offset == length)
            {
                _segment++;
                _offset = 0;
                continue;
            }

            var n = (int)Math.Min(buffer.Length, length - _offset);
            if (bytes is null)
            {
                buffer[..n].Clear();
            }
            else
            {
                bytes.AsSpan((int)_offset, n).CopyTo(buffer);
            }

            _offset += n;
            return n;
        }

        return 0;
    }

    private static void Field(byte[] header, int offset, int length, long value) =>
        Encoding.ASCII.GetBytes(Convert.ToString(value, 8).PadLeft(length - 1, '0') + "\0").CopyTo(header, offset);
}
