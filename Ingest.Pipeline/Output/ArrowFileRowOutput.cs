using Apache.Arrow.Ipc;
using Ingest.Pipeline.Batching;
using Ingest.Pipeline.Captures;
using Ingest.Pipeline.Columns;
using Ingest.Pipeline.Decoding;

namespace Ingest.Pipeline.Output;

/// <summary>
/// Writes decoded rows as an Arrow IPC file with Apache.Arrow's file writer (one record batch per
/// <see cref="WriteBatch"/>), with the stream's units, scales and provenance in the metadata and, if configured,
/// compressed bodies; rejected notifications go to a text writer (stderr in the CLI).
/// </summary>
public sealed class ArrowFileRowOutput : IRowOutput
{
    private readonly Stream _stream;
    private readonly TextWriter _rejections;
    private readonly ArrowBatchEncoder _encoder;
    private readonly ArrowFileWriter _writer;

    /// <summary>Writes to <paramref name="stream"/>, which it owns and disposes.</summary>
    /// <exception cref="ArgumentException">The options are invalid.</exception>
    public ArrowFileRowOutput(Stream stream, TextWriter rejections, StreamSchema schema, StreamDescription description,
        BatchEncodingOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(stream);
        _stream = stream;
        _rejections = rejections;
        _encoder = new ArrowBatchEncoder(schema, description, options);
        _writer = new ArrowFileWriter(stream, _encoder.FileSchema(), leaveOpen: true, _encoder.IpcOptions);
        // Written now so a file with no batch still opens in every reader (schema + footer).
        _writer.WriteStart();
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
        using var batch = _encoder.ToRecordBatch(columns, _encoder.FileSchema());
        _writer.WriteRecordBatch(batch);
        Batches++;
    }

    /// <inheritdoc />
    public void WriteRejected(int lineNumber, RejectReason reason, string detail, ReadOnlySpan<byte> frame) =>
        _rejections.WriteLine($"line {lineNumber}: rejected ({RejectReasons.Name(reason)}): {detail}; bytes: {HexText.Format(frame)}");

    /// <inheritdoc />
    public void Dispose()
    {
        // WriteEnd writes the footer (schema and block offsets) and the closing magic.
        _writer.WriteEnd();
        _writer.Dispose();
        _stream.Dispose();
        _encoder.Dispose();
    }
}
