using System.Buffers.Binary;
using System.Numerics;
using Ingest.Arrow.FlatBuffers;

namespace Ingest.Arrow.Ipc;

/// <summary>
/// Reads one IPC stream or file held in memory. Positions are ints because the input is one
/// <see cref="ReadOnlyMemory{T}"/>; all arithmetic on wire values is done in long and range-checked first.
/// </summary>
internal sealed class IpcReader
{
    private readonly ReadOnlyMemory<byte> _data;
    private readonly ArrowIpcFormat _format;
    private readonly Dictionary<long, ArrowArray> _dictionaries = [];
    private readonly Dictionary<long, ArrowField> _dictionaryValueFields = [];
    private readonly List<ArrowRecordBatch> _batches = [];
    private ArrowSchema? _schema;
    private int _dictionaryBatchCount;

    public IpcReader(ReadOnlyMemory<byte> data, ArrowIpcFormat format)
    {
        _data = data;
        _format = format;
    }

    public ArrowIpcContent ReadStream()
    {
        var limit = _data.Length;
        if (limit == 0)
        {
            ThrowHelper.ThrowFormat("empty input: an Arrow IPC stream starts with a Schema message");
        }

        var position = 0;
        var first = ReadPrefix(position, limit, out var size);
        if (first < 0)
        {
            ThrowHelper.ThrowFormat("the stream ends before its Schema message", 0);
        }

        position = ReadMessage(position, size, limit, Wire.HeaderSchema, expectedBodyLength: -1);
        while (position < limit)
        {
            if (ReadPrefix(position, limit, out size) < 0)
            {
                break;
            }

            position = ReadMessage(position, size, limit, expectedHeader: 0, expectedBodyLength: -1);
        }

        return new ArrowIpcContent(ArrowIpcFormat.Stream, _schema!, _batches, _dictionaryBatchCount);
    }

    public ArrowIpcContent ReadFile()
    {
        var span = _data.Span;
        // Leading magic (8 with padding), footer length (4) and trailing magic (6) at least (C++ reader.cc).
        if (span.Length < 18)
        {
            ThrowHelper.ThrowFormat($"input of {span.Length} bytes is too small to be an Arrow IPC file");
        }

        if (!span.StartsWith(Wire.FileMagic))
        {
            ThrowHelper.ThrowFormat("not an Arrow IPC file: the leading magic \"ARROW1\" is missing", 0);
        }

        if (!span.EndsWith(Wire.FileMagic))
        {
            ThrowHelper.ThrowFormat("not an Arrow IPC file: the trailing magic \"ARROW1\" is missing (truncated file?)", span.Length - 6);
        }

        var footerLength = BinaryPrimitives.ReadInt32LittleEndian(span.Slice(span.Length - 10));
        if (footerLength <= 0 || footerLength > span.Length - 18)
        {
            ThrowHelper.ThrowFormat($"file footer length {footerLength} is invalid for a {span.Length}-byte file", span.Length - 10);
        }

        var footerStart = span.Length - 10 - footerLength;
        var footer = FlatBufferTable.Root(span.Slice(footerStart, footerLength), footerStart, "Footer");
        CheckVersion(footer.GetInt16(0, 0), footerStart);
        var schema = SchemaReader.Read(footer.GetRequiredTable(1, "Footer.schema"));
        var dictionaryBlocks = footer.GetVector(2, Wire.BlockSize, 8, ArrowLimits.MaxDictionaryCount, "Footer.dictionaries");
        var batchBlocks = footer.GetVector(3, Wire.BlockSize, 8, ArrowLimits.MaxRecordBatchCount, "Footer.recordBatches");

        // Readers use the footer's schema (Arrow C++ never reads the embedded one, and apache-arrow JS
        // does not even write it). When the embedded stream has a Schema message it must equal the footer's.
        var streamEnd = footerStart;
        if (ReadPrefix(8, streamEnd, out var size) >= 0 && PeekHeader(8, size) == Wire.HeaderSchema)
        {
            ReadMessage(8, size, streamEnd, Wire.HeaderSchema, expectedBodyLength: -1);
            if (!schema.Equals(_schema))
            {
                ThrowHelper.ThrowFormat("the file footer's schema differs from the embedded stream's Schema message", footerStart);
            }
        }
        else
        {
            SetSchema(schema);
        }

        ReadBlocks(dictionaryBlocks, streamEnd, Wire.HeaderDictionaryBatch);
        ReadBlocks(batchBlocks, streamEnd, Wire.HeaderRecordBatch);
        return new ArrowIpcContent(ArrowIpcFormat.File, _schema!, _batches, _dictionaryBatchCount);
    }

    private void SetSchema(ArrowSchema schema)
    {
        _schema = schema;
        foreach (var field in schema.DictionaryFields)
        {
            _dictionaryValueFields[field.Dictionary!.Id] = SchemaEncoding.ValueField(field);
        }
    }

    private byte PeekHeader(int position, int metadataSize)
    {
        var metadataStart = position + 8;
        var message = FlatBufferTable.Root(_data.Span.Slice(metadataStart, metadataSize), metadataStart, "Message");
        return message.GetByte(1, 0);
    }

    private void ReadBlocks(FlatBufferVector blocks, int streamEnd, byte header)
    {
        // Writers list blocks in stream order. Requiring ascending, non-overlapping blocks keeps the work
        // linear in the input: a hostile footer cannot make us validate one large body a million times.
        long previousEnd = 8;
        for (var i = 0; i < blocks.Count; i++)
        {
            var block = blocks.GetStruct(i);
            var offset = BinaryPrimitives.ReadInt64LittleEndian(block);
            var metadataLength = BinaryPrimitives.ReadInt32LittleEndian(block.Slice(8));
            var bodyLength = BinaryPrimitives.ReadInt64LittleEndian(block.Slice(16));
            // Block.offset points at the message's continuation marker (protocols.md §1.3).
            if (offset < 8 || offset >= streamEnd || (offset & 7) != 0)
            {
                ThrowHelper.ThrowFormat($"footer block {i} offset {offset} is outside the file's message area or not 8-aligned");
            }

            if (offset < previousEnd)
            {
                ThrowHelper.ThrowFormat($"footer block {i} at {offset} overlaps or precedes the previous block", offset);
            }

            if (ReadPrefix((int)offset, streamEnd, out var size) < 0)
            {
                ThrowHelper.ThrowFormat($"footer block {i} points at an end-of-stream marker", offset);
            }

            if (metadataLength != 8 + size)
            {
                ThrowHelper.ThrowFormat($"footer block {i} metadata length {metadataLength} differs from the message's {8 + size}", offset);
            }

            previousEnd = ReadMessage((int)offset, size, streamEnd, header, bodyLength);
        }
    }

    /// <summary>Reads the 8-byte prefix at <paramref name="position"/>; returns -1 for end-of-stream, else the FlatBuffer start.</summary>
    private int ReadPrefix(int position, int limit, out int metadataSize)
    {
        metadataSize = 0;
        var span = _data.Span;
        var remaining = limit - position;
        if (remaining < 4)
        {
            ThrowHelper.ThrowFormat($"truncated message prefix: {remaining} bytes left", position);
        }

        var marker = BinaryPrimitives.ReadUInt32LittleEndian(span.Slice(position));
        if (marker == 0)
        {
            // Pre-0.15 end-of-stream: a bare zero length (C++ still accepts it).
            return -1;
        }

        if (marker != Wire.ContinuationMarker)
        {
            ThrowHelper.ThrowFormat("message does not start with the continuation marker 0xFFFFFFFF: legacy (pre-0.15) IPC framing is not supported, or the input is not Arrow IPC", position);
        }

        if (remaining < 8)
        {
            ThrowHelper.ThrowFormat("truncated message prefix: the metadata length is missing", position);
        }

        metadataSize = BinaryPrimitives.ReadInt32LittleEndian(span.Slice(position + 4));
        if (metadataSize == 0)
        {
            return -1;
        }

        if (metadataSize < 0 || metadataSize > ArrowLimits.MaxMetadataSize)
        {
            ThrowHelper.ThrowFormat($"message metadata length {metadataSize} is outside 1..{ArrowLimits.MaxMetadataSize} (ArrowLimits.MaxMetadataSize)", position + 4);
        }

        // Writers pad so 8 + metadata_size is a multiple of 8; the next message and the body stay aligned.
        if ((metadataSize & 7) != 0)
        {
            ThrowHelper.ThrowFormat($"message metadata length {metadataSize} is not a multiple of 8", position + 4);
        }

        if (metadataSize > remaining - 8)
        {
            ThrowHelper.ThrowFormat($"truncated message: metadata of {metadataSize} bytes but only {remaining - 8} left", position);
        }

        return position + 8;
    }

    /// <summary>Reads the message whose prefix is at <paramref name="position"/>; returns the position after its body.</summary>
    private int ReadMessage(int position, int metadataSize, int limit, byte expectedHeader, long expectedBodyLength)
    {
        var span = _data.Span;
        var metadataStart = position + 8;
        var message = FlatBufferTable.Root(span.Slice(metadataStart, metadataSize), metadataStart, "Message");
        CheckVersion(message.GetInt16(0, 0), metadataStart);
        var header = message.GetByte(1, 0);
        var bodyLength = message.GetInt64(3, 0);
        var bodyStart = metadataStart + metadataSize;
        if (bodyLength < 0 || bodyLength > ArrowLimits.MaxBodyLength)
        {
            ThrowHelper.ThrowFormat($"message body length {bodyLength} is outside 0..{ArrowLimits.MaxBodyLength}", metadataStart);
        }

        if ((bodyLength & 7) != 0)
        {
            ThrowHelper.ThrowFormat($"message body length {bodyLength} is not a multiple of 8", metadataStart);
        }

        if (bodyLength > limit - bodyStart)
        {
            ThrowHelper.ThrowFormat($"truncated message: body of {bodyLength} bytes but only {limit - bodyStart} left", bodyStart);
        }

        if (expectedBodyLength >= 0 && expectedBodyLength != bodyLength)
        {
            ThrowHelper.ThrowFormat($"footer block body length {expectedBodyLength} differs from the message's {bodyLength}", position);
        }

        if (expectedHeader != 0 && header != expectedHeader)
        {
            ThrowHelper.ThrowFormat($"expected a {Wire.HeaderName(expectedHeader)} message but found {Wire.HeaderName(header)}", position);
        }

        var body = _data.Slice(bodyStart, (int)bodyLength);
        var table = message.GetRequiredTable(2, "Message.header");
        switch (header)
        {
            case Wire.HeaderSchema:
                if (_schema is not null)
                {
                    ThrowHelper.ThrowFormat("a second Schema message", position);
                }

                SetSchema(SchemaReader.Read(table));
                break;
            case Wire.HeaderDictionaryBatch:
                ReadDictionaryBatch(table, body, bodyStart, position);
                break;
            case Wire.HeaderRecordBatch:
                // Arrow C++ requires every dictionary before the first record batch of a stream.
                if (_dictionaries.Count != _dictionaryValueFields.Count)
                {
                    ThrowHelper.ThrowFormat($"record batch before all {_dictionaryValueFields.Count} dictionaries were sent", position);
                }

                if (_batches.Count >= ArrowLimits.MaxRecordBatchCount)
                {
                    ThrowHelper.ThrowLimit("record batch count", _batches.Count + 1, ArrowLimits.MaxRecordBatchCount);
                }

                var metadata = (IReadOnlyList<KeyValuePair<string, string>>?)SchemaReader.ReadMetadata(message, 4, new StringBudget()) ?? [];
                var (length, columns) = ReadRecordBatch(table, body, bodyStart, _schema!.Fields);
                _batches.Add(new ArrowRecordBatch(_schema, length, columns, metadata));
                break;
            default:
                ThrowHelper.ThrowFormat($"{Wire.HeaderName(header)} messages are not supported", position);
                break;
        }

        return bodyStart + (int)bodyLength;
    }

    private void ReadDictionaryBatch(FlatBufferTable table, ReadOnlyMemory<byte> body, int bodyStart, int position)
    {
        var id = table.GetInt64(0, 0);
        if (!_dictionaryValueFields.TryGetValue(id, out var field))
        {
            ThrowHelper.ThrowFormat($"dictionary batch for id {id}, which no schema field uses", position);
        }

        if (table.GetBool(2))
        {
            ThrowHelper.ThrowFormat($"dictionary delta batches (id {id}) are not supported", position);
        }

        if (_format == ArrowIpcFormat.File && _dictionaries.ContainsKey(id))
        {
            // Arrow C++: "Unsupported dictionary replacement in IPC file".
            ThrowHelper.ThrowFormat($"dictionary id {id} is replaced, which IPC files do not allow", position);
        }

        var data = table.GetRequiredTable(1, "DictionaryBatch.data");
        var (_, columns) = ReadRecordBatch(data, body, bodyStart, [field]);
        _dictionaries[id] = columns[0];
        _dictionaryBatchCount++;
    }

    private (int Length, ArrowArray[] Columns) ReadRecordBatch(FlatBufferTable batch, ReadOnlyMemory<byte> body, int bodyStart, IReadOnlyList<ArrowField> fields)
    {
        if (batch.TryGetTable(3, "RecordBatch.compression", out var compression))
        {
            var codec = compression.GetByte(0, 0) switch
            {
                0 => "LZ4_FRAME",
                1 => "ZSTD",
                var c => $"codec {c}",
            };
            ThrowHelper.ThrowFormat($"compressed record batch bodies ({codec}) are not supported; write uncompressed IPC", bodyStart);
        }

        var length = batch.GetInt64(0, 0);
        if (length < 0 || length > int.MaxValue)
        {
            ThrowHelper.ThrowFormat($"record batch length {length} is outside 0..{int.MaxValue}", bodyStart);
        }

        var nodes = batch.GetVector(1, Wire.StructSize16, 8, ArrowLimits.MaxNodeCount, "RecordBatch.nodes");
        var buffers = batch.GetVector(2, Wire.StructSize16, 8, ArrowLimits.MaxBufferCount, "RecordBatch.buffers");
        if (!nodes.IsPresent || !buffers.IsPresent)
        {
            ThrowHelper.ThrowFormat("required RecordBatch.nodes or RecordBatch.buffers is missing", bodyStart);
        }

        var cursor = new Cursor(body, bodyStart);
        var columns = new ArrowArray[fields.Count];
        for (var i = 0; i < columns.Length; i++)
        {
            columns[i] = ReadArray(fields[i], nodes, buffers, ref cursor, 1);
            if (columns[i].Length != length)
            {
                ThrowHelper.ThrowFormat($"column '{fields[i].Name}' has {columns[i].Length} rows but the batch {length}", bodyStart);
            }
        }

        if (cursor.Node != nodes.Count || cursor.Buffer != buffers.Count)
        {
            ThrowHelper.ThrowFormat($"record batch has {nodes.Count} field nodes and {buffers.Count} buffers but the schema uses {cursor.Node} and {cursor.Buffer}", bodyStart);
        }

        return ((int)length, columns);
    }

    private ArrowArray ReadArray(ArrowField field, FlatBufferVector nodes, FlatBufferVector buffers, ref Cursor cursor, int depth)
    {
        if (depth > ArrowLimits.MaxNestingDepth)
        {
            ThrowHelper.ThrowLimit("array nesting depth", depth, ArrowLimits.MaxNestingDepth);
        }

        if (cursor.Node >= nodes.Count)
        {
            ThrowHelper.ThrowFormat("record batch has fewer field nodes than its schema needs", cursor.BodyStart);
        }

        var node = nodes.GetStruct(cursor.Node++);
        var length64 = BinaryPrimitives.ReadInt64LittleEndian(node);
        var nullCount64 = BinaryPrimitives.ReadInt64LittleEndian(node.Slice(8));
        if (length64 < 0 || length64 > int.MaxValue || nullCount64 < 0 || nullCount64 > length64)
        {
            ThrowHelper.ThrowFormat($"field '{field.Name}' node has length {length64} and null count {nullCount64}", cursor.BodyStart);
        }

        var length = (int)length64;
        var nullCount = (int)nullCount64;
        var type = field.Type;
        if (type.Id == ArrowTypeId.Null && field.Dictionary is null)
        {
            return new ArrowArray(field, length, length, default, default, default, [], null);
        }

        var validity = NextBuffer(buffers, ref cursor, field);
        if (nullCount > 0)
        {
            validity = CheckValidity(validity, length, nullCount, field, cursor.BodyStart);
        }
        else
        {
            validity = default;
        }

        if (field.Dictionary is { } encoding)
        {
            var indices = Fixed(NextBuffer(buffers, ref cursor, field), length, encoding.IndexType.ByteWidth, field, cursor.BodyStart);
            if (!_dictionaries.TryGetValue(encoding.Id, out var dictionary))
            {
                ThrowHelper.ThrowFormat($"field '{field.Name}' uses dictionary {encoding.Id}, which has not been sent", cursor.BodyStart);
            }

            var array = new ArrowArray(field, length, nullCount, validity, indices, default, [], dictionary);
            CheckIndices(array, dictionary.Length, cursor.BodyStart);
            return array;
        }

        switch (type.Id)
        {
            case ArrowTypeId.Boolean:
            {
                var values = NextBuffer(buffers, ref cursor, field);
                var needed = Wire.BitmapBytes(length);
                if (values.Length < needed)
                {
                    ThrowHelper.ThrowFormat($"field '{field.Name}' boolean buffer has {values.Length} of {needed} bytes", cursor.BodyStart);
                }

                return new ArrowArray(field, length, nullCount, validity, values.Slice(0, needed), default, [], null);
            }

            case ArrowTypeId.Utf8:
            case ArrowTypeId.Binary:
            {
                var offsets = NextBuffer(buffers, ref cursor, field);
                var data = NextBuffer(buffers, ref cursor, field);
                offsets = CheckOffsets(offsets, length, data.Length, field, cursor.BodyStart);
                return new ArrowArray(field, length, nullCount, validity, data, offsets, [], null);
            }

            case ArrowTypeId.List:
            {
                var offsets = NextBuffer(buffers, ref cursor, field);
                var child = ReadArray(type.Children[0], nodes, buffers, ref cursor, depth + 1);
                offsets = CheckOffsets(offsets, length, child.Length, field, cursor.BodyStart);
                return new ArrowArray(field, length, nullCount, validity, default, offsets, [child], null);
            }

            case ArrowTypeId.FixedSizeList:
            {
                var child = ReadArray(type.Children[0], nodes, buffers, ref cursor, depth + 1);
                if (child.Length < (long)length * type.FixedSize)
                {
                    ThrowHelper.ThrowFormat($"field '{field.Name}' needs {(long)length * type.FixedSize} child values but has {child.Length}", cursor.BodyStart);
                }

                return new ArrowArray(field, length, nullCount, validity, default, default, [child], null);
            }

            case ArrowTypeId.Struct:
            {
                var children = new ArrowArray[type.Children.Count];
                for (var i = 0; i < children.Length; i++)
                {
                    children[i] = ReadArray(type.Children[i], nodes, buffers, ref cursor, depth + 1);
                    if (children[i].Length < length)
                    {
                        ThrowHelper.ThrowFormat($"struct '{field.Name}' child '{type.Children[i].Name}' has {children[i].Length} of {length} rows", cursor.BodyStart);
                    }
                }

                return new ArrowArray(field, length, nullCount, validity, default, default, children, null);
            }

            default:
            {
                var values = Fixed(NextBuffer(buffers, ref cursor, field), length, type.ByteWidth, field, cursor.BodyStart);
                return new ArrowArray(field, length, nullCount, validity, values, default, [], null);
            }
        }
    }

    private static ReadOnlyMemory<byte> NextBuffer(FlatBufferVector buffers, ref Cursor cursor, ArrowField field)
    {
        if (cursor.Buffer >= buffers.Count)
        {
            ThrowHelper.ThrowFormat($"record batch has fewer buffers than its schema needs (at field '{field.Name}')", cursor.BodyStart);
        }

        var index = cursor.Buffer++;
        var entry = buffers.GetStruct(index);
        var offset = BinaryPrimitives.ReadInt64LittleEndian(entry);
        var length = BinaryPrimitives.ReadInt64LittleEndian(entry.Slice(8));
        var bodyLength = cursor.Body.Length;
        if (offset < 0 || length < 0 || offset > bodyLength || length > bodyLength - offset)
        {
            ThrowHelper.ThrowFormat($"buffer {index} (offset {offset}, length {length}) exceeds the message body of {bodyLength} bytes", cursor.BodyStart);
        }

        // Arrow C++: "Buffer N did not start on 8-byte aligned offset".
        if ((offset & 7) != 0)
        {
            ThrowHelper.ThrowFormat($"buffer {index} does not start on an 8-byte aligned offset ({offset})", cursor.BodyStart);
        }

        return cursor.Body.Slice((int)offset, (int)length);
    }

    private static ReadOnlyMemory<byte> Fixed(ReadOnlyMemory<byte> values, int length, int width, ArrowField field, int bodyStart)
    {
        var needed = (long)length * width;
        if (values.Length < needed)
        {
            ThrowHelper.ThrowFormat($"field '{field.Name}' values buffer has {values.Length} of {needed} bytes", bodyStart);
        }

        return values.Slice(0, (int)needed);
    }

    private static ReadOnlyMemory<byte> CheckValidity(ReadOnlyMemory<byte> validity, int length, int nullCount, ArrowField field, int bodyStart)
    {
        var needed = Wire.BitmapBytes(length);
        if (validity.Length < needed)
        {
            ThrowHelper.ThrowFormat($"field '{field.Name}' has {nullCount} nulls but its validity bitmap has {validity.Length} of {needed} bytes", bodyStart);
        }

        var bits = validity.Span.Slice(0, needed);
        var set = 0;
        var full = length >> 3;
        var i = 0;
        for (; i + 8 <= full; i += 8)
        {
            set += BitOperations.PopCount(BinaryPrimitives.ReadUInt64LittleEndian(bits.Slice(i)));
        }

        for (; i < full; i++)
        {
            set += BitOperations.PopCount(bits[i]);
        }

        if ((length & 7) != 0)
        {
            set += BitOperations.PopCount((uint)(bits[full] & ((1 << (length & 7)) - 1)));
        }

        if (length - set != nullCount)
        {
            ThrowHelper.ThrowFormat($"field '{field.Name}' null count {nullCount} does not match its validity bitmap ({length - set} nulls)", bodyStart);
        }

        return validity.Slice(0, needed);
    }

    private static ReadOnlyMemory<byte> CheckOffsets(ReadOnlyMemory<byte> offsets, int length, int limit, ArrowField field, int bodyStart)
    {
        if (length == 0 && offsets.Length == 0)
        {
            return offsets;
        }

        var needed = ((long)length + 1) * 4;
        if (offsets.Length < needed)
        {
            ThrowHelper.ThrowFormat($"field '{field.Name}' offsets buffer has {offsets.Length} of {needed} bytes", bodyStart);
        }

        var span = offsets.Span;
        var previous = BinaryPrimitives.ReadInt32LittleEndian(span);
        if (previous < 0)
        {
            ThrowHelper.ThrowFormat($"field '{field.Name}' first offset {previous} is negative", bodyStart);
        }

        for (var i = 1; i <= length; i++)
        {
            var current = BinaryPrimitives.ReadInt32LittleEndian(span.Slice(i * 4));
            if (current < previous)
            {
                ThrowHelper.ThrowFormat($"field '{field.Name}' offsets decrease at slot {i - 1} ({previous} then {current})", bodyStart);
            }

            previous = current;
        }

        if (previous > limit)
        {
            ThrowHelper.ThrowFormat($"field '{field.Name}' last offset {previous} exceeds the {limit} available values", bodyStart);
        }

        return offsets.Slice(0, (int)needed);
    }

    private static void CheckIndices(ArrowArray array, int dictionaryLength, int bodyStart)
    {
        for (var i = 0; i < array.Length; i++)
        {
            if (array.IsNull(i))
            {
                continue;
            }

            long index;
            try
            {
                index = array.GetInt64(i);
            }
            catch (OverflowException)
            {
                index = -1;
            }

            if (index < 0 || index >= dictionaryLength)
            {
                ThrowHelper.ThrowFormat($"field '{array.Field.Name}' slot {i} has dictionary index {index} outside 0..{dictionaryLength - 1}", bodyStart);
            }
        }
    }

    private static void CheckVersion(short version, long offset)
    {
        // MetadataVersion V1..V3 predate Arrow 0.8 and are rejected by Arrow C++ too.
        if (version < Wire.MetadataV4)
        {
            ThrowHelper.ThrowFormat($"metadata version V{version + 1} is too old; V4 and V5 are supported", offset);
        }

        if (version > Wire.MetadataV5)
        {
            ThrowHelper.ThrowFormat($"metadata version V{version + 1} is newer than V5, the latest this reader knows", offset);
        }
    }

    private struct Cursor
    {
        public Cursor(ReadOnlyMemory<byte> body, int bodyStart)
        {
            Body = body;
            BodyStart = bodyStart;
        }

        public ReadOnlyMemory<byte> Body { get; }

        public int BodyStart { get; }

        public int Node { get; set; }

        public int Buffer { get; set; }
    }
}
