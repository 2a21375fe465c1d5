using System.Buffers;
using Ingest.Arrow;

namespace Ingest.Tests.Arrow;

/// <summary>Columns that do not match their field are refused before a byte is written.</summary>
public sealed class WriterValidationTests
{
    private static readonly ArrowSchema s_schema = new ArrowSchema.Builder()
        .Field("hr", ArrowType.UInt8, isNullable: false)
        .Field("name", ArrowType.Utf8)
        .Build();

    public static TheoryData<string, int> BadColumns => new()
    {
        { "values too short", 0 },
        { "nulls in non-nullable", 1 },
        { "bitmap missing", 2 },
        { "offsets too short", 3 },
        { "offsets past data", 4 },
        { "offsets not starting at 0", 5 },
        { "wrong column count", 6 },
        { "wrong column length", 7 },
    };

    [Theory]
    [MemberData(nameof(BadColumns))]
    public void WriteStream_BadColumn_ThrowsArgumentExceptionAndWritesNothing(string because, int which)
    {
        var hr = ArrowColumn.Primitive(3, new byte[] { 60, 61, 62 });
        var name = ColumnFactory.Strings(["a", "bc", null]).Column;
        ArrowColumn[] columns = which switch
        {
            0 => [ArrowColumn.Primitive(3, new byte[] { 60, 61 }), name],
            1 => [ArrowColumn.Primitive(3, new byte[] { 60, 61, 62 }, new byte[] { 0b101 }, 1), name],
            2 => [hr, ArrowColumn.VariableSize(3, name.Offsets, name.Values, default, 1)],
            3 => [hr, ArrowColumn.VariableSize(3, name.Offsets[..8], name.Values)],
            4 => [hr, ArrowColumn.VariableSize(3, name.Offsets, name.Values[..2])],
            5 => [hr, ArrowColumn.VariableSize(3, new byte[] { 1, 0, 0, 0, 2, 0, 0, 0, 3, 0, 0, 0, 3, 0, 0, 0 }, name.Values)],
            6 => [hr],
            _ => [hr, ColumnFactory.Strings(["a"]).Column],
        };
        var output = new ArrayBufferWriter<byte>();
        Assert.Throws<ArgumentException>(() => ArrowIpc.WriteStream(output, s_schema, 3, columns));
        Assert.True(output.WrittenCount == 0, because);
    }

    [Fact]
    public void StreamWriter_DictionariesMissing_Throws()
    {
        var schema = new ArrowSchema.Builder()
            .Field(new ArrowField("d", ArrowType.Utf8, true, null, new ArrowDictionaryEncoding(0, ArrowType.Int32)))
            .Build();
        var writer = new ArrowStreamWriter(new ArrayBufferWriter<byte>(), schema);
        Assert.Throws<InvalidOperationException>(() => writer.WriteBatch(0, [ArrowColumn.Primitive(0, default)]));
        Assert.Throws<ArgumentException>(() => writer.WriteStart());
    }

    [Fact]
    public void Schema_DuplicateDictionaryIds_Throws()
    {
        var encoding = new ArrowDictionaryEncoding(1, ArrowType.Int32);
        Assert.Throws<ArgumentException>(() => new ArrowSchema([
            new ArrowField("a", ArrowType.Utf8, true, null, encoding),
            new ArrowField("b", ArrowType.Utf8, true, null, encoding)]));
    }

    [Fact]
    public void StreamWriter_AfterEnd_Throws()
    {
        var writer = new ArrowStreamWriter(new ArrayBufferWriter<byte>(), s_schema);
        writer.WriteEnd();
        Assert.Throws<InvalidOperationException>(() => writer.WriteEnd());
    }
}
