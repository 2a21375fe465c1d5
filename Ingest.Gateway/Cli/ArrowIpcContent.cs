using System.Buffers;
using System.Buffers.Binary;
using System.Diagnostics.CodeAnalysis;
using System.Text.Unicode;
using Apache.Arrow;
using Apache.Arrow.Ipc;
using Apache.Arrow.Memory;

namespace Ingest.Gateway.Cli;

/// <summary>
/// An Arrow IPC file or stream read batch by batch with Apache.Arrow (with the LZ4/zstd codecs, so compressed bodies
/// read too), for <c>arrow inspect</c>. Memory stays bounded whatever the file holds: the framing of every message is
/// checked against the file's size and the named limits before Apache.Arrow reads it, one batch is in memory at a time,
/// and what Apache.Arrow allocates for a batch (its body, decompressed buffers) is capped.
/// </summary>
internal sealed class ArrowIpcContent : IDisposable
{
    /// <summary>Largest metadata (flatbuffer) part of one message: a schema of thousands of fields fits in far less.</summary>
    public const int MaxMetadataBytes = 16 << 20;

    /// <summary>
    /// Most bytes Apache.Arrow may allocate for one batch (its body plus decompressed buffers). The hub's batches are a
    /// few MB; a bigger batch is another tool's job (DuckDB, pyarrow), and this keeps the command well inside a small hub's memory.
    /// </summary>
    public const int MaxBatchBytes = 64 << 20;

    /// <summary>Most messages read from one Arrow IPC file (their offsets are kept to check the footer's): a day of a hub's batches is far fewer.</summary>
    public const int MaxFileMessages = 1_000_000;

    /// <summary>Batch lengths kept for the "per batch" line; the rest are only counted.</summary>
    public const int BatchLengthsKept = 20;

    // Arrow columnar format, "IPC File Format": the file starts with "ARROW1" plus two padding bytes and ends with the
    // footer, its int32 length and "ARROW1".
    private static ReadOnlySpan<byte> FileMagic => "ARROW1"u8;
    private const int FileHeaderBytes = 8;
    private const int FileTrailerBytes = 4 + 6;

    // "Encapsulated message format": every message since 0.15 starts with the continuation marker 0xFFFFFFFF and an int32
    // metadata length; a stream ends with the marker followed by a zero length.
    private const uint ContinuationMarker = 0xFFFF_FFFF;
    private const int PrefixBytes = 8;

    // Bytes looked at to tell text from binary: a line or two, enough that random bytes are never taken for text.
    private const int TextProbeBytes = 256;

    private readonly List<int> _batchLengths = [];
    private readonly List<RecordBatch>? _kept;

    private ArrowIpcContent(bool isFile, Schema schema, IReadOnlySet<CompressionCodecType> compressions, bool keepBatches)
    {
        IsFile = isFile;
        Schema = schema;
        Compressions = compressions;
        _kept = keepBatches ? [] : null;
    }

    /// <summary>Every record batch, in order, when read with <see cref="Read(byte[])"/>; empty otherwise.</summary>
    public IReadOnlyList<RecordBatch> Batches => _kept ?? [];

    /// <summary>True for the file format (footer, random access), false for the stream format.</summary>
    public bool IsFile { get; }

    /// <summary>The schema with its metadata.</summary>
    public Schema Schema { get; }

    /// <summary>The body compressions the batches use (empty when every body is uncompressed).</summary>
    public IReadOnlySet<CompressionCodecType> Compressions { get; }

    /// <summary>How many record batches the data holds.</summary>
    public long BatchCount { get; private set; }

    /// <summary>Rows of the first <see cref="BatchLengthsKept"/> batches.</summary>
    public IReadOnlyList<int> FirstBatchLengths => _batchLengths;

    /// <summary>Rows over all batches.</summary>
    public long RowCount { get; private set; }

    /// <summary>
    /// Reads the Arrow IPC data in <paramref name="file"/> (a seekable stream), handing each record batch to
    /// <paramref name="visit"/> before it is released. Throws <see cref="InvalidDataException"/> with one line saying what
    /// is wrong (empty, text, truncated, over a limit, or what Apache.Arrow rejected).
    /// </summary>
    public static ArrowIpcContent Read(Stream file, Action<RecordBatch> visit)
    {
        ArgumentNullException.ThrowIfNull(visit);
        return Read(file, visit, keepBatches: false);
    }

    /// <summary>
    /// Reads Arrow IPC data already in memory (a payload, a small file) and keeps every batch in <see cref="Batches"/>;
    /// dispose the result to release them. Throws <see cref="InvalidDataException"/> as the stream overload does.
    /// </summary>
    public static ArrowIpcContent Read(byte[] bytes)
    {
        using var stream = new MemoryStream(bytes, writable: false);
        return Read(stream, visit: null, keepBatches: true);
    }

    /// <summary>Releases the batches kept by <see cref="Read(byte[])"/>.</summary>
    public void Dispose()
    {
        foreach (var batch in Batches)
        {
            batch.Dispose();
        }

        _kept?.Clear();
    }

    private static ArrowIpcContent Read(Stream file, Action<RecordBatch>? visit, bool keepBatches)
    {
        ArgumentNullException.ThrowIfNull(file);
        var length = file.Length;

        Span<byte> head = stackalloc byte[TextProbeBytes];
        var headLength = ReadAt(file, 0, head);
        if (length == 0 && headLength > 0)
        {
            throw new InvalidDataException("it reports a size of 0 bytes yet yields data: a device or special file, not saved Arrow data");
        }

        head = head[..headLength];
        var isFile = head.StartsWith(FileMagic);
        long start;
        long end;
        if (isFile)
        {
            (start, end) = FileMessages(file, length);
        }
        else
        {
            CheckStreamStart(head, length);
            (start, end) = (0, length);
        }

        // A file's footer points at its messages by offset; they must be ones the walk found (see GuardedStream).
        var messageStarts = isFile ? new List<long>() : null;
        var messages = CheckFraming(file, start, end, requireEndMarker: !isFile, messageStarts);
        if (messages == 0)
        {
            throw new InvalidDataException("it holds no messages (not even a schema)");
        }

        var codecs = new RecordingCodecFactory();
        var allocator = new BatchBudgetAllocator();
        ArrowIpcContent? content = null;
        try
        {
            file.Position = start;
            using Stream input = isFile ? new GuardedStream(file, messageStarts!, end) : new WindowStream(file, end - start);
            using ArrowStreamReader reader = isFile
                ? new ArrowFileReader(input, allocator, codecs, leaveOpen: true)
                : new ArrowStreamReader(input, allocator, codecs, leaveOpen: true);
            var schema = reader.Schema ?? throw new InvalidDataException("it holds no schema message");
            content = new ArrowIpcContent(isFile, schema, codecs.Requested, keepBatches);
            while (true)
            {
                allocator.StartBatch();
                var batch = reader.ReadNextRecordBatch();
                if (batch is null)
                {
                    break;
                }

                content.Add(batch);
                if (content._kept is null)
                {
                    using (batch)
                    {
                        visit?.Invoke(batch);
                    }
                }
                else
                {
                    content._kept.Add(batch);
                }
            }

            return content;
        }
        catch (Exception ex) when (IsReaderFailure(ex))
        {
            content?.Dispose();
            throw new InvalidDataException(ex is InvalidDataException ? ex.Message : $"Apache.Arrow could not read it ({ex.GetType().Name}: {ex.Message})", ex);
        }
    }

    private void Add(RecordBatch batch)
    {
        if (_batchLengths.Count < BatchLengthsKept)
        {
            _batchLengths.Add(batch.Length);
        }

        BatchCount++;
        RowCount += batch.Length;
    }

    // Apache.Arrow reports malformed input with whatever exception the failing step throws (InvalidDataException,
    // EndOfStreamException, ArgumentOutOfRangeException, IndexOutOfRangeException, OverflowException, FlatBuffers'
    // own, ...); all of them mean "not readable Arrow IPC" here. Only fatal runtime errors pass through.
    [SuppressMessage("Design", "CA1031:Do not catch general exception types", Justification = "Input validation: see above.")]
    private static bool IsReaderFailure(Exception ex) => ex is not (OutOfMemoryException or StackOverflowException or ThreadAbortException);

    /// <summary>Where the messages of a file lie: after the 8-byte header, before the footer (checked against the size).</summary>
    private static (long Start, long End) FileMessages(Stream file, long length)
    {
        Span<byte> trailer = stackalloc byte[FileTrailerBytes];
        if (length < FileHeaderBytes + FileTrailerBytes || ReadAt(file, length - FileTrailerBytes, trailer) != FileTrailerBytes
            || !trailer[4..].SequenceEqual(FileMagic))
        {
            throw new InvalidDataException("it starts like an Arrow IPC file (ARROW1) but its end is missing (no footer and closing ARROW1): truncated, or still being written");
        }

        var footerLength = BinaryPrimitives.ReadInt32LittleEndian(trailer);
        var end = length - FileTrailerBytes - (long)footerLength;
        if (footerLength <= 0 || end < FileHeaderBytes)
        {
            throw new InvalidDataException($"its footer length ({footerLength} bytes) does not fit in the file ({length} bytes): corrupt");
        }

        // Between header and footer lie the encapsulated messages (apache-arrow JS leaves the schema to the footer).
        return (FileHeaderBytes, end);
    }

    private static void CheckStreamStart(ReadOnlySpan<byte> head, long length)
    {
        if (length == 0)
        {
            throw new InvalidDataException("the file is empty (0 bytes)");
        }

        if (head.Length >= 4 && BinaryPrimitives.ReadUInt32LittleEndian(head) == ContinuationMarker)
        {
            if (head.Length < PrefixBytes)
            {
                throw Truncated(0, $"the file is {length} byte(s) long, shorter than a message's 8-byte prefix");
            }

            return;
        }

        if (LooksLikeText(head))
        {
            throw new InvalidDataException("it looks like text, not Arrow IPC (an Arrow stream starts with bytes FF FF FF FF, a file with ARROW1)");
        }

        if (head.Length < PrefixBytes)
        {
            throw new InvalidDataException($"it is {length} byte(s) long, shorter than any Arrow IPC message (8 bytes of framing)");
        }

        // Before 0.15 a message started with its int32 metadata length, 8-byte aligned with the prefix; only say so when
        // the first bytes could be that, not for every file that is simply something else.
        var legacyLength = BinaryPrimitives.ReadInt32LittleEndian(head);
        if (legacyLength > 0 && (legacyLength + 4) % 8 == 0 && legacyLength + 4L <= length)
        {
            throw new InvalidDataException(
                $"it starts with {Convert.ToHexString(head[..4])}, which reads as the legacy (pre-0.15) IPC framing; only the current framing is supported: write it again with a recent Arrow library");
        }

        throw new InvalidDataException(
            $"it starts with {Convert.ToHexString(head[..4])}: it is not Arrow IPC (an Arrow stream starts with bytes FF FF FF FF, a file with ARROW1)");
    }

    /// <summary>
    /// Walks the messages in [<paramref name="start"/>, <paramref name="end"/>) by their framing alone (the body is
    /// skipped), so every length Apache.Arrow will read is known to fit in the file and the limits before it allocates.
    /// </summary>
    /// <returns>The number of messages before the end-of-stream marker (or the end).</returns>
    private static long CheckFraming(Stream file, long start, long end, bool requireEndMarker, List<long>? messageStarts)
    {
        Span<byte> prefix = stackalloc byte[PrefixBytes];
        var position = start;
        long messages = 0;
        while (position < end)
        {
            if (end - position < PrefixBytes || ReadAt(file, position, prefix) != PrefixBytes)
            {
                throw Truncated(position, $"only {end - position} byte(s) remain where a message's 8-byte prefix belongs");
            }

            if (BinaryPrimitives.ReadUInt32LittleEndian(prefix) != ContinuationMarker)
            {
                throw new InvalidDataException($"at byte {position} there is {Convert.ToHexString(prefix[..4])} where a message's continuation marker FFFFFFFF belongs: corrupt");
            }

            var metadataLength = BinaryPrimitives.ReadInt32LittleEndian(prefix[4..]);
            if (metadataLength == 0)
            {
                // End-of-stream marker: a stream ends here; in a file it is followed by the footer only.
                if (requireEndMarker && position + PrefixBytes != end)
                {
                    throw new InvalidDataException($"{end - position - PrefixBytes} byte(s) follow the end-of-stream marker at byte {position}: two files joined, or corrupt");
                }

                return messages;
            }

            var bodyStart = checked(position + PrefixBytes + metadataLength);
            if (metadataLength < 0 || bodyStart > end)
            {
                throw Truncated(position, $"the message there claims {metadataLength} bytes of metadata but {end - position - PrefixBytes} remain");
            }

            if (metadataLength > MaxMetadataBytes)
            {
                throw new InvalidDataException($"the message at byte {position} has {metadataLength} bytes of metadata, more than the {MaxMetadataBytes} this command reads");
            }

            var bodyLength = ReadBodyLength(file, position + PrefixBytes, metadataLength);
            if (bodyLength < 0 || bodyLength > end - bodyStart)
            {
                throw Truncated(position, $"the message there claims a {bodyLength}-byte body but {end - bodyStart} bytes remain");
            }

            if (bodyLength > MaxBatchBytes)
            {
                throw new InvalidDataException($"the message at byte {position} has a {bodyLength}-byte body, more than the {MaxBatchBytes} bytes per batch this command reads; inspect it with pyarrow or DuckDB");
            }

            if (messageStarts is not null)
            {
                if (messageStarts.Count >= MaxFileMessages)
                {
                    throw new InvalidDataException($"it holds more than {MaxFileMessages} messages, more than this command reads from a file; inspect it with pyarrow or DuckDB");
                }

                messageStarts.Add(position);
            }

            position = bodyStart + bodyLength;
            messages++;
        }

        if (requireEndMarker)
        {
            throw new InvalidDataException("the stream does not end with the end-of-stream marker (FFFFFFFF 00000000): truncated, or still being written");
        }

        return messages;
    }

    private static InvalidDataException Truncated(long position, string detail) =>
        new($"the message at byte {position} is cut off ({detail}): truncated, or still being written");

    /// <summary>The <c>bodyLength</c> field of a flatbuffer <c>Message</c> (Message.fbs: field 3, after version and the header union).</summary>
    private static long ReadBodyLength(Stream file, long position, int metadataLength)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(metadataLength);
        try
        {
            var metadata = buffer.AsSpan(0, metadataLength);
            if (ReadAt(file, position, metadata) != metadataLength)
            {
                throw Truncated(position, "the file ended while it was read");
            }

            // Flatbuffers: the root table's offset, then the table starts with a signed offset back to its vtable, whose
            // entries (after its own and the table's size) are each field's offset in the table, 0 for a default.
            const int BodyLengthVtableEntry = 4 + (2 * 3);
            if (metadataLength < 4)
            {
                throw BadMetadata(position);
            }

            var table = (long)BinaryPrimitives.ReadUInt32LittleEndian(metadata);
            if (table + 4 > metadataLength)
            {
                throw BadMetadata(position);
            }

            var vtable = table - BinaryPrimitives.ReadInt32LittleEndian(metadata[(int)table..]);
            if (vtable < 0 || vtable + 4 > metadataLength)
            {
                throw BadMetadata(position);
            }

            var vtableSize = BinaryPrimitives.ReadUInt16LittleEndian(metadata[(int)vtable..]);
            if (vtableSize < BodyLengthVtableEntry + 2 || vtable + BodyLengthVtableEntry + 2 > metadataLength)
            {
                return 0;
            }

            var field = BinaryPrimitives.ReadUInt16LittleEndian(metadata[(int)(vtable + BodyLengthVtableEntry)..]);
            if (field == 0)
            {
                return 0;
            }

            if (table + field + 8 > metadataLength)
            {
                throw BadMetadata(position);
            }

            return BinaryPrimitives.ReadInt64LittleEndian(metadata[(int)(table + field)..]);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private static InvalidDataException BadMetadata(long position) =>
        new($"the metadata of the message at byte {position} is not a valid Arrow message (flatbuffer offsets point outside it): corrupt");

    private static int ReadAt(Stream file, long position, Span<byte> destination)
    {
        file.Position = position;
        return file.ReadAtLeast(destination, destination.Length, throwOnEndOfStream: false);
    }

    // Text: UTF-8 (a character cut off by the end of the probe is fine) without control characters other than line breaks and tabs.
    private static bool LooksLikeText(ReadOnlySpan<byte> start)
    {
        foreach (var b in start)
        {
            if (b is (< 0x20 and not (byte)'\n' and not (byte)'\r' and not (byte)'\t') or 0x7F)
            {
                return false;
            }
        }

        Span<char> chars = stackalloc char[TextProbeBytes];
        return Utf8.ToUtf16(start, chars, out _, out _, replaceInvalidSequences: false, isFinalBlock: false) is OperationStatus.Done or OperationStatus.NeedMoreData;
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

    /// <summary>
    /// Caps what Apache.Arrow allocates per batch (the body and, for compressed bodies, every decompressed buffer, whose
    /// length the file states) at <see cref="MaxBatchBytes"/>: a few bytes of zstd claiming gigabytes stop here.
    /// </summary>
    private sealed class BatchBudgetAllocator : MemoryAllocator
    {
        private readonly MemoryAllocator _inner = Default.Value;
        private long _allocated;

        public void StartBatch() => _allocated = 0;

        protected override IMemoryOwner<byte> AllocateInternal(int length, out int bytesAllocated)
        {
            _allocated += length;
            if (_allocated > MaxBatchBytes)
            {
                throw new InvalidDataException($"a batch needs more than the {MaxBatchBytes} bytes this command reads per batch (its buffers, decompressed); corrupt, or inspect it with pyarrow or DuckDB");
            }

            bytesAllocated = length;
            return _inner.Allocate(length);
        }
    }

    /// <summary>
    /// The file as Apache.Arrow's file reader sees it: it may move to the header, the footer and trailer (at or after
    /// <paramref name="messagesEnd"/>), and the starts of the messages the framing walk checked; a footer block pointing
    /// anywhere else would make it read an unchecked length, so that is refused as corrupt.
    /// </summary>
    private sealed class GuardedStream(Stream inner, List<long> messageStarts, long messagesEnd) : Stream
    {
        public override bool CanRead => true;
        public override bool CanSeek => true;
        public override bool CanWrite => false;
        public override long Length => inner.Length;

        public override long Position
        {
            get => inner.Position;
            set
            {
                if (value >= FileHeaderBytes && value < messagesEnd && messageStarts.BinarySearch(value) < 0)
                {
                    throw new InvalidDataException($"the footer points at byte {value}, where no message starts: corrupt");
                }

                inner.Position = value;
            }
        }

        public override int Read(byte[] buffer, int offset, int count) => inner.Read(buffer, offset, count);

        public override int Read(Span<byte> buffer) => inner.Read(buffer);

        public override long Seek(long offset, SeekOrigin origin)
        {
            Position = origin switch
            {
                SeekOrigin.Begin => offset,
                SeekOrigin.Current => inner.Position + offset,
                _ => inner.Length + offset,
            };
            return inner.Position;
        }

        public override void Flush()
        {
        }

        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }

    /// <summary>A read-only window of <paramref name="length"/> bytes from the current position of a stream.</summary>
    private sealed class WindowStream(Stream inner, long length) : Stream
    {
        private long _remaining = length;

        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

        public override int Read(Span<byte> buffer)
        {
            if (_remaining <= 0)
            {
                return 0;
            }

            var read = inner.Read(buffer[..(int)Math.Min(buffer.Length, _remaining)]);
            _remaining -= read;
            return read;
        }

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
