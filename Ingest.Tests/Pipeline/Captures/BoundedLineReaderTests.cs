using System.Text;
using Ingest.Pipeline.Captures;

namespace Ingest.Tests.Pipeline.Captures;

public class BoundedLineReaderTests
{
    private static List<BoundedLine> ReadAll(Stream stream, int maxLineBytes)
    {
        var reader = new BoundedLineReader(stream, maxLineBytes);
        var lines = new List<BoundedLine>();
        while (reader.TryReadLine(out var line))
        {
            lines.Add(line);
        }

        return lines;
    }

    private static MemoryStream Bytes(string text) => new(Encoding.UTF8.GetBytes(text));

    [Fact]
    public void TryReadLine_LfCrLfAndNoFinalBreak_SplitsLines()
    {
        var lines = ReadAll(Bytes("a\r\nbb\n\nccc"), 16);

        Assert.Equal(["a", "bb", "", "ccc"], lines.Select(l => l.Text));
        Assert.Equal([1, 2, 3, 4], lines.Select(l => l.Number));
    }

    [Fact]
    public void TryReadLine_EmptyStream_NoLines()
    {
        Assert.Empty(ReadAll(Bytes(""), 16));
    }

    [Fact]
    public void TryReadLine_OverlongLine_ReturnsItsLengthOnlyAndReadsOn()
    {
        var lines = ReadAll(Bytes("12\n" + new string('x', 100) + "\n34"), 10);

        Assert.Equal("12", lines[0].Text);
        Assert.Null(lines[1].Text);
        Assert.Equal(100, lines[1].Length);
        Assert.Equal("34", lines[2].Text);
    }

    [Fact]
    public void TryReadLine_HugeStreamWithoutBreak_AllocatesNoMoreThanItsBuffers()
    {
        // 64 MiB of 'a' without a line break, produced on the fly: reading must cost the buffers, not the line.
        using var stream = new RepeatingStream((byte)'a', 64L << 20);
        var reader = new BoundedLineReader(stream, 4096);
        var before = GC.GetAllocatedBytesForCurrentThread();

        Assert.True(reader.TryReadLine(out var line));
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Null(line.Text);
        Assert.Equal(64L << 20, line.Length);
        Assert.False(reader.TryReadLine(out _));
        Assert.True(allocated < 1 << 20, $"allocated {allocated} bytes");
    }

    [Fact]
    public void TryReadLine_LinesAcrossReadBuffers_Joined()
    {
        var text = string.Concat(Enumerable.Range(0, 50_000).Select(i => $"{i:x}\n"));
        using var stream = new TrickleStream(Encoding.ASCII.GetBytes(text), 7);

        var lines = ReadAll(stream, 4096);

        Assert.Equal(50_000, lines.Count);
        Assert.Equal("c34f", lines[49_999].Text);
    }

    [Theory]
    [InlineData(new byte[] { 0x31, 0x00, 0x0A }, "control byte 0x00")]
    [InlineData(new byte[] { 0x31, 0x0A, 0x1B, 0x5B, 0x0A }, "line 2")]
    [InlineData(new byte[] { 0x31, 0xFF, 0x0A }, "not valid UTF-8")]
    [InlineData(new byte[] { 0x31, 0xC3, 0x0A }, "not valid UTF-8")]
    public void TryReadLine_BinaryBytes_Refused(byte[] bytes, string message)
    {
        var exception = Assert.Throws<CaptureFormatException>(() => ReadAll(new MemoryStream(bytes), 16));

        Assert.StartsWith("is binary, not a text capture", exception.Message, StringComparison.Ordinal);
        Assert.Contains(message, exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TryReadLine_ByteOrderMarkAndUnicode_TextKept()
    {
        var lines = ReadAll(new MemoryStream([0xEF, 0xBB, 0xBF, .. "10 \u00e9\t\n"u8]), 16);

        Assert.Equal("10 \u00e9\t", Assert.Single(lines).Text);
    }

    /// <summary>A stream of <c>length</c> copies of one byte, made as it is read.</summary>
    private sealed class RepeatingStream(byte value, long length) : Stream
    {
        private long _position;

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => length;

        public override long Position { get => _position; set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count)
        {
            var n = (int)Math.Min(count, length - _position);
            buffer.AsSpan(offset, n).Fill(value);
            _position += n;
            return n;
        }

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }

    /// <summary>Returns at most <c>chunk</c> bytes per read, as a pipe may.</summary>
    private sealed class TrickleStream(byte[] bytes, int chunk) : Stream
    {
        private int _position;

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => bytes.Length;

        public override long Position { get => _position; set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count)
        {
            var n = Math.Min(Math.Min(count, chunk), bytes.Length - _position);
            bytes.AsSpan(_position, n).CopyTo(buffer.AsSpan(offset));
            _position += n;
            return n;
        }

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
