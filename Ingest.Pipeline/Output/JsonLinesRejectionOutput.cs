using System.Text.Json;
using Ingest.Pipeline.Captures;
using Ingest.Pipeline.Decoding;

namespace Ingest.Pipeline.Output;

/// <summary>
/// Writes one JSON object per rejected notification (the rejection records of firmware-profiles/README.md "Expected
/// files") and per unreadable line (reason <see cref="UnreadableReason"/>) to a stream:
/// <c>{"rejected":"truncated","line":4,"detail":"…","hex":"01 48"}</c>.
/// </summary>
public sealed class JsonLinesRejectionOutput : IRejectionOutput, IDisposable
{
    /// <summary>The <c>rejected</c> value of a line that was not readable as a notification.</summary>
    public const string UnreadableReason = "unreadable-line";

    private readonly Stream _stream;
    private readonly bool _ownsStream;
    private readonly Utf8JsonWriter _writer;

    /// <summary>Writes to <paramref name="stream"/>; disposes it when <paramref name="ownsStream"/>.</summary>
    public JsonLinesRejectionOutput(Stream stream, bool ownsStream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        _stream = stream;
        _ownsStream = ownsStream;
        _writer = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = false });
    }

    /// <inheritdoc />
    public void WriteRejected(int lineNumber, RejectReason reason, string detail, ReadOnlySpan<byte> frame)
    {
        _writer.WriteStartObject();
        _writer.WriteString("rejected", RejectReasons.Name(reason));
        _writer.WriteNumber("line", lineNumber);
        _writer.WriteString("detail", detail);
        _writer.WriteString("hex", HexText.Format(frame));
        _writer.WriteEndObject();
        EndLine();
    }

    /// <inheritdoc />
    public void WriteUnreadable(int lineNumber, string problem)
    {
        _writer.WriteStartObject();
        _writer.WriteString("rejected", UnreadableReason);
        _writer.WriteNumber("line", lineNumber);
        _writer.WriteString("detail", problem);
        _writer.WriteEndObject();
        EndLine();
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _writer.Flush();
        _writer.Dispose();
        _stream.Flush();
        if (_ownsStream)
        {
            _stream.Dispose();
        }
    }

    private void EndLine()
    {
        _writer.Flush();
        _stream.WriteByte((byte)'\n');
        _writer.Reset();
    }
}
