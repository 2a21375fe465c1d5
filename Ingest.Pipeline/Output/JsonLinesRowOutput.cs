using System.Text.Json;
using Ingest.Pipeline.Captures;
using Ingest.Pipeline.Columns;
using Ingest.Pipeline.Decoding;

namespace Ingest.Pipeline.Output;

/// <summary>
/// Writes one JSON object per row, and one per rejected notification, to a stream (the
/// <c>.expected.jsonl</c> format of firmware-profiles/README.md).
/// </summary>
public sealed class JsonLinesRowOutput : IRowOutput
{
    private readonly Stream _stream;
    private readonly bool _ownsStream;
    private readonly Utf8JsonWriter _writer;

    /// <summary>Writes to <paramref name="stream"/>; disposes it when <paramref name="ownsStream"/>.</summary>
    public JsonLinesRowOutput(Stream stream, bool ownsStream)
    {
        _stream = stream;
        _ownsStream = ownsStream;
        _writer = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = false, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
    }

    /// <inheritdoc />
    public void WriteRows(StreamColumns columns, int fromRow, int toRow)
    {
        ArgumentNullException.ThrowIfNull(columns);
        for (var row = fromRow; row < toRow; row++)
        {
            _writer.WriteStartObject();
            _writer.WritePropertyName(StreamSchema.HubTimeColumn);
            ColumnValueFormatter.WriteJson(_writer, columns.HubTime, row);
            if (columns.DeviceTime is { } deviceTime)
            {
                _writer.WritePropertyName(StreamSchema.DeviceTimeColumn);
                ColumnValueFormatter.WriteJson(_writer, deviceTime, row);
            }

            for (var i = 0; i < columns.ValueColumnCount; i++)
            {
                _writer.WritePropertyName(columns[i].Spec.Name);
                ColumnValueFormatter.WriteJson(_writer, columns[i], row);
            }

            _writer.WriteEndObject();
            EndLine();
        }
    }

    /// <inheritdoc />
    public void WriteBatch(StreamColumns columns)
    {
        // Rows were written as they came.
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
