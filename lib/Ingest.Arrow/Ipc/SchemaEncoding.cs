using System.Buffers.Binary;
using Ingest.Arrow.FlatBuffers;

namespace Ingest.Arrow.Ipc;

/// <summary>
/// The IPC encoding of one <see cref="ArrowSchema"/>, computed once and cached on the schema: the Schema
/// message bytes and the RecordBatch/DictionaryBatch metadata templates.
/// </summary>
internal sealed class SchemaEncoding
{
    public SchemaEncoding(ArrowSchema schema)
    {
        var builder = new FlatBufferBuilder();
        var schemaTable = WriteSchemaTable(builder, schema);
        builder.StartTable(5);
        builder.AddFieldInt64(3, 0);
        builder.AddFieldOffset(2, schemaTable);
        builder.AddFieldInt16(0, Wire.MetadataV5);
        builder.AddFieldByte(1, Wire.HeaderSchema);
        SchemaMessage = Encapsulate(builder.Finish(builder.EndTable()), out _);

        RecordBatch = BuildTemplate(CountNodes(schema.Fields), CountBuffers(schema.Fields), dictionaryId: null);
        var dictionaries = new MessageTemplate[schema.DictionaryFields.Count];
        var valueFields = new ArrowField[dictionaries.Length];
        var maxBuffers = RecordBatch.BufferCount;
        for (var i = 0; i < dictionaries.Length; i++)
        {
            var field = schema.DictionaryFields[i];
            var valueField = ValueField(field);
            valueFields[i] = valueField;
            dictionaries[i] = BuildTemplate(1 + CountNodes(valueField.Type.Children), CountBuffers([valueField]), field.Dictionary!.Id);
            maxBuffers = Math.Max(maxBuffers, dictionaries[i].BufferCount);
        }

        Dictionaries = dictionaries;
        DictionaryValueFields = valueFields;
        MaxBufferCount = maxBuffers;
    }

    /// <summary>The complete Schema message (marker, length, FlatBuffer, padding; no body).</summary>
    public byte[] SchemaMessage { get; }

    public MessageTemplate RecordBatch { get; }

    /// <summary>One template per <see cref="ArrowSchema.DictionaryFields"/> entry.</summary>
    public MessageTemplate[] Dictionaries { get; }

    /// <summary>The dictionary fields without their encoding: the one-column schema of each dictionary batch.</summary>
    public ArrowField[] DictionaryValueFields { get; }

    /// <summary>Largest buffer count of any message of this schema (sizes writers' scratch).</summary>
    public int MaxBufferCount { get; }

    public static ArrowField ValueField(ArrowField field) => new(field.Name, field.Type, field.IsNullable);

    /// <summary>Writes a Schema table and returns its offset (used by the Schema message and the file Footer).</summary>
    public static int WriteSchemaTable(FlatBufferBuilder builder, ArrowSchema schema)
    {
        var fields = new int[schema.Fields.Count];
        for (var i = 0; i < fields.Length; i++)
        {
            fields[i] = WriteField(builder, schema.Fields[i]);
        }

        var fieldsVector = builder.CreateOffsetVector(fields);
        var metadata = WriteMetadata(builder, schema.Metadata);
        builder.StartTable(4);
        builder.AddFieldOffset(1, fieldsVector);
        if (metadata != 0)
        {
            builder.AddFieldOffset(2, metadata);
        }

        builder.AddFieldInt16(0, Wire.EndiannessLittle);
        return builder.EndTable();
    }

    /// <summary>Wraps a Message FlatBuffer in the encapsulated framing: marker, padded length, FlatBuffer, zero padding.</summary>
    public static byte[] Encapsulate(byte[] flatBuffer, out int flatBufferStart)
    {
        var metadataSize = Wire.Align8(flatBuffer.Length);
        var bytes = new byte[8 + metadataSize];
        BinaryPrimitives.WriteUInt32LittleEndian(bytes, Wire.ContinuationMarker);
        BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(4), metadataSize);
        flatBuffer.CopyTo(bytes.AsSpan(8));
        flatBufferStart = 8;
        return bytes;
    }

    public static int CountNodes(IReadOnlyList<ArrowField> fields)
    {
        var count = 0;
        foreach (var field in fields)
        {
            count += 1 + CountNodes(field.Type.Children);
        }

        return count;
    }

    public static int CountBuffers(IReadOnlyList<ArrowField> fields)
    {
        var count = 0;
        foreach (var field in fields)
        {
            count += BufferCount(field) + CountBuffers(field.Type.Children);
        }

        return count;
    }

    /// <summary>Buffers of the field's own node (Columnar.rst "Buffer Listing for Each Layout"), children excluded.</summary>
    public static int BufferCount(ArrowField field)
    {
        if (field.Dictionary is not null)
        {
            return 2;
        }

        return field.Type.Id switch
        {
            ArrowTypeId.Null => 0,
            ArrowTypeId.Utf8 or ArrowTypeId.Binary => 3,
            ArrowTypeId.List => 2,
            ArrowTypeId.FixedSizeList or ArrowTypeId.Struct => 1,
            _ => 2,
        };
    }

    private static MessageTemplate BuildTemplate(int nodeCount, int bufferCount, long? dictionaryId)
    {
        var builder = new FlatBufferBuilder();
        builder.StartVector(Wire.StructSize16, bufferCount, 8);
        builder.ReserveZeroed(Wire.StructSize16 * bufferCount);
        var buffers = builder.EndVector();
        builder.StartVector(Wire.StructSize16, nodeCount, 8);
        builder.ReserveZeroed(Wire.StructSize16 * nodeCount);
        var nodes = builder.EndVector();
        builder.StartTable(5);
        var length = builder.AddFieldInt64(0, 0);
        builder.AddFieldOffset(1, nodes);
        builder.AddFieldOffset(2, buffers);
        var recordBatch = builder.EndTable();
        var header = recordBatch;
        var isDelta = 0;
        if (dictionaryId is long id)
        {
            builder.StartTable(3);
            builder.AddFieldInt64(0, id);
            builder.AddFieldOffset(1, recordBatch);
            builder.AddFieldBool(2, false);
            isDelta = builder.Offset;
            header = builder.EndTable();
        }

        builder.StartTable(5);
        var bodyLength = builder.AddFieldInt64(3, 0);
        builder.AddFieldOffset(2, header);
        builder.AddFieldInt16(0, Wire.MetadataV5);
        builder.AddFieldByte(1, dictionaryId is null ? Wire.HeaderRecordBatch : Wire.HeaderDictionaryBatch);
        var flatBuffer = builder.Finish(builder.EndTable());
        var bytes = Encapsulate(flatBuffer, out var start);
        // Offsets-from-end become positions: object at offset-from-end o sits at start + L - o.
        var l = flatBuffer.Length;
        return new MessageTemplate(bytes,
            lengthPosition: start + l - length,
            bodyLengthPosition: start + l - bodyLength,
            nodesPosition: start + l - nodes + 4,
            buffersPosition: start + l - buffers + 4,
            nodeCount, bufferCount,
            isDeltaPosition: dictionaryId is null ? -1 : start + l - isDelta);
    }

    private static int WriteField(FlatBufferBuilder builder, ArrowField field)
    {
        var name = builder.CreateString(field.Name);
        var children = new int[field.Type.Children.Count];
        for (var i = 0; i < children.Length; i++)
        {
            children[i] = WriteField(builder, field.Type.Children[i]);
        }

        var childrenVector = builder.CreateOffsetVector(children);
        var (typeTag, type) = WriteType(builder, field.Type);
        var dictionary = 0;
        if (field.Dictionary is { } encoding)
        {
            var (_, indexType) = WriteType(builder, encoding.IndexType);
            builder.StartTable(4);
            builder.AddFieldInt64(0, encoding.Id);
            builder.AddFieldOffset(1, indexType);
            builder.AddFieldBool(2, encoding.IsOrdered);
            dictionary = builder.EndTable();
        }

        var metadata = WriteMetadata(builder, field.Metadata);
        builder.StartTable(7);
        builder.AddFieldOffset(0, name);
        builder.AddFieldOffset(3, type);
        if (dictionary != 0)
        {
            builder.AddFieldOffset(4, dictionary);
        }

        builder.AddFieldOffset(5, childrenVector);
        if (metadata != 0)
        {
            builder.AddFieldOffset(6, metadata);
        }

        builder.AddFieldByte(2, typeTag);
        builder.AddFieldBool(1, field.IsNullable);
        return builder.EndTable();
    }

    private static (byte Tag, int Offset) WriteType(FlatBufferBuilder builder, ArrowType type)
    {
        var timeZone = type.TimeZone is null ? 0 : builder.CreateString(type.TimeZone);
        builder.StartTable(2);
        byte tag;
        switch (type.Id)
        {
            case ArrowTypeId.Null:
                tag = Wire.TypeNull;
                break;
            case ArrowTypeId.Boolean:
                tag = Wire.TypeBool;
                break;
            case >= ArrowTypeId.Int8 and <= ArrowTypeId.UInt64:
                tag = Wire.TypeInt;
                builder.AddFieldInt32(0, type.ByteWidth * 8);
                builder.AddFieldBool(1, type.IsSignedInteger);
                break;
            case ArrowTypeId.Float16:
            case ArrowTypeId.Float32:
            case ArrowTypeId.Float64:
                tag = Wire.TypeFloatingPoint;
                builder.AddFieldInt16(0, type.Id == ArrowTypeId.Float16 ? Wire.PrecisionHalf
                    : type.Id == ArrowTypeId.Float32 ? Wire.PrecisionSingle : Wire.PrecisionDouble);
                break;
            case ArrowTypeId.Utf8:
                tag = Wire.TypeUtf8;
                break;
            case ArrowTypeId.Binary:
                tag = Wire.TypeBinary;
                break;
            case ArrowTypeId.FixedSizeBinary:
                tag = Wire.TypeFixedSizeBinary;
                builder.AddFieldInt32(0, type.FixedSize);
                break;
            case ArrowTypeId.Date32:
            case ArrowTypeId.Date64:
                tag = Wire.TypeDate;
                builder.AddFieldInt16(0, type.Id == ArrowTypeId.Date32 ? Wire.DateDay : Wire.DateMillisecond);
                break;
            case ArrowTypeId.Time32:
            case ArrowTypeId.Time64:
                tag = Wire.TypeTime;
                builder.AddFieldInt32(1, type.Id == ArrowTypeId.Time32 ? 32 : 64);
                builder.AddFieldInt16(0, (short)type.Unit);
                break;
            case ArrowTypeId.Timestamp:
                tag = Wire.TypeTimestamp;
                if (timeZone != 0)
                {
                    builder.AddFieldOffset(1, timeZone);
                }

                builder.AddFieldInt16(0, (short)type.Unit);
                break;
            case ArrowTypeId.Duration:
                tag = Wire.TypeDuration;
                builder.AddFieldInt16(0, (short)type.Unit);
                break;
            case ArrowTypeId.List:
                tag = Wire.TypeList;
                break;
            case ArrowTypeId.FixedSizeList:
                tag = Wire.TypeFixedSizeList;
                builder.AddFieldInt32(0, type.FixedSize);
                break;
            case ArrowTypeId.Struct:
                tag = Wire.TypeStruct;
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(type), type.Id, "unsupported type");
        }

        return (tag, builder.EndTable());
    }

    private static int WriteMetadata(FlatBufferBuilder builder, IReadOnlyList<KeyValuePair<string, string>> metadata)
    {
        if (metadata.Count == 0)
        {
            return 0;
        }

        var entries = new int[metadata.Count];
        for (var i = 0; i < entries.Length; i++)
        {
            // C++ requires both key and value present (protocols.md §1.4 KeyValue).
            var key = builder.CreateString(metadata[i].Key);
            var value = builder.CreateString(metadata[i].Value);
            builder.StartTable(2);
            builder.AddFieldOffset(0, key);
            builder.AddFieldOffset(1, value);
            entries[i] = builder.EndTable();
        }

        return builder.CreateOffsetVector(entries);
    }
}
