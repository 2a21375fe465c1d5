using System.Buffers.Binary;
using Apache.Arrow;
using Apache.Arrow.Types;

namespace Ingest.Gateway.Receiving;

/// <summary>
/// Checks that every buffer of a decoded Arrow array is long enough for its length and offset, and that list and string
/// offsets stay inside their child or data buffer. Apache.Arrow's reader slices what the IPC message declares without this
/// check, and the Parquet writer (native Arrow C++) would read past a short buffer. Only the column types the hub writes
/// (docs/wire/batch-format.md) are accepted.
/// </summary>
internal static class ArrowArrayBounds
{
    /// <summary>Nesting the hub never exceeds (list of primitive is 2); deeper is refused before recursion can hurt.</summary>
    public const int MaximumDepth = 4;

    /// <summary>Null when <paramref name="data"/> is in bounds, else what is wrong.</summary>
    public static string? Problem(ArrayData data, int depth = 0)
    {
        ArgumentNullException.ThrowIfNull(data);
        if (depth > MaximumDepth)
        {
            return $"nested deeper than {MaximumDepth}";
        }

        if (data.Length < 0 || data.Offset < 0 || data.NullCount < 0 || data.NullCount > data.Length)
        {
            return "negative length, offset or null count";
        }

        long end = (long)data.Offset + data.Length;
        if (data.Buffers.Length == 0)
        {
            return "no buffers";
        }

        var validity = data.Buffers[0];
        if (validity.Length > 0 ? validity.Length < (end + 7) / 8 : data.NullCount > 0)
        {
            return "validity bitmap shorter than the rows";
        }

        switch (data.DataType)
        {
            case BooleanType:
                return Buffer(data, 1) is { } b && b.Length >= (end + 7) / 8 ? null : "value bitmap shorter than the rows";
            case FixedWidthType fixedWidth when fixedWidth.BitWidth % 8 == 0 && fixedWidth.BitWidth > 0:
                return Buffer(data, 1) is { } v && v.Length >= checked(end * (fixedWidth.BitWidth / 8)) ? null : "value buffer shorter than the rows";
            case ListType:
                if (data.Children.Length != 1)
                {
                    return "a list without exactly one child";
                }

                return Offsets(data, end, data.Children[0].Length) ?? Problem(data.Children[0], depth + 1);
            case StringType or BinaryType:
                return Buffer(data, 2) is { } bytes ? Offsets(data, end, bytes.Length) : "no data buffer";
            default:
                return $"type {data.DataType.Name} is not one the hub writes";
        }
    }

    private static ArrowBuffer? Buffer(ArrayData data, int index) => data.Buffers.Length > index ? data.Buffers[index] : null;

    /// <summary>Int32 offsets from <c>Offset</c> to <paramref name="end"/>: present, non-decreasing, within [0, <paramref name="limit"/>].</summary>
    private static string? Offsets(ArrayData data, long end, int limit)
    {
        if (Buffer(data, 1) is not { } buffer || buffer.Length < checked((end + 1) * sizeof(int)))
        {
            return "offsets buffer shorter than the rows";
        }

        var span = buffer.Span;
        var previous = BinaryPrimitives.ReadInt32LittleEndian(span[(data.Offset * sizeof(int))..]);
        if (previous < 0)
        {
            return "a negative offset";
        }

        for (long i = data.Offset + 1; i <= end; i++)
        {
            var next = BinaryPrimitives.ReadInt32LittleEndian(span[(int)(i * sizeof(int))..]);
            if (next < previous)
            {
                return "offsets decrease";
            }

            previous = next;
        }

        return previous <= limit ? null : "offsets point past the end of the values";
    }
}
