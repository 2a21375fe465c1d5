using System.Buffers.Binary;
using Ingest.Pipeline.Columns;
using Ingest.Pipeline.Decoding.Ieee11073;

namespace Ingest.Pipeline.Decoding.Sig;

/// <summary>
/// Writes IEEE-11073 SFLOAT/FLOAT fields as a (value, status) column pair, the representation documented on
/// <see cref="MderStatus"/>: the value is null for NaN, NRes and Reserved and ±Infinity for the infinities; the
/// uint8 status column holds the <see cref="MderStatus"/> code; both are null when the field is absent.
/// </summary>
internal static class MderColumns
{
    /// <summary>Suffix of the status column paired with a value column.</summary>
    public const string StatusSuffix = "_status";

    /// <summary>Description of the status codes, shared by every status column.</summary>
    public const string StatusCodes = "0 value, 1 NaN, 2 NRes, 3 +INF, 4 -INF, 5 reserved";

    /// <summary>The value column and its status column for an SFLOAT field.</summary>
    public static ColumnSpec[] SFloatPair(string name, string unit, string description, bool optional) =>
        Pair(name, ColumnKind.Float32, unit, description, optional);

    /// <summary>The value column and its status column for a FLOAT field.</summary>
    public static ColumnSpec[] FloatPair(string name, string unit, string description, bool optional) =>
        Pair(name, ColumnKind.Float64, unit, description, optional);

    /// <summary>Appends <paramref name="number"/> to its value and status columns.</summary>
    public static void Append(PrimitiveColumnBuffer<float> value, PrimitiveColumnBuffer<byte> status, SFloat number)
    {
        var kind = number.Status;
        if (kind is MderStatus.NaN or MderStatus.NRes or MderStatus.Reserved)
        {
            value.AppendNull();
        }
        else
        {
            value.Append(number.ToSingle());
        }

        status.Append((byte)kind);
    }

    /// <summary>
    /// Appends the SFLOAT at <paramref name="at"/> in <paramref name="frame"/> (bounds checked by the caller) to value
    /// column <paramref name="valueColumn"/> and the status column after it, or nulls when not <paramref name="present"/>.
    /// </summary>
    public static void AppendSFloat(StreamColumns columns, int valueColumn, ReadOnlySpan<byte> frame, int at, bool present)
    {
        var value = columns.Values<float>(valueColumn);
        var status = columns.Values<byte>(valueColumn + 1);
        if (present)
        {
            Append(value, status, new SFloat(BinaryPrimitives.ReadUInt16LittleEndian(frame.Slice(at, 2))));
        }
        else
        {
            AppendAbsent(value, status);
        }
    }

    /// <summary>Appends an absent field (both columns null).</summary>
    public static void AppendAbsent(PrimitiveColumnBuffer<float> value, PrimitiveColumnBuffer<byte> status)
    {
        value.AppendNull();
        status.AppendNull();
    }

    private static ColumnSpec[] Pair(string name, ColumnKind kind, string unit, string description, bool optional) =>
    [
        new ColumnSpec
        {
            Name = name,
            Kind = kind,
            Unit = unit,
            Nullable = true,
            Description = description + " (IEEE-11073 " + (kind == ColumnKind.Float32 ? "SFLOAT" : "FLOAT") +
                "; null for NaN/NRes/reserved" + (optional ? " or when absent" : "") + ", +/-Infinity for +/-INF; see " + name + StatusSuffix + ")",
        },
        new ColumnSpec
        {
            Name = name + StatusSuffix,
            Kind = ColumnKind.UInt8,
            Nullable = optional,
            Description = "IEEE-11073 status of " + name + ": " + StatusCodes + (optional ? "; null when absent" : ""),
        },
    ];
}
