using Ingest.Arrow;
using Ingest.Pipeline.Batching;
using Ingest.Pipeline.Captures;
using Ingest.Pipeline.Columns;
using Ingest.Pipeline.Decoding;

namespace Ingest.Pipeline.Output;

/// <summary>
/// Writes decoded rows as an Arrow IPC file (one record batch per <see cref="WriteBatch"/>), with the stream's
/// units, scales and provenance in the metadata; rejected notifications go to a text writer (stderr in the CLI).
/// </summary>
public sealed class ArrowFileRowOutput : IRowOutput
{
    private readonly Stream _stream;
    private readonly TextWriter _rejections;
    private readonly ArrowBatchEncoder _encoder;
    private readonly ArrowBufferWriter _buffer = new();
    private readonly ArrowFileWriter _writer;

    /// <summary>Writes to <paramref name="stream"/>, which it owns and disposes.</summary>
    public ArrowFileRowOutput(Stream stream, TextWriter rejections, StreamSchema schema, StreamDescription description)
    {
        _stream = stream;
        _rejections = rejections;
        _encoder = new ArrowBatchEncoder(schema, description);
        _writer = new ArrowFileWriter(_buffer, _encoder.FileSchema());
        _writer.WriteStart();
        Flush();
    }

    /// <summary>Record batches written so far.</summary>
    public int Batches { get; private set; }

    /// <inheritdoc />
    public void WriteRows(StreamColumns columns, int fromRow, int toRow)
    {
        // Rows are written as whole batches in WriteBatch.
    }

    /// <inheritdoc />
    public void WriteBatch(StreamColumns columns)
    {
        ArgumentNullException.ThrowIfNull(columns);
        _writer.WriteBatch(columns.RowCount, _encoder.Columns(columns));
        Batches++;
        Flush();
    }

    /// <inheritdoc />
    public void WriteRejected(int lineNumber, RejectReason reason, string detail, ReadOnlySpan<byte> frame) =>
        _rejections.WriteLine($"line {lineNumber}: rejected ({RejectReasons.Name(reason)}): {detail}; bytes: {HexText.Format(frame)}");

    /// <inheritdoc />
    public void Dispose()
    {
        _writer.Finish();
        Flush();
        _stream.Dispose();
        _buffer.Dispose();
    }

    // The file writer tracks block offsets itself, so what it has written can go to the file and the buffer be reused.
    private void Flush()
    {
        _stream.Write(_buffer.WrittenSpan);
        _buffer.Clear();
    }
}
