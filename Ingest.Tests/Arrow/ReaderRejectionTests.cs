using System.Buffers;
using System.Buffers.Binary;
using Ingest.Arrow;

namespace Ingest.Tests.Arrow;

/// <summary>Negative vectors: one precise defect each, rejected with a message that names it.</summary>
public sealed class ReaderRejectionTests
{
    // Positions in FramingGoldenBytesTests' tiny stream (hand-decoded there).
    private const int IntBitWidth = 0x80;
    private const int RecordBatchVersion = 0xB2;
    private const int BodyLength = 0xB8;
    private const int BatchLength = 0xD8;
    private const int NodeLength = 0xE8;
    private const int NodeNullCount = 0xF0;
    private const int ValuesBufferOffset = 0x110;
    private const int ValuesBufferLength = 0x118;

    public static TheoryData<int, long, int, string> Patches => new()
    {
        { IntBitWidth, 7, 4, "integer bit width 7 is invalid" },
        { RecordBatchVersion, 2, 2, "metadata version V3 is too old" },
        { RecordBatchVersion, 9, 2, "newer than V5" },
        { BodyLength, 1000, 8, "truncated message: body of 1000 bytes" },
        { BodyLength, 12, 8, "body length 12 is not a multiple of 8" },
        { BatchLength, 4, 8, "has 3 rows but the batch 4" },
        { BatchLength, -1, 8, "record batch length -1" },
        { NodeLength, 2, 8, "has 2 rows but the batch 3" },
        { NodeNullCount, 1, 8, "validity bitmap has 0 of 1 bytes" },
        { NodeNullCount, 4, 8, "null count 4" },
        { ValuesBufferOffset, 1, 8, "does not start on an 8-byte aligned offset" },
        { ValuesBufferLength, 9, 8, "exceeds the message body of 8 bytes" },
        { ValuesBufferLength, 2, 8, "values buffer has 2 of 3 bytes" },
    };

    [Theory]
    [MemberData(nameof(Patches))]
    public void Read_PatchedTinyStream_RejectsWithClearMessage(int position, long value, int width, string expected)
    {
        var bytes = Tiny();
        switch (width)
        {
            case 2:
                BinaryPrimitives.WriteInt16LittleEndian(bytes.AsSpan(position), (short)value);
                break;
            case 4:
                BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(position), (int)value);
                break;
            default:
                BinaryPrimitives.WriteInt64LittleEndian(bytes.AsSpan(position), value);
                break;
        }

        var error = Assert.Throws<ArrowFormatException>(() => ArrowIpcReader.Read(bytes));
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_NodeLengthIntMaxWithNulls_RejectedWithoutOverflow()
    {
        var bytes = Tiny();
        BinaryPrimitives.WriteInt64LittleEndian(bytes.AsSpan(NodeLength), int.MaxValue);
        BinaryPrimitives.WriteInt64LittleEndian(bytes.AsSpan(NodeNullCount), 1);
        BinaryPrimitives.WriteInt64LittleEndian(bytes.AsSpan(BatchLength), int.MaxValue);
        var error = Assert.Throws<ArrowFormatException>(() => ArrowIpcReader.Read(bytes));
        Assert.Contains("validity bitmap has 0 of 268435456 bytes", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_OffsetsDecrease_Rejected()
    {
        var schema = new ArrowSchema.Builder().Field("s", ArrowType.Utf8).Build();
        var offsets = ColumnFactory.ToBytes(new[] { 0, 3, 1, 4 });
        var bytes = Write(schema, 3, [ArrowColumn.VariableSize(3, offsets, "abcd"u8.ToArray())]);
        Assert.Contains("offsets decrease at slot 1", Assert.Throws<ArrowFormatException>(() => ArrowIpcReader.Read(bytes)).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_DictionaryIndexOutOfRange_Rejected()
    {
        var schema = new ArrowSchema.Builder().Field(new ArrowField("d", ArrowType.Utf8, true, null, new ArrowDictionaryEncoding(0, ArrowType.Int32))).Build();
        var bytes = Write(schema, 2, [ArrowColumn.Primitive(2, ColumnFactory.ToBytes(new[] { 1, 5 }))], [ColumnFactory.Strings(["a", "b"]).Column]);
        Assert.Contains("dictionary index 5 outside 0..1", Assert.Throws<ArrowFormatException>(() => ArrowIpcReader.Read(bytes)).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_NullCountDisagreesWithBitmap_Rejected()
    {
        var schema = new ArrowSchema.Builder().Field("x", ArrowType.Int8).Build();
        var bytes = Write(schema, 3, [ArrowColumn.Primitive(3, new byte[] { 1, 2, 3 }, new byte[] { 0b111 }, nullCount: 1)]);
        Assert.Contains("null count 1 does not match its validity bitmap (0 nulls)", Assert.Throws<ArrowFormatException>(() => ArrowIpcReader.Read(bytes)).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_RecordBatchBeforeDictionary_Rejected()
    {
        var schema = new ArrowSchema.Builder().Field(new ArrowField("d", ArrowType.Utf8, true, null, new ArrowDictionaryEncoding(0, ArrowType.Int32))).Build();
        var full = Write(schema, 1, [ArrowColumn.Primitive(1, new byte[4])], [ColumnFactory.Strings(["a"]).Column]);
        // Drop the dictionary message: schema, then straight to the record batch.
        var schemaLength = ArrowIpc.GetSchemaMessage(schema).Length;
        var dictionaryLength = 8 + BinaryPrimitives.ReadInt32LittleEndian(full.AsSpan(schemaLength + 4));
        var dictionaryBody = DictionaryBodyLength(full.AsSpan(schemaLength + 8, dictionaryLength - 8));
        var withoutDictionary = full[..schemaLength].Concat(full[(schemaLength + dictionaryLength + (int)dictionaryBody)..]).ToArray();
        Assert.Contains("record batch before all 1 dictionaries were sent", Assert.Throws<ArrowFormatException>(() => ArrowIpcReader.Read(withoutDictionary)).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ReadFile_TrailingMagicMissing_Rejected()
    {
        var output = new ArrayBufferWriter<byte>();
        var writer = new ArrowFileWriter(output, ArrowSamples.AllTypesSchema);
        writer.WriteStart(ArrowSamples.AllTypesDictionaries());
        writer.Finish();
        var bytes = output.WrittenSpan.ToArray();
        Assert.Contains("trailing magic", Assert.Throws<ArrowFormatException>(() => ArrowIpcReader.Read(bytes.AsMemory(0, bytes.Length - 1))).Message, StringComparison.Ordinal);
        bytes[^7] = 0x7F; // footer length (int32 before the trailing magic) now absurd
        Assert.Contains("footer length", Assert.Throws<ArrowFormatException>(() => ArrowIpcReader.Read(bytes)).Message, StringComparison.Ordinal);
    }

    private static byte[] Tiny()
    {
        var schema = new ArrowSchema.Builder().Field("hr", ArrowType.UInt8, isNullable: false).Build();
        return Write(schema, 3, [ArrowColumn.Primitive(3, new byte[] { 60, 61, 62 })]);
    }

    private static byte[] Write(ArrowSchema schema, int rows, ArrowColumn[] columns, ArrowColumn[]? dictionaries = null)
    {
        var output = new ArrayBufferWriter<byte>();
        ArrowIpc.WriteStream(output, schema, rows, columns, dictionaries ?? []);
        return output.WrittenSpan.ToArray();
    }

    private static long DictionaryBodyLength(ReadOnlySpan<byte> flatBuffer)
    {
        var table = BinaryPrimitives.ReadInt32LittleEndian(flatBuffer);
        var vtable = table - BinaryPrimitives.ReadInt32LittleEndian(flatBuffer[table..]);
        var field = BinaryPrimitives.ReadUInt16LittleEndian(flatBuffer[(vtable + 10)..]);
        return BinaryPrimitives.ReadInt64LittleEndian(flatBuffer[(table + field)..]);
    }
}
