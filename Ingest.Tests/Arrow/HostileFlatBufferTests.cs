using Ingest.Arrow;
using Ingest.Arrow.FlatBuffers;
using Ingest.Arrow.Ipc;

namespace Ingest.Tests.Arrow;

/// <summary>FlatBuffers lets offsets share objects; hostile sharing must not amplify the reader's work.</summary>
public sealed class HostileFlatBufferTests
{
    [Fact]
    public void Read_ManyFieldsSharingOneHugeName_RejectedByStringBudget()
    {
        var builder = new FlatBufferBuilder();
        var name = builder.CreateString(new string('n', 1024 * 1024 - 1));
        var children = builder.CreateOffsetVector([]);
        builder.StartTable(2);
        builder.AddFieldInt32(0, 32);
        builder.AddFieldBool(1, true);
        var intType = builder.EndTable();
        builder.StartTable(7);
        builder.AddFieldOffset(0, name);
        builder.AddFieldOffset(3, intType);
        builder.AddFieldOffset(5, children);
        builder.AddFieldByte(2, Wire.TypeInt);
        var field = builder.EndTable();
        var fields = builder.CreateOffsetVector(Enumerable.Repeat(field, ArrowLimits.MaxFieldCount).ToArray());
        var bytes = Message(builder, fields, metadata: 0);

        var error = Assert.Throws<ArrowFormatException>(() => ArrowIpcReader.ReadStream(bytes));
        Assert.Contains("decoded string bytes", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_MetadataEntriesSharingOneHugeValue_RejectedByStringBudget()
    {
        var builder = new FlatBufferBuilder();
        var value = builder.CreateString(new string('v', 1024 * 1024 - 1));
        var key = builder.CreateString("k");
        builder.StartTable(2);
        builder.AddFieldOffset(0, key);
        builder.AddFieldOffset(1, value);
        var entry = builder.EndTable();
        var metadata = builder.CreateOffsetVector(Enumerable.Repeat(entry, ArrowLimits.MaxCustomMetadataEntries).ToArray());
        var fields = builder.CreateOffsetVector([]);
        var bytes = Message(builder, fields, metadata);

        var error = Assert.Throws<ArrowFormatException>(() => ArrowIpcReader.ReadStream(bytes));
        Assert.Contains("decoded string bytes", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_DeeplyNestedFields_RejectedByDepthLimit()
    {
        var builder = new FlatBufferBuilder();
        builder.StartTable(1);
        var structType = builder.EndTable();
        var child = 0;
        for (var depth = 0; depth < ArrowLimits.MaxNestingDepth + 2; depth++)
        {
            var children = builder.CreateOffsetVector(child == 0 ? [] : [child]);
            builder.StartTable(7);
            builder.AddFieldOffset(3, structType);
            builder.AddFieldOffset(5, children);
            builder.AddFieldByte(2, Wire.TypeStruct);
            child = builder.EndTable();
        }

        var fields = builder.CreateOffsetVector([child]);
        var error = Assert.Throws<ArrowFormatException>(() => ArrowIpcReader.ReadStream(Message(builder, fields, 0)));
        Assert.Contains("nesting depth", error.Message, StringComparison.Ordinal);
    }

    private static byte[] Message(FlatBufferBuilder builder, int fields, int metadata)
    {
        builder.StartTable(4);
        builder.AddFieldOffset(1, fields);
        if (metadata != 0)
        {
            builder.AddFieldOffset(2, metadata);
        }

        var schema = builder.EndTable();
        builder.StartTable(5);
        builder.AddFieldInt64(3, 0);
        builder.AddFieldOffset(2, schema);
        builder.AddFieldInt16(0, Wire.MetadataV5);
        builder.AddFieldByte(1, Wire.HeaderSchema);
        return SchemaEncoding.Encapsulate(builder.Finish(builder.EndTable()), out _);
    }
}
