using Ingest.Pipeline.Columns;

namespace Ingest.Tests.Pipeline.Columns;

public class ColumnBufferTests
{
    private static ColumnSpec Spec(ColumnKind kind, ColumnKind element = default) =>
        new() { Name = "v", Kind = kind, ElementKind = element, Nullable = true };

    [Fact]
    public void Append_NoNulls_HasNoValidityBitmap()
    {
        var column = new PrimitiveColumnBuffer<ushort>(Spec(ColumnKind.UInt16), 2);
        for (ushort i = 0; i < 100; i++)
        {
            column.Append(i);
        }

        Assert.Equal(100, column.Length);
        Assert.Equal(0, column.NullCount);
        Assert.True(column.ValidityBytes.IsEmpty);
        Assert.Equal(99, column.Values[99]);
        Assert.Equal(200, column.ValueBytes.Length);
        Assert.Equal(new byte[] { 99, 0 }, column.ValueBytes[198..].ToArray());
    }

    [Fact]
    public void AppendNull_AfterValues_BackfillsEarlierRowsAsValid()
    {
        var column = new PrimitiveColumnBuffer<int>(Spec(ColumnKind.Int32), 4);
        for (var i = 0; i < 11; i++)
        {
            column.Append(i);
        }

        column.AppendNull();
        column.Append(12);

        Assert.Equal(13, column.Length);
        Assert.Equal(1, column.NullCount);
        // Arrow bitmap, LSB first: rows 0-7 valid, rows 8-10 valid, 11 null, 12 valid.
        Assert.Equal(new byte[] { 0xFF, 0b0001_0111 }, column.ValidityBytes.ToArray());
        Assert.False(column.IsValid(11));
        Assert.True(column.IsValid(12));
    }

    [Fact]
    public void Truncate_DropsRowsAndTheirNulls()
    {
        var column = new PrimitiveColumnBuffer<float>(Spec(ColumnKind.Float32), 4);
        column.Append(1f);
        column.AppendNull();
        column.Append(3f);
        column.AppendNull();

        column.Truncate(2);

        Assert.Equal(2, column.Length);
        Assert.Equal(1, column.NullCount);
        column.Truncate(1);
        Assert.Equal(0, column.NullCount);
        Assert.True(column.ValidityBytes.IsEmpty);
    }

    [Fact]
    public void AppendSpan_GrowsAndReturnsWritableRows()
    {
        var column = new PrimitiveColumnBuffer<short>(Spec(ColumnKind.Int16), 1);
        column.Append(7);
        var span = column.AppendSpan(1000);
        for (var i = 0; i < span.Length; i++)
        {
            span[i] = (short)i;
        }

        Assert.Equal(1001, column.Length);
        Assert.Equal(7, column.Values[0]);
        Assert.Equal(999, column.Values[1000]);
    }

    [Fact]
    public void Constructor_WrongClrType_Throws()
    {
        Assert.Throws<ArgumentException>(() => new PrimitiveColumnBuffer<int>(Spec(ColumnKind.UInt16), 4));
    }

    [Fact]
    public void ListColumn_RowsNullsAndTruncate_KeepArrowOffsets()
    {
        var column = new ListColumnBuffer<ushort>(Spec(ColumnKind.List, ColumnKind.UInt16), 2);
        column.BeginRow();
        column.Elements.Append(1024);
        column.Elements.Append(980);
        column.EndRow();
        column.AppendNull();
        column.BeginRow();
        column.EndRow();
        column.BeginRow();
        column.Elements.Append(5);

        // A frame that was rejected half way: its open row is dropped with it.
        column.Truncate(3);

        Assert.Equal(3, column.Length);
        Assert.Equal(new[] { 0, 2, 2, 2 }, column.Offsets.ToArray());
        Assert.Equal(new ushort[] { 1024, 980 }, column.Row(0).ToArray());
        Assert.False(column.IsValid(1));
        Assert.Equal(0, column.Row(2).Length);
        Assert.Equal(2, column.Elements.Length);
    }
}
