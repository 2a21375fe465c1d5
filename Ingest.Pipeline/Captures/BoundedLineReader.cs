using System.Buffers;
using System.Text;
using System.Text.Unicode;

namespace Ingest.Pipeline.Captures;

/// <summary>
/// Splits a byte stream into text lines without ever holding more than <see cref="MaxLineBytes"/> of one line: the
/// rest of an over-long line is read past and only counted, so a file (or a pipe) without a line break costs one
/// read buffer, whatever its size. Binary input (NUL or other control bytes, invalid UTF-8) stops the reading with a
/// <see cref="CaptureFormatException"/>. Not thread-safe.
/// </summary>
public sealed class BoundedLineReader
{
    /// <summary>Bytes read from the stream at a time.</summary>
    public const int ReadBufferBytes = 64 * 1024;

    // C0 control bytes except TAB (0x09), LF (0x0A) and CR (0x0D), and DEL: none occurs in a text capture.
    private static readonly SearchValues<byte> s_controlBytes = SearchValues.Create(
        [0, 1, 2, 3, 4, 5, 6, 7, 8, 0x0B, 0x0C, 0x0E, 0x0F, 0x10, 0x11, 0x12, 0x13, 0x14, 0x15, 0x16, 0x17, 0x18, 0x19,
         0x1A, 0x1B, 0x1C, 0x1D, 0x1E, 0x1F, 0x7F]);

    private readonly Stream _stream;
    private readonly byte[] _buffer = new byte[ReadBufferBytes];
    private readonly byte[] _line;
    private int _start;
    private int _end;
    private long _bufferOffset;
    private bool _endOfStream;
    private bool _atStart = true;
    private int _lineNumber;

    /// <summary>Reads lines of at most <paramref name="maxLineBytes"/> bytes from <paramref name="stream"/>.</summary>
    public BoundedLineReader(Stream stream, int maxLineBytes)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxLineBytes, 1);
        _stream = stream;
        MaxLineBytes = maxLineBytes;
        _line = new byte[maxLineBytes];
    }

    /// <summary>Longest line returned as text; a longer one is returned with its length only.</summary>
    public int MaxLineBytes { get; }

    /// <summary>Reads the next line (without its line break).</summary>
    /// <returns>False at the end of the stream.</returns>
    /// <exception cref="CaptureFormatException">The stream holds a control byte or invalid UTF-8: it is not text.</exception>
    public bool TryReadLine(out BoundedLine line)
    {
        long length = 0;
        var sawAnything = false;
        while (true)
        {
            if (_start == _end && !Fill())
            {
                if (!sawAnything)
                {
                    line = default;
                    return false;
                }

                line = Finish(length);
                return true;
            }

            sawAnything = true;
            var available = _buffer.AsSpan(_start, _end - _start);
            var newline = available.IndexOf((byte)'\n');
            var chunk = newline < 0 ? available : available[..newline];
            var control = chunk.IndexOfAny(s_controlBytes);
            if (control >= 0)
            {
                var offset = _bufferOffset + _start + control;
                throw new CaptureFormatException(
                    $"is binary, not a text capture (control byte 0x{chunk[control]:x2} at byte offset {offset}, line {_lineNumber + 1})");
            }

            if (length + chunk.Length <= MaxLineBytes)
            {
                chunk.CopyTo(_line.AsSpan((int)length));
            }

            // Past the limit the bytes are only counted: the line is reported by its length, never held.
            length += chunk.Length;
            _start += chunk.Length;
            if (newline >= 0)
            {
                _start++;
                line = Finish(length);
                return true;
            }
        }
    }

    private BoundedLine Finish(long length)
    {
        if (_lineNumber == int.MaxValue)
        {
            throw new CaptureFormatException($"has more than {int.MaxValue} lines; split it into smaller captures");
        }

        _lineNumber++;
        if (length > MaxLineBytes)
        {
            return new BoundedLine(_lineNumber, null, length);
        }

        var bytes = _line.AsSpan(0, (int)length);
        if (bytes.EndsWith((byte)'\r'))
        {
            bytes = bytes[..^1];
        }

        if (!Utf8.IsValid(bytes))
        {
            throw new CaptureFormatException($"is binary, not a text capture (line {_lineNumber} is not valid UTF-8)");
        }

        return new BoundedLine(_lineNumber, Encoding.UTF8.GetString(bytes), length);
    }

    private bool Fill()
    {
        if (_endOfStream)
        {
            return false;
        }

        _bufferOffset += _end;
        _start = 0;
        _end = _stream.Read(_buffer, 0, _buffer.Length);
        if (_end == 0)
        {
            _endOfStream = true;
            return false;
        }

        if (_atStart)
        {
            _atStart = false;
            // A UTF-8 byte order mark (as some Windows editors write) is not part of the first line.
            if (_buffer.AsSpan(0, _end).StartsWith("\uFEFF"u8))
            {
                _start = 3;
            }
        }

        return true;
    }
}

/// <summary>One line read by <see cref="BoundedLineReader"/>.</summary>
/// <param name="Number">1-based line number.</param>
/// <param name="Text">The line without its line break, or null when it was longer than the reader's limit.</param>
/// <param name="Length">The line's length in bytes (all of it, also when over the limit).</param>
public readonly record struct BoundedLine(int Number, string? Text, long Length);
