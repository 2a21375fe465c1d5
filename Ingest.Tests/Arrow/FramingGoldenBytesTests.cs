using System.Buffers;
using System.Buffers.Binary;
using Ingest.Arrow;

namespace Ingest.Tests.Arrow;

/// <summary>Pins the exact bytes and the framing rules of what we write (protocols.md §1.2, §1.3, §1.6, §1.11).</summary>
public sealed class FramingGoldenBytesTests
{
    // Schema {hr: uint8 not null}, one batch [60, 61, 62], EOS. Decoded by hand:
    // 0000 FFFFFFFF marker, 88000000 metadata 136; Message{version V5, header Schema, bodyLength 0}
    // 0038 Schema{endianness Little, fields [Field{name "hr", nullable false, Int{8, unsigned}, children []}]}
    // 0090 FFFFFFFF, 136; Message{V5, RecordBatch, bodyLength 8}, RecordBatch{length 3, nodes [(3,0)], buffers [(0,0),(0,3)]}
    // 0120 body 3C3D3E + 5 bytes padding; 0128 EOS FFFFFFFF 00000000.
    private const string TinyStreamHex =
        "FFFFFFFF8800000014000000000000000C0014000600050008000C000C0000000001040014000000000000000000000008000C000600" +
        "08000800000000000000040000000100000014000000100014001000060007000C0000000800100000000000000220000000100000001C" +
        "00000008000C0008000700080000000000000008000000000000000200000068720000FFFFFFFF8800000014000000000000000C001600" +
        "0600050008000C000C0000000003040018000000080000000000000000000A0018000C00080004000A0000002C00000010000000030000" +
        "0000000000000000000100000003000000000000000000000000000000000000000200000000000000000000000000000000000000000000" +
        "000000000003000000000000003C3D3E0000000000FFFFFFFF00000000";

    private static readonly ArrowSchema s_tiny = new ArrowSchema.Builder().Field("hr", ArrowType.UInt8, isNullable: false).Build();

    [Fact]
    public void WriteStream_TinyBatch_MatchesPinnedBytes()
    {
        var output = new ArrayBufferWriter<byte>();
        ArrowIpc.WriteStream(output, s_tiny, 3, [ArrowColumn.Primitive(3, new byte[] { 60, 61, 62, 99 })]);
        Assert.Equal(TinyStreamHex, Convert.ToHexString(output.WrittenSpan));
    }

    [Fact]
    public void ReadStream_PinnedBytes_GivesTheBatch()
    {
        var content = ArrowIpcReader.ReadStream(Convert.FromHexString(TinyStreamHex));
        Assert.Equal(s_tiny, content.Schema);
        Assert.Equal(new byte[] { 60, 61, 62 }, content.RecordBatches[0].Columns[0].GetValues<byte>().ToArray());
    }

    [Fact]
    public void ReadStream_MetadataV4_IsAcceptedAndReported()
    {
        var bytes = Convert.FromHexString(TinyStreamHex);
        // Message.version of the schema (0x22) and record batch (0xB2) messages: V4 = 3.
        BinaryPrimitives.WriteInt16LittleEndian(bytes.AsSpan(0x22), 3);
        BinaryPrimitives.WriteInt16LittleEndian(bytes.AsSpan(0xB2), 3);
        var content = ArrowIpcReader.ReadStream(bytes);
        Assert.Equal(4, content.MetadataVersion);
        Assert.Equal(62, content.RecordBatches[0].Columns[0].GetInt64(2));
    }

    [Fact]
    public void WriteStream_EveryMessage_IsFramedAndAligned()
    {
        var sample = ArrowSamples.AllTypes(37, 1, true);
        var output = new ArrayBufferWriter<byte>();
        ArrowIpc.WriteStream(output, ArrowSamples.AllTypesSchema, 37, ArrowSamples.Columns(sample), ArrowSamples.AllTypesDictionaries());
        var bytes = output.WrittenSpan;
        var offsets = MessageOffsets(bytes, 0, out var end);
        Assert.Equal(4, offsets.Count); // schema, 2 dictionaries, 1 batch
        Assert.Equal(bytes.Length - 8, end);
        Assert.Equal("FFFFFFFF00000000", Convert.ToHexString(bytes[^8..]));
    }

    [Fact]
    public void FileWriter_Layout_MagicFooterAndBlocksPointAtMarkers()
    {
        var output = new ArrayBufferWriter<byte>();
        var writer = new ArrowFileWriter(output, ArrowSamples.AllTypesSchema);
        writer.WriteStart(ArrowSamples.AllTypesDictionaries());
        writer.WriteBatch(5, ArrowSamples.Columns(ArrowSamples.AllTypes(5, 0, true)));
        writer.WriteBatch(9, ArrowSamples.Columns(ArrowSamples.AllTypes(9, 1, false)));
        writer.Finish();
        var bytes = output.WrittenSpan;

        Assert.Equal("ARROW1\0\0"u8.ToArray(), bytes[..8].ToArray());
        Assert.Equal("ARROW1"u8.ToArray(), bytes[^6..].ToArray());
        var footerLength = BinaryPrimitives.ReadInt32LittleEndian(bytes[^10..]);
        var footerStart = bytes.Length - 10 - footerLength;
        Assert.Equal(0, footerStart % 8);
        var messages = MessageOffsets(bytes, 8, out var streamEnd);
        Assert.Equal(5, messages.Count); // schema, 2 dictionaries, 2 batches
        Assert.Equal("FFFFFFFF00000000", Convert.ToHexString(bytes.Slice(streamEnd, 8)));
        Assert.Equal(streamEnd + 8, footerStart);

        // Every message after the schema appears in the footer as a Block pointing at its marker.
        var footer = bytes.Slice(footerStart, footerLength).ToArray();
        foreach (var offset in messages.Skip(1))
        {
            var block = new byte[8];
            BinaryPrimitives.WriteInt64LittleEndian(block, offset);
            Assert.True(footer.AsSpan().IndexOf(block) >= 0, $"no footer block for the message at {offset}");
            Assert.Equal(0xFFFFFFFFu, BinaryPrimitives.ReadUInt32LittleEndian(bytes[(int)offset..]));
        }
    }

    [Fact]
    public void WriteBatch_NoNulls_ValidityBufferHasLengthZero()
    {
        var schema = new ArrowSchema.Builder().Field("x", ArrowType.Int32).Build();
        var output = new ArrayBufferWriter<byte>();
        ArrowIpc.WriteStream(output, schema, 2, [ArrowColumn.Primitive(2, new byte[8], new byte[] { 0 }, nullCount: 0)]);
        var batch = ArrowIpcReader.Read(output.WrittenMemory).RecordBatches[0];
        Assert.True(batch.Columns[0].ValidityBuffer.IsEmpty);
        Assert.Equal(0, batch.Columns[0].NullCount);
    }

    [Fact]
    public void SchemaMessage_IsCachedPerSchemaInstance()
    {
        var first = ArrowIpc.GetSchemaMessage(s_tiny);
        var second = ArrowIpc.GetSchemaMessage(s_tiny);
        Assert.True(first.Span == second.Span, "the same cached bytes are returned");
        Assert.Equal(TinyStreamHex[..(first.Length * 2)], Convert.ToHexString(first.Span));
    }

    /// <summary>Walks the encapsulated messages from <paramref name="start"/> to EOS, checking every frame rule.</summary>
    private static List<long> MessageOffsets(ReadOnlySpan<byte> bytes, int start, out int eos)
    {
        var offsets = new List<long>();
        var position = start;
        while (true)
        {
            Assert.Equal(0, position % 8);
            Assert.Equal(0xFFFFFFFFu, BinaryPrimitives.ReadUInt32LittleEndian(bytes[position..]));
            var metadata = BinaryPrimitives.ReadInt32LittleEndian(bytes[(position + 4)..]);
            if (metadata == 0)
            {
                eos = position;
                return offsets;
            }

            Assert.Equal(0, (8 + metadata) % 8);
            offsets.Add(position);
            var bodyLength = BodyLength(bytes.Slice(position + 8, metadata));
            Assert.Equal(0, bodyLength % 8);
            position += 8 + metadata + (int)bodyLength;
        }
    }

    private static long BodyLength(ReadOnlySpan<byte> flatBuffer)
    {
        // Message.bodyLength is slot 3: vtable entry at 4 + 2*3.
        var table = BinaryPrimitives.ReadInt32LittleEndian(flatBuffer);
        var vtable = table - BinaryPrimitives.ReadInt32LittleEndian(flatBuffer[table..]);
        var vtableSize = BinaryPrimitives.ReadUInt16LittleEndian(flatBuffer[vtable..]);
        if (vtableSize <= 10)
        {
            return 0;
        }

        var field = BinaryPrimitives.ReadUInt16LittleEndian(flatBuffer[(vtable + 10)..]);
        Assert.Equal(0, (table + field) % 8);
        return field == 0 ? 0 : BinaryPrimitives.ReadInt64LittleEndian(flatBuffer[(table + field)..]);
    }
}
