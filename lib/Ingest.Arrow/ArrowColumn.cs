namespace Ingest.Arrow;

/// <summary>
/// One column of a record batch as raw little-endian Arrow buffers, accepted by the writers as-is (no
/// per-value work). Which buffers are used depends on the field type:
/// <list type="bullet">
/// <item>fixed-width, boolean and dictionary indices: <see cref="Values"/> (bit-packed for boolean);</item>
/// <item>utf8/binary: <see cref="Offsets"/> (length + 1 int32, the first 0) and <see cref="Values"/> (the bytes);</item>
/// <item>list: <see cref="Offsets"/> and one child; fixed_size_list: one child of length × list size; struct: one child per field;</item>
/// <item>null: nothing.</item>
/// </list>
/// <see cref="Validity"/> (LSB-first bitmap, bit set = valid) is read only when <see cref="NullCount"/> &gt; 0 and
/// is then written; a column without nulls is written without a bitmap. Buffers may be longer than needed
/// (e.g. pooled); only the bytes the length requires are written. The caller keeps the memory alive and
/// unchanged until the write call returns.
/// </summary>
public readonly struct ArrowColumn
{
    /// <summary>Creates a column from its parts; prefer the named factories.</summary>
    /// <param name="length">Number of slots.</param>
    /// <param name="nullCount">Number of null slots (must match the bitmap).</param>
    /// <param name="validity">Validity bitmap, used only when <paramref name="nullCount"/> &gt; 0.</param>
    /// <param name="values">Values, variable-size data or dictionary indices.</param>
    /// <param name="offsets">int32 offsets of utf8/binary/list columns.</param>
    /// <param name="children">Child columns of nested types.</param>
    public ArrowColumn(int length, int nullCount, ReadOnlyMemory<byte> validity, ReadOnlyMemory<byte> values,
        ReadOnlyMemory<byte> offsets = default, ReadOnlyMemory<ArrowColumn> children = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        ArgumentOutOfRangeException.ThrowIfNegative(nullCount);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(nullCount, length);
        Length = length;
        NullCount = nullCount;
        Validity = validity;
        Values = values;
        Offsets = offsets;
        Children = children;
    }

    /// <summary>Number of slots.</summary>
    public int Length { get; }

    /// <summary>Number of null slots.</summary>
    public int NullCount { get; }

    /// <summary>Validity bitmap (LSB-first), at least ⌈length / 8⌉ bytes when <see cref="NullCount"/> &gt; 0.</summary>
    public ReadOnlyMemory<byte> Validity { get; }

    /// <summary>Values (fixed-width, bit-packed booleans, dictionary indices) or the data bytes of utf8/binary.</summary>
    public ReadOnlyMemory<byte> Values { get; }

    /// <summary>int32 little-endian offsets (length + 1 of them) of utf8, binary and list columns.</summary>
    public ReadOnlyMemory<byte> Offsets { get; }

    /// <summary>Child columns of list, fixed_size_list and struct columns.</summary>
    public ReadOnlyMemory<ArrowColumn> Children { get; }

    /// <summary>A fixed-width (integer, float, temporal, fixed_size_binary), boolean or dictionary-index column.</summary>
    /// <param name="length">Number of slots.</param>
    /// <param name="values">Little-endian values (bit-packed for boolean).</param>
    /// <param name="validity">Validity bitmap, needed only when <paramref name="nullCount"/> &gt; 0.</param>
    /// <param name="nullCount">Number of nulls.</param>
    /// <returns>The column.</returns>
    public static ArrowColumn Primitive(int length, ReadOnlyMemory<byte> values, ReadOnlyMemory<byte> validity = default, int nullCount = 0) =>
        new(length, nullCount, validity, values);

    /// <summary>A utf8 or binary column.</summary>
    /// <param name="length">Number of slots.</param>
    /// <param name="offsets">length + 1 int32 little-endian offsets, starting at 0.</param>
    /// <param name="data">The concatenated value bytes.</param>
    /// <param name="validity">Validity bitmap, needed only when <paramref name="nullCount"/> &gt; 0.</param>
    /// <param name="nullCount">Number of nulls.</param>
    /// <returns>The column.</returns>
    public static ArrowColumn VariableSize(int length, ReadOnlyMemory<byte> offsets, ReadOnlyMemory<byte> data,
        ReadOnlyMemory<byte> validity = default, int nullCount = 0) =>
        new(length, nullCount, validity, data, offsets);

    /// <summary>A list column: offsets into a single child column.</summary>
    /// <param name="length">Number of slots.</param>
    /// <param name="offsets">length + 1 int32 little-endian offsets into the child, starting at 0.</param>
    /// <param name="item">A one-element memory holding the child column.</param>
    /// <param name="validity">Validity bitmap, needed only when <paramref name="nullCount"/> &gt; 0.</param>
    /// <param name="nullCount">Number of nulls.</param>
    /// <returns>The column.</returns>
    public static ArrowColumn List(int length, ReadOnlyMemory<byte> offsets, ReadOnlyMemory<ArrowColumn> item,
        ReadOnlyMemory<byte> validity = default, int nullCount = 0) =>
        new(length, nullCount, validity, default, offsets, item);

    /// <summary>A fixed_size_list column whose single child has length × list size values.</summary>
    /// <param name="length">Number of slots.</param>
    /// <param name="item">A one-element memory holding the child column.</param>
    /// <param name="validity">Validity bitmap, needed only when <paramref name="nullCount"/> &gt; 0.</param>
    /// <param name="nullCount">Number of nulls.</param>
    /// <returns>The column.</returns>
    public static ArrowColumn FixedSizeList(int length, ReadOnlyMemory<ArrowColumn> item, ReadOnlyMemory<byte> validity = default, int nullCount = 0) =>
        new(length, nullCount, validity, default, default, item);

    /// <summary>A struct column with one child per struct field, each of the same length.</summary>
    /// <param name="length">Number of slots.</param>
    /// <param name="children">The child columns in field order.</param>
    /// <param name="validity">Validity bitmap, needed only when <paramref name="nullCount"/> &gt; 0.</param>
    /// <param name="nullCount">Number of nulls.</param>
    /// <returns>The column.</returns>
    public static ArrowColumn Struct(int length, ReadOnlyMemory<ArrowColumn> children, ReadOnlyMemory<byte> validity = default, int nullCount = 0) =>
        new(length, nullCount, validity, default, default, children);

    /// <summary>A column of the null type (every slot null).</summary>
    /// <param name="length">Number of slots.</param>
    /// <returns>The column.</returns>
    public static ArrowColumn Null(int length) => new(length, length, default, default);
}
