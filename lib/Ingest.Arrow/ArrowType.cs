using System.Text;

namespace Ingest.Arrow;

/// <summary>
/// An Arrow data type. Parameterless types are shared singletons; parameterised and nested types are
/// created with the static factories. Instances are immutable and compare by value.
/// </summary>
public sealed class ArrowType : IEquatable<ArrowType>
{
    private static readonly ArrowField[] s_noChildren = [];

    private ArrowType(ArrowTypeId id, ArrowTimeUnit unit = ArrowTimeUnit.Second, string? timeZone = null,
        int fixedSize = 0, ArrowField[]? children = null)
    {
        Id = id;
        Unit = unit;
        TimeZone = timeZone;
        FixedSize = fixedSize;
        Children = children ?? s_noChildren;
    }

    /// <summary>The null type.</summary>
    public static ArrowType Null { get; } = new(ArrowTypeId.Null);

    /// <summary>Bit-packed boolean.</summary>
    public static ArrowType Boolean { get; } = new(ArrowTypeId.Boolean);

    /// <summary>Signed 8-bit integer.</summary>
    public static ArrowType Int8 { get; } = new(ArrowTypeId.Int8);

    /// <summary>Signed 16-bit integer.</summary>
    public static ArrowType Int16 { get; } = new(ArrowTypeId.Int16);

    /// <summary>Signed 32-bit integer.</summary>
    public static ArrowType Int32 { get; } = new(ArrowTypeId.Int32);

    /// <summary>Signed 64-bit integer.</summary>
    public static ArrowType Int64 { get; } = new(ArrowTypeId.Int64);

    /// <summary>Unsigned 8-bit integer.</summary>
    public static ArrowType UInt8 { get; } = new(ArrowTypeId.UInt8);

    /// <summary>Unsigned 16-bit integer.</summary>
    public static ArrowType UInt16 { get; } = new(ArrowTypeId.UInt16);

    /// <summary>Unsigned 32-bit integer.</summary>
    public static ArrowType UInt32 { get; } = new(ArrowTypeId.UInt32);

    /// <summary>Unsigned 64-bit integer.</summary>
    public static ArrowType UInt64 { get; } = new(ArrowTypeId.UInt64);

    /// <summary>IEEE-754 binary16.</summary>
    public static ArrowType Float16 { get; } = new(ArrowTypeId.Float16);

    /// <summary>IEEE-754 binary32.</summary>
    public static ArrowType Float32 { get; } = new(ArrowTypeId.Float32);

    /// <summary>IEEE-754 binary64.</summary>
    public static ArrowType Float64 { get; } = new(ArrowTypeId.Float64);

    /// <summary>UTF-8 string with int32 offsets.</summary>
    public static ArrowType Utf8 { get; } = new(ArrowTypeId.Utf8);

    /// <summary>Bytes with int32 offsets.</summary>
    public static ArrowType Binary { get; } = new(ArrowTypeId.Binary);

    /// <summary>int32 days since the UNIX epoch.</summary>
    public static ArrowType Date32 { get; } = new(ArrowTypeId.Date32);

    /// <summary>int64 milliseconds since the UNIX epoch.</summary>
    public static ArrowType Date64 { get; } = new(ArrowTypeId.Date64);

    /// <summary>The type's kind.</summary>
    public ArrowTypeId Id { get; }

    /// <summary>Time unit of <see cref="ArrowTypeId.Timestamp"/>, <see cref="ArrowTypeId.Time32"/>,
    /// <see cref="ArrowTypeId.Time64"/> and <see cref="ArrowTypeId.Duration"/>; <see cref="ArrowTimeUnit.Second"/> otherwise.</summary>
    public ArrowTimeUnit Unit { get; }

    /// <summary>Time zone of a timestamp (null = time-zone naive).</summary>
    public string? TimeZone { get; }

    /// <summary>Byte width of a fixed_size_binary or list size of a fixed_size_list; 0 otherwise.</summary>
    public int FixedSize { get; }

    /// <summary>Child fields of list, fixed_size_list (one each) and struct types; empty otherwise.</summary>
    public IReadOnlyList<ArrowField> Children { get; }

    /// <summary>True for the eight integer types.</summary>
    public bool IsInteger => Id is >= ArrowTypeId.Int8 and <= ArrowTypeId.UInt64;

    /// <summary>True for the signed integer types.</summary>
    public bool IsSignedInteger => Id is >= ArrowTypeId.Int8 and <= ArrowTypeId.Int64;

    /// <summary>True for types whose values are a fixed number of bytes each (not boolean, which is bit-packed).</summary>
    public bool IsFixedWidth => ByteWidth > 0;

    /// <summary>Bytes per value of fixed-width types; 0 for null, boolean, variable-size and nested types.</summary>
    public int ByteWidth => Id switch
    {
        ArrowTypeId.Int8 or ArrowTypeId.UInt8 => 1,
        ArrowTypeId.Int16 or ArrowTypeId.UInt16 or ArrowTypeId.Float16 => 2,
        ArrowTypeId.Int32 or ArrowTypeId.UInt32 or ArrowTypeId.Float32 or ArrowTypeId.Date32 or ArrowTypeId.Time32 => 4,
        ArrowTypeId.Int64 or ArrowTypeId.UInt64 or ArrowTypeId.Float64 or ArrowTypeId.Date64 or ArrowTypeId.Time64
            or ArrowTypeId.Timestamp or ArrowTypeId.Duration => 8,
        ArrowTypeId.FixedSizeBinary => FixedSize,
        _ => 0,
    };

    /// <summary>A timestamp: int64 count of <paramref name="unit"/> since 1970-01-01T00:00:00Z.</summary>
    /// <param name="unit">Resolution.</param>
    /// <param name="timeZone">"UTC", an Olson name or "+HH:MM" for a zone-aware timestamp; null (or empty) for a naive one.</param>
    public static ArrowType Timestamp(ArrowTimeUnit unit, string? timeZone = null)
    {
        CheckUnit(unit);
        return new(ArrowTypeId.Timestamp, unit, string.IsNullOrEmpty(timeZone) ? null : timeZone);
    }

    /// <summary>A 32-bit time of day in seconds or milliseconds.</summary>
    /// <param name="unit">Second or Millisecond.</param>
    public static ArrowType Time32(ArrowTimeUnit unit)
    {
        if (unit is not (ArrowTimeUnit.Second or ArrowTimeUnit.Millisecond))
        {
            ThrowHelper.ThrowArgument("time32 takes seconds or milliseconds", nameof(unit));
        }

        return new(ArrowTypeId.Time32, unit);
    }

    /// <summary>A 64-bit time of day in microseconds or nanoseconds.</summary>
    /// <param name="unit">Microsecond or Nanosecond.</param>
    public static ArrowType Time64(ArrowTimeUnit unit)
    {
        if (unit is not (ArrowTimeUnit.Microsecond or ArrowTimeUnit.Nanosecond))
        {
            ThrowHelper.ThrowArgument("time64 takes microseconds or nanoseconds", nameof(unit));
        }

        return new(ArrowTypeId.Time64, unit);
    }

    /// <summary>A 64-bit duration in <paramref name="unit"/>.</summary>
    /// <param name="unit">Resolution.</param>
    public static ArrowType Duration(ArrowTimeUnit unit)
    {
        CheckUnit(unit);
        return new(ArrowTypeId.Duration, unit);
    }

    /// <summary>Fixed-width bytes.</summary>
    /// <param name="byteWidth">Bytes per value, 1 ≤ width ≤ <see cref="ArrowLimits.MaxFixedSize"/>.</param>
    public static ArrowType FixedSizeBinary(int byteWidth)
    {
        CheckFixedSize(byteWidth, nameof(byteWidth));
        return new(ArrowTypeId.FixedSizeBinary, fixedSize: byteWidth);
    }

    /// <summary>A variable-size list of <paramref name="item"/> (conventionally named "item").</summary>
    /// <param name="item">The child field.</param>
    public static ArrowType List(ArrowField item)
    {
        ArgumentNullException.ThrowIfNull(item);
        return new(ArrowTypeId.List, children: [item]);
    }

    /// <summary>A fixed-size list of <paramref name="listSize"/> <paramref name="item"/> values per slot.</summary>
    /// <param name="item">The child field (conventionally named "item").</param>
    /// <param name="listSize">Values per slot, 1 ≤ size ≤ <see cref="ArrowLimits.MaxFixedSize"/>.</param>
    public static ArrowType FixedSizeList(ArrowField item, int listSize)
    {
        ArgumentNullException.ThrowIfNull(item);
        CheckFixedSize(listSize, nameof(listSize));
        return new(ArrowTypeId.FixedSizeList, fixedSize: listSize, children: [item]);
    }

    /// <summary>A struct of the given child fields.</summary>
    /// <param name="fields">The children, in order.</param>
    public static ArrowType Struct(params ReadOnlySpan<ArrowField> fields)
    {
        var children = fields.ToArray();
        foreach (var child in children)
        {
            ArgumentNullException.ThrowIfNull(child, nameof(fields));
        }

        return new(ArrowTypeId.Struct, children: children);
    }

    /// <inheritdoc />
    public bool Equals(ArrowType? other)
    {
        if (ReferenceEquals(this, other))
        {
            return true;
        }

        if (other is null || Id != other.Id || Unit != other.Unit || FixedSize != other.FixedSize
            || !string.Equals(TimeZone, other.TimeZone, StringComparison.Ordinal) || Children.Count != other.Children.Count)
        {
            return false;
        }

        for (var i = 0; i < Children.Count; i++)
        {
            if (!Children[i].Equals(other.Children[i]))
            {
                return false;
            }
        }

        return true;
    }

    /// <inheritdoc />
    public override bool Equals(object? obj) => Equals(obj as ArrowType);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(Id, Unit, FixedSize, TimeZone, Children.Count);

    /// <summary>The type as Arrow C++/pyarrow print it, e.g. <c>timestamp[us, tz=UTC]</c> or <c>fixed_size_list&lt;item: float&gt;[3]</c>.</summary>
    public override string ToString()
    {
        var builder = new StringBuilder();
        Append(builder);
        return builder.ToString();
    }

    internal void Append(StringBuilder builder)
    {
        switch (Id)
        {
            case ArrowTypeId.Timestamp:
                builder.Append("timestamp[").Append(UnitSuffix(Unit));
                if (TimeZone is not null)
                {
                    builder.Append(", tz=").Append(TimeZone);
                }

                builder.Append(']');
                break;
            case ArrowTypeId.Time32:
            case ArrowTypeId.Time64:
                builder.Append(Id == ArrowTypeId.Time32 ? "time32[" : "time64[").Append(UnitSuffix(Unit)).Append(']');
                break;
            case ArrowTypeId.Duration:
                builder.Append("duration[").Append(UnitSuffix(Unit)).Append(']');
                break;
            case ArrowTypeId.FixedSizeBinary:
                builder.Append("fixed_size_binary[").Append(FixedSize).Append(']');
                break;
            case ArrowTypeId.List:
                builder.Append("list<");
                Children[0].Append(builder);
                builder.Append('>');
                break;
            case ArrowTypeId.FixedSizeList:
                builder.Append("fixed_size_list<");
                Children[0].Append(builder);
                builder.Append(">[").Append(FixedSize).Append(']');
                break;
            case ArrowTypeId.Struct:
                builder.Append("struct<");
                for (var i = 0; i < Children.Count; i++)
                {
                    if (i > 0)
                    {
                        builder.Append(", ");
                    }

                    Children[i].Append(builder);
                }

                builder.Append('>');
                break;
            default:
                builder.Append(SimpleName(Id));
                break;
        }
    }

    private static string SimpleName(ArrowTypeId id) => id switch
    {
        ArrowTypeId.Null => "null",
        ArrowTypeId.Boolean => "bool",
        ArrowTypeId.Int8 => "int8",
        ArrowTypeId.Int16 => "int16",
        ArrowTypeId.Int32 => "int32",
        ArrowTypeId.Int64 => "int64",
        ArrowTypeId.UInt8 => "uint8",
        ArrowTypeId.UInt16 => "uint16",
        ArrowTypeId.UInt32 => "uint32",
        ArrowTypeId.UInt64 => "uint64",
        ArrowTypeId.Float16 => "halffloat",
        ArrowTypeId.Float32 => "float",
        ArrowTypeId.Float64 => "double",
        ArrowTypeId.Utf8 => "string",
        ArrowTypeId.Binary => "binary",
        ArrowTypeId.Date32 => "date32[day]",
        ArrowTypeId.Date64 => "date64[ms]",
        _ => id.ToString(),
    };

    private static string UnitSuffix(ArrowTimeUnit unit) => unit switch
    {
        ArrowTimeUnit.Second => "s",
        ArrowTimeUnit.Millisecond => "ms",
        ArrowTimeUnit.Microsecond => "us",
        _ => "ns",
    };

    private static void CheckUnit(ArrowTimeUnit unit)
    {
        if (unit is < ArrowTimeUnit.Second or > ArrowTimeUnit.Nanosecond)
        {
            ThrowHelper.ThrowArgument("unknown time unit", nameof(unit));
        }
    }

    private static void CheckFixedSize(int size, string paramName)
    {
        if (size is < 1 or > ArrowLimits.MaxFixedSize)
        {
            ThrowHelper.ThrowArgument($"must be between 1 and {ArrowLimits.MaxFixedSize}", paramName);
        }
    }
}
