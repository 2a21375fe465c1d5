namespace Ingest.Pipeline.Columns;

/// <summary>Reads one stored value of a numeric column as a double, whatever its buffer type (outside the hot path).</summary>
public static class ColumnNumbers
{
    /// <summary>
    /// The stored (unscaled) value of <paramref name="column"/> at <paramref name="row"/>, or null when the column is not
    /// a primitive numeric column. Validity is the caller's to check.
    /// </summary>
    public static double? StoredAt(ColumnBuffer column, int row) => column switch
    {
        PrimitiveColumnBuffer<sbyte> c => c.Values[row],
        PrimitiveColumnBuffer<short> c => c.Values[row],
        PrimitiveColumnBuffer<int> c => c.Values[row],
        PrimitiveColumnBuffer<long> c => c.Values[row],
        PrimitiveColumnBuffer<byte> c => c.Values[row],
        PrimitiveColumnBuffer<ushort> c => c.Values[row],
        PrimitiveColumnBuffer<uint> c => c.Values[row],
        PrimitiveColumnBuffer<ulong> c => c.Values[row],
        PrimitiveColumnBuffer<float> c => c.Values[row],
        PrimitiveColumnBuffer<double> c => c.Values[row],
        _ => null,
    };
}
