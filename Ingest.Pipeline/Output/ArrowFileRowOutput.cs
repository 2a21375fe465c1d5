using Apache.Arrow.Ipc;
using Ingest.Pipeline.Batching;
using Ingest.Pipeline.Columns;

namespace Ingest.Pipeline.Output;

/// <summary>
/// Writes decoded rows as an Arrow IPC file with Apache.Arrow's file writer (one record batch per
/// <see cref="WriteBatch"/>), with the stream's units, scales and provenance (profile id and version, decoder, stream
/// id) in the metadata and, if configured, compressed bodies. Only rows: rejections go to an <see cref="IRejectionOutput"/>.
/// </summary>
public sealed class ArrowFileRowOutput : IRowOutput
{
    private readonly Stream _stream;
    private readonly ArrowBatchEncoder _encoder;
    private readonly ArrowFileWriter _writer;
    private readonly bool _leaveOpen;

    /// <summary>Writes to <paramref name="stream"/>, which it disposes unless <paramref name="leaveOpen"/>.</summary>
    /// <exception cref="ArgumentException">The options are invalid.</exception>
    public ArrowFileRowOutput(Stream stream, StreamSchema schema, StreamDescription description,
        BatchEncodingOptions? options = null, bool leaveOpen = false)
    {
        ArgumentNullException.ThrowIfNull(stream);
        _stream = stream;
        _leaveOpen = leaveOpen;
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
    public void Dispose()
    {
        // WriteEnd writes the footer (schema and block offsets) and the closing magic.
        _writer.WriteEnd();
        _writer.Dispose();
        if (_leaveOpen)
        {
            _stream.Flush();
        }
        else
        {
            _stream.Dispose();
        }

        _encoder.Dispose();
    }
}
