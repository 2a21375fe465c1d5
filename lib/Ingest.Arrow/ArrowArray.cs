using System.Buffers.Binary;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;

namespace Ingest.Arrow;

/// <summary>
/// A column read from IPC input: typed accessors over buffers that are slices of the input (no copy).
/// Every offset, length and dictionary index was validated against the input when the array was read, so
/// the accessors cannot read outside it. Immutable and thread-safe while the input memory is unchanged.
/// </summary>
public sealed class ArrowArray
{
    private readonly ArrowArray[] _children;

    internal ArrowArray(ArrowField field, int length, int nullCount, ReadOnlyMemory<byte> validity, ReadOnlyMemory<byte> values,
        ReadOnlyMemory<byte> offsets, ArrowArray[] children, ArrowArray? dictionary)
    {
        Field = field;
        Length = length;
        NullCount = nullCount;
        ValidityBuffer = validity;
        ValueBuffer = values;
        OffsetBuffer = offsets;
        _children = children;
        Dictionary = dictionary;
    }

    /// <summary>The field this column belongs to.</summary>
    public ArrowField Field { get; }

    /// <summary>The field's type (the value type for dictionary-encoded columns).</summary>
    public ArrowType Type => Field.Type;

    /// <summary>Number of slots.</summary>
    public int Length { get; }

    /// <summary>Number of null slots.</summary>
    public int NullCount { get; }

    /// <summary>Validity bitmap (empty when there are no nulls).</summary>
    public ReadOnlyMemory<byte> ValidityBuffer { get; }

    /// <summary>Values, variable-size data bytes or dictionary indices.</summary>
    public ReadOnlyMemory<byte> ValueBuffer { get; }

    /// <summary>int32 offsets of utf8, binary and list columns.</summary>
    public ReadOnlyMemory<byte> OffsetBuffer { get; }

    /// <summary>Child columns of list, fixed_size_list and struct columns.</summary>
    public IReadOnlyList<ArrowArray> Children => _children;

    /// <summary>The dictionary values of a dictionary-encoded column, else null.</summary>
    public ArrowArray? Dictionary { get; }

    /// <summary>True when slot <paramref name="index"/> is null.</summary>
    /// <param name="index">Slot.</param>
    public bool IsNull(int index)
    {
        CheckIndex(index);
        if (Type.Id == ArrowTypeId.Null && Dictionary is null)
        {
            return true;
        }

        return NullCount > 0 && (ValidityBuffer.Span[index >> 3] & (1 << (index & 7))) == 0;
    }

    /// <summary>The boolean at <paramref name="index"/> (false for null slots).</summary>
    /// <param name="index">Slot.</param>
    public bool GetBoolean(int index)
    {
        CheckIndex(index);
        Expect(Type.Id == ArrowTypeId.Boolean && Dictionary is null, "boolean");
        return (ValueBuffer.Span[index >> 3] & (1 << (index & 7))) != 0;
    }

    /// <summary>
    /// The integer at <paramref name="index"/> for integer, date, time, timestamp and duration columns, or the
    /// index of a dictionary-encoded column. uint64 values above <see cref="long.MaxValue"/> throw <see cref="OverflowException"/>.
    /// </summary>
    /// <param name="index">Slot.</param>
    public long GetInt64(int index)
    {
        CheckIndex(index);
        var type = Dictionary is null ? Type : Field.Dictionary!.IndexType;
        var span = ValueBuffer.Span;
        return type.Id switch
        {
            ArrowTypeId.Int8 => (sbyte)span[index],
            ArrowTypeId.UInt8 => span[index],
            ArrowTypeId.Int16 => BinaryPrimitives.ReadInt16LittleEndian(span.Slice(index * 2)),
            ArrowTypeId.UInt16 => BinaryPrimitives.ReadUInt16LittleEndian(span.Slice(index * 2)),
            ArrowTypeId.Int32 or ArrowTypeId.Date32 or ArrowTypeId.Time32 => BinaryPrimitives.ReadInt32LittleEndian(span.Slice(index * 4)),
            ArrowTypeId.UInt32 => BinaryPrimitives.ReadUInt32LittleEndian(span.Slice(index * 4)),
            ArrowTypeId.Int64 or ArrowTypeId.Date64 or ArrowTypeId.Time64 or ArrowTypeId.Timestamp or ArrowTypeId.Duration =>
                BinaryPrimitives.ReadInt64LittleEndian(span.Slice(index * 8)),
            ArrowTypeId.UInt64 => checked((long)BinaryPrimitives.ReadUInt64LittleEndian(span.Slice(index * 8))),
            _ => throw WrongType("integer or temporal"),
        };
    }

    /// <summary>The unsigned integer at <paramref name="index"/> of a uint8..uint64 column.</summary>
    /// <param name="index">Slot.</param>
    public ulong GetUInt64(int index)
    {
        CheckIndex(index);
        Expect(Dictionary is null && Type.Id is ArrowTypeId.UInt8 or ArrowTypeId.UInt16 or ArrowTypeId.UInt32 or ArrowTypeId.UInt64, "unsigned integer");
        return Type.Id == ArrowTypeId.UInt64 ? BinaryPrimitives.ReadUInt64LittleEndian(ValueBuffer.Span.Slice(index * 8)) : (ulong)GetInt64(index);
    }

    /// <summary>The floating-point value at <paramref name="index"/> of a float16/32/64 column.</summary>
    /// <param name="index">Slot.</param>
    public double GetDouble(int index)
    {
        CheckIndex(index);
        var span = ValueBuffer.Span;
        return Dictionary is not null ? throw WrongType("floating point") : Type.Id switch
        {
            ArrowTypeId.Float16 => (double)BinaryPrimitives.ReadHalfLittleEndian(span.Slice(index * 2)),
            ArrowTypeId.Float32 => BinaryPrimitives.ReadSingleLittleEndian(span.Slice(index * 4)),
            ArrowTypeId.Float64 => BinaryPrimitives.ReadDoubleLittleEndian(span.Slice(index * 8)),
            _ => throw WrongType("floating point"),
        };
    }

    /// <summary>The bytes at <paramref name="index"/> of a utf8, binary or fixed_size_binary column (empty for nulls).</summary>
    /// <param name="index">Slot.</param>
    public ReadOnlySpan<byte> GetBytes(int index)
    {
        CheckIndex(index);
        if (Dictionary is not null)
        {
            throw WrongType("binary (use Dictionary)");
        }

        if (Type.Id == ArrowTypeId.FixedSizeBinary)
        {
            return ValueBuffer.Span.Slice(index * Type.FixedSize, Type.FixedSize);
        }

        Expect(Type.Id is ArrowTypeId.Utf8 or ArrowTypeId.Binary, "utf8 or binary");
        var (start, length) = Range(index);
        return ValueBuffer.Span.Slice(start, length);
    }

    /// <summary>The string at <paramref name="index"/> of a utf8 column or a dictionary-encoded utf8 column (null for null slots).</summary>
    /// <param name="index">Slot.</param>
    public string? GetString(int index)
    {
        if (IsNull(index))
        {
            return null;
        }

        if (Dictionary is not null)
        {
            return Dictionary.GetString(GetDictionaryIndex(index));
        }

        Expect(Type.Id == ArrowTypeId.Utf8, "utf8");
        return Encoding.UTF8.GetString(GetBytes(index));
    }

    /// <summary>The dictionary index at <paramref name="index"/> of a dictionary-encoded column (validated to be in range for valid slots).</summary>
    /// <param name="index">Slot.</param>
    public int GetDictionaryIndex(int index)
    {
        Expect(Dictionary is not null, "dictionary-encoded");
        return (int)GetInt64(index);
    }

    /// <summary>The child range (start, count) of slot <paramref name="index"/> of a list or fixed_size_list column.</summary>
    /// <param name="index">Slot.</param>
    public (int Start, int Count) GetListRange(int index)
    {
        CheckIndex(index);
        if (Type.Id == ArrowTypeId.FixedSizeList)
        {
            return (index * Type.FixedSize, Type.FixedSize);
        }

        Expect(Type.Id == ArrowTypeId.List, "list or fixed_size_list");
        return Range(index);
    }

    /// <summary>
    /// The values of a fixed-width column (or the indices of a dictionary-encoded one) reinterpreted as
    /// <typeparamref name="T"/>, without copying. Arrow data is little-endian, as is every .NET platform we run on.
    /// </summary>
    /// <typeparam name="T">An unmanaged type of the column's byte width, e.g. <see cref="float"/> for float32.</typeparam>
    public ReadOnlySpan<T> GetValues<T>()
        where T : unmanaged
    {
        var width = Dictionary is null ? Type.ByteWidth : Field.Dictionary!.IndexType.ByteWidth;
        if (width == 0 || Marshal.SizeOf<T>() != width)
        {
            throw WrongType($"fixed-width of {Marshal.SizeOf<T>()} bytes");
        }

        return MemoryMarshal.Cast<byte, T>(ValueBuffer.Span.Slice(0, Length * width));
    }

    /// <summary>A human-readable rendering of slot <paramref name="index"/> (as the <c>arrow inspect</c> command prints it).</summary>
    /// <param name="index">Slot.</param>
    public string FormatValue(int index)
    {
        var builder = new StringBuilder();
        AppendValue(builder, index);
        return builder.ToString();
    }

    internal void AppendValue(StringBuilder builder, int index)
    {
        if (IsNull(index))
        {
            builder.Append("null");
            return;
        }

        if (Dictionary is not null)
        {
            Dictionary.AppendValue(builder, GetDictionaryIndex(index));
            return;
        }

        var culture = CultureInfo.InvariantCulture;
        switch (Type.Id)
        {
            case ArrowTypeId.Boolean:
                builder.Append(GetBoolean(index) ? "true" : "false");
                break;
            case ArrowTypeId.UInt64:
                builder.Append(GetUInt64(index).ToString(culture));
                break;
            case >= ArrowTypeId.Int8 and <= ArrowTypeId.UInt32:
                builder.Append(GetInt64(index).ToString(culture));
                break;
            case ArrowTypeId.Float16 or ArrowTypeId.Float32:
                builder.Append(((float)GetDouble(index)).ToString("R", culture));
                break;
            case ArrowTypeId.Float64:
                builder.Append(GetDouble(index).ToString("R", culture));
                break;
            case ArrowTypeId.Utf8:
                builder.Append('"').Append(GetString(index)).Append('"');
                break;
            case ArrowTypeId.Binary or ArrowTypeId.FixedSizeBinary:
                builder.Append("0x").Append(Convert.ToHexString(GetBytes(index)));
                break;
            case ArrowTypeId.Date32:
                AppendDate(builder, GetInt64(index) * 86_400_000L, false);
                break;
            case ArrowTypeId.Date64:
                AppendDate(builder, GetInt64(index), true);
                break;
            case ArrowTypeId.Timestamp:
                AppendTimestamp(builder, GetInt64(index), Type.Unit, Type.TimeZone);
                break;
            case ArrowTypeId.Time32 or ArrowTypeId.Time64:
                AppendTimeOfDay(builder, GetInt64(index), Type.Unit);
                break;
            case ArrowTypeId.Duration:
                builder.Append(GetInt64(index).ToString(culture)).Append(UnitSymbol(Type.Unit));
                break;
            case ArrowTypeId.List or ArrowTypeId.FixedSizeList:
            {
                var (start, count) = GetListRange(index);
                builder.Append('[');
                for (var i = 0; i < count; i++)
                {
                    if (i > 0)
                    {
                        builder.Append(", ");
                    }

                    _children[0].AppendValue(builder, start + i);
                }

                builder.Append(']');
                break;
            }

            case ArrowTypeId.Struct:
                builder.Append('{');
                for (var i = 0; i < _children.Length; i++)
                {
                    if (i > 0)
                    {
                        builder.Append(", ");
                    }

                    builder.Append(_children[i].Field.Name).Append(": ");
                    _children[i].AppendValue(builder, index);
                }

                builder.Append('}');
                break;
            default:
                builder.Append('?');
                break;
        }
    }

    private static void AppendDate(StringBuilder builder, long milliseconds, bool withTime)
    {
        if (milliseconds < -62_135_596_800_000L || milliseconds > 253_402_300_799_999L)
        {
            builder.Append(milliseconds.ToString(CultureInfo.InvariantCulture)).Append("ms");
            return;
        }

        var value = DateTime.UnixEpoch.AddMilliseconds(milliseconds);
        builder.Append(value.ToString(withTime && value.TimeOfDay != TimeSpan.Zero ? "yyyy-MM-dd HH:mm:ss.fff" : "yyyy-MM-dd", CultureInfo.InvariantCulture));
    }

    private static void AppendTimeOfDay(StringBuilder builder, long value, ArrowTimeUnit unit)
    {
        var (perSecond, digits) = Resolution(unit);
        if (value < 0 || value >= 86_400L * perSecond)
        {
            builder.Append(value.ToString(CultureInfo.InvariantCulture)).Append(UnitSymbol(unit));
            return;
        }

        var seconds = Math.DivRem(value, perSecond, out var fraction);
        builder.Append(TimeSpan.FromSeconds(seconds).ToString("hh\\:mm\\:ss", CultureInfo.InvariantCulture));
        if (digits > 0)
        {
            builder.Append('.').Append(fraction.ToString(CultureInfo.InvariantCulture).PadLeft(digits, '0'));
        }
    }

    private static (long PerSecond, int Digits) Resolution(ArrowTimeUnit unit) => unit switch
    {
        ArrowTimeUnit.Second => (1L, 0),
        ArrowTimeUnit.Millisecond => (1_000L, 3),
        ArrowTimeUnit.Microsecond => (1_000_000L, 6),
        _ => (1_000_000_000L, 9),
    };

    private static void AppendTimestamp(StringBuilder builder, long value, ArrowTimeUnit unit, string? timeZone)
    {
        var (perSecond, digits) = Resolution(unit);
        var seconds = Math.DivRem(value, perSecond, out var fraction);
        if (fraction < 0)
        {
            seconds--;
            fraction += perSecond;
        }

        // DateTime covers years 1..9999; print the raw count outside that range.
        if (seconds < -62_135_596_800L || seconds > 253_402_300_799L)
        {
            builder.Append(value.ToString(CultureInfo.InvariantCulture)).Append(UnitSymbol(unit));
            return;
        }

        builder.Append(DateTime.UnixEpoch.AddSeconds(seconds).ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture));
        if (digits > 0)
        {
            builder.Append('.').Append(fraction.ToString(CultureInfo.InvariantCulture).PadLeft(digits, '0'));
        }

        if (timeZone is not null)
        {
            // Values are UTC instants whatever the zone (Schema.fbs Timestamp).
            builder.Append('Z');
        }
    }

    private static string UnitSymbol(ArrowTimeUnit unit) => unit switch
    {
        ArrowTimeUnit.Second => "s",
        ArrowTimeUnit.Millisecond => "ms",
        ArrowTimeUnit.Microsecond => "us",
        _ => "ns",
    };

    private (int Start, int Length) Range(int index)
    {
        var offsets = OffsetBuffer.Span;
        var start = BinaryPrimitives.ReadInt32LittleEndian(offsets.Slice(index * 4));
        var end = BinaryPrimitives.ReadInt32LittleEndian(offsets.Slice((index + 1) * 4));
        return (start, end - start);
    }

    private void CheckIndex(int index) => ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual((uint)index, (uint)Length, nameof(index));

    private void Expect(bool condition, string what)
    {
        if (!condition)
        {
            throw WrongType(what);
        }
    }

    private InvalidOperationException WrongType(string what) =>
        new($"column '{Field.Name}' of type {Type}{(Dictionary is null ? string.Empty : " (dictionary)")} is not {what}");
}
