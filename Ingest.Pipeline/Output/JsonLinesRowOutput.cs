using System.Text.Json;
using Ingest.Pipeline.Columns;

namespace Ingest.Pipeline.Output;

/// <summary>
/// Writes one JSON object per row to a stream, nothing else (rejections go to an <see cref="IRejectionOutput"/>):
/// with <see cref="RowValues.Physical"/> each key names its unit and values are physical quantities; with
/// <see cref="RowValues.Stored"/> the rows are the <c>.expected.jsonl</c> format of firmware-profiles/README.md.
/// </summary>
public sealed class JsonLinesRowOutput : IRowOutput
{
    private readonly Stream _stream;
    private readonly bool _ownsStream;
    private readonly RowValues _values;
    private readonly Utf8JsonWriter _writer;
    private JsonEncodedText[]? _keys;

    /// <summary>Writes to <paramref name="stream"/>; disposes it when <paramref name="ownsStream"/>.</summary>
    public JsonLinesRowOutput(Stream stream, bool ownsStream, RowValues values = RowValues.Stored)
    {
        ArgumentNullException.ThrowIfNull(stream);
        _stream = stream;
        _ownsStream = ownsStream;
        _values = values;
        _writer = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = false, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
    }

    /// <inheritdoc />
    public void WriteRows(StreamColumns columns, int fromRow, int toRow)
    {
        ArgumentNullException.ThrowIfNull(columns);
        _keys ??= [.. Enumerable.Range(0, columns.ValueColumnCount).Select(i => JsonEncodedText.Encode(ColumnKeys.Key(columns[i].Spec, _values)))];
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
                _writer.WritePropertyName(_keys[i]);
                ColumnValueFormatter.WriteJson(_writer, columns[i], row, _values);
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
