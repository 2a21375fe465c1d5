using System.Buffers.Binary;
using System.Diagnostics.CodeAnalysis;
using Apache.Arrow;
using Apache.Arrow.Ipc;

namespace Ingest.Gateway.Cli;

/// <summary>
/// An Arrow IPC file or stream read whole with Apache.Arrow (with the LZ4/zstd codecs, so compressed bodies read
/// too), for <c>arrow inspect</c>. Dispose to release the batches.
/// </summary>
internal sealed class ArrowIpcContent : IDisposable
{
    // Arrow columnar format, "IPC File Format": the file starts with "ARROW1" plus two padding bytes and ends with it.
    private static ReadOnlySpan<byte> FileMagic => "ARROW1"u8;

    // "Encapsulated message format": every message since 0.15 starts with the continuation marker 0xFFFFFFFF, and a
    // stream ends with the marker followed by a zero length.
    private const uint ContinuationMarker = 0xFFFF_FFFF;

    private ArrowIpcContent(bool isFile, Schema schema, List<RecordBatch> batches, IReadOnlySet<CompressionCodecType> compressions)
    {
        IsFile = isFile;
        Schema = schema;
        Batches = batches;
        Compressions = compressions;
    }

    /// <summary>True for the file format (footer, random access), false for the stream format.</summary>
    public bool IsFile { get; }

    /// <summary>The schema with its metadata.</summary>
    public Schema Schema { get; }

    /// <summary>The body compressions the batches use (empty when every body is uncompressed).</summary>
    public IReadOnlySet<CompressionCodecType> Compressions { get; }

    /// <summary>Every record batch, in order.</summary>
    public IReadOnlyList<RecordBatch> Batches { get; }

    /// <summary>Rows over all batches.</summary>
    public long RowCount
    {
        get
        {
            long rows = 0;
            foreach (var batch in Batches)
            {
                rows += batch.Length;
            }

            return rows;
        }
    }

    /// <summary>
    /// Reads <paramref name="bytes"/>. Throws <see cref="InvalidDataException"/> with one line saying what is wrong
    /// (empty, text, truncated, or what Apache.Arrow rejected).
    /// </summary>
    public static ArrowIpcContent Read(byte[] bytes)
    {
        if (bytes.Length == 0)
        {
            throw new InvalidDataException("the file is empty (0 bytes)");
        }

        var isFile = bytes.AsSpan().StartsWith(FileMagic);
        if (isFile)
        {
            if (bytes.Length < (2 * 8) + 4 || !bytes.AsSpan().EndsWith(FileMagic))
            {
                throw new InvalidDataException("it starts like an Arrow IPC file (ARROW1) but its end is missing (no footer and closing ARROW1): truncated, or still being written");
            }
        }
        else
        {
            CheckStreamFraming(bytes);
        }

        var batches = new List<RecordBatch>();
        var codecs = new RecordingCodecFactory();
        try
        {
            using var input = new MemoryStream(bytes, writable: false);
            using var reader = isFile
                ? new ArrowFileReader(input, Apache.Arrow.Memory.MemoryAllocator.Default.Value, codecs, leaveOpen: true)
                : new ArrowStreamReader(input, codecs, leaveOpen: true);
            while (reader.ReadNextRecordBatch() is { } batch)
            {
                batches.Add(batch);
            }

            var schema = reader.Schema ?? throw new InvalidDataException("it holds no schema message");
            if (!isFile && input.Position != bytes.Length)
            {
                // Apache.Arrow ends a stream quietly where a message's length runs past the data; say so instead of
                // showing fewer batches than were written.
                throw new InvalidDataException($"Apache.Arrow stopped reading at byte {input.Position} of {bytes.Length}: a message length there is wrong (corrupt or truncated)");
            }
            return new ArrowIpcContent(isFile, schema, batches, codecs.Requested);
        }
        catch (Exception ex) when (IsReaderFailure(ex))
        {
            foreach (var batch in batches)
            {
                batch.Dispose();
            }

            throw new InvalidDataException(ex is InvalidDataException ? ex.Message : $"Apache.Arrow could not read it ({ex.GetType().Name}: {ex.Message})", ex);
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        foreach (var batch in Batches)
        {
            batch.Dispose();
        }
    }

    // Apache.Arrow reports malformed input with whatever exception the failing step throws (InvalidDataException,
    // EndOfStreamException, ArgumentOutOfRangeException, IndexOutOfRangeException, OverflowException, FlatBuffers'
    // own, ...); all of them mean "not readable Arrow IPC" here. Only fatal runtime errors pass through.
    [SuppressMessage("Design", "CA1031:Do not catch general exception types", Justification = "Input validation: see above.")]
    private static bool IsReaderFailure(Exception ex) => ex is not (OutOfMemoryException or StackOverflowException or ThreadAbortException);

    private static void CheckStreamFraming(byte[] bytes)
    {
        if (bytes.Length < 8)
        {
            throw new InvalidDataException($"it is {bytes.Length} byte(s) long, shorter than any Arrow IPC message (8 bytes of framing)");
        }

        var first = BinaryPrimitives.ReadUInt32LittleEndian(bytes);
        if (first != ContinuationMarker)
        {
            if (LooksLikeText(bytes.AsSpan(0, Math.Min(bytes.Length, 64))))
            {
                throw new InvalidDataException("it looks like text, not Arrow IPC (an Arrow stream starts with bytes FF FF FF FF, a file with ARROW1)");
            }

            throw new InvalidDataException(
                $"it starts with {Convert.ToHexString(bytes.AsSpan(0, 4))}, neither the ARROW1 file magic nor a stream message's continuation marker FFFFFFFF (not Arrow IPC, or legacy (pre-0.15) IPC framing, which is not supported)");
        }

        var end = bytes.AsSpan(bytes.Length - 8);
        if (BinaryPrimitives.ReadUInt32LittleEndian(end) != ContinuationMarker || BinaryPrimitives.ReadUInt32LittleEndian(end[4..]) != 0)
        {
            throw new InvalidDataException("the stream does not end with the end-of-stream marker (FFFFFFFF 00000000): truncated, or still being written");
        }
    }

    // Apache.Arrow does not say whether a batch was compressed; the codecs it asks for do.
    private sealed class RecordingCodecFactory : ICompressionCodecFactory
    {
        private readonly Apache.Arrow.Compression.CompressionCodecFactory _inner = new();

        public HashSet<CompressionCodecType> Requested { get; } = [];

        public ICompressionCodec CreateCodec(CompressionCodecType compressionCodecType) => CreateCodec(compressionCodecType, null);

        public ICompressionCodec CreateCodec(CompressionCodecType compressionCodecType, int? compressionLevel)
        {
            Requested.Add(compressionCodecType);
            return _inner.CreateCodec(compressionCodecType, compressionLevel);
        }
    }

    private static bool LooksLikeText(ReadOnlySpan<byte> start)
    {
        foreach (var b in start)
        {
            if (b is (< 0x20 and not (byte)'\n' and not (byte)'\r' and not (byte)'\t') or 0x7F)
            {
                return false;
            }
        }

        return true;
    }
}
