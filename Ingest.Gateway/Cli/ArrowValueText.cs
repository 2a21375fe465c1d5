using System.Globalization;
using System.Text;
using Apache.Arrow;
using Apache.Arrow.Arrays;
using Apache.Arrow.Types;

namespace Ingest.Gateway.Cli;

/// <summary>
/// One value of an Apache.Arrow array as <c>arrow inspect</c> prints it: timestamps as UTC date-times in their
/// unit's precision, strings quoted, binary as hex, lists in brackets, structs in braces. Types the hub never
/// writes and this printer does not know print as <c>&lt;type&gt;</c>.
/// </summary>
internal static class ArrowValueText
{
    private static readonly CultureInfo s_invariant = CultureInfo.InvariantCulture;

    public static string Format(IArrowArray array, int index)
    {
        var text = new StringBuilder();
        Append(text, array, index);
        return text.ToString();
    }

    public static void Append(StringBuilder text, IArrowArray array, int index)
    {
        if (array.IsNull(index))
        {
            text.Append("null");
            return;
        }

        switch (array)
        {
            case DictionaryArray dictionary:
                Append(text, dictionary.Dictionary, checked((int)IntegerAt(dictionary.Indices, index)));
                break;
            case BooleanArray booleans:
                text.Append(booleans.GetValue(index) == true ? "true" : "false");
                break;
            case TimestampArray timestamps:
            {
                var type = (TimestampType)timestamps.Data.DataType;
                AppendTimestamp(text, timestamps.Values[index], type.Unit, !string.IsNullOrEmpty(type.Timezone));
                break;
            }

            case Time32Array time32:
                AppendTimeOfDay(text, time32.Values[index], ((Time32Type)time32.Data.DataType).Unit);
                break;
            case Time64Array time64:
                AppendTimeOfDay(text, time64.Values[index], ((Time64Type)time64.Data.DataType).Unit);
                break;
            case DurationArray durations:
                text.Append(durations.Values[index].ToString(s_invariant)).Append(ArrowTypeText.Unit(((DurationType)durations.Data.DataType).Unit));
                break;
            case Date32Array dates:
                AppendDate(text, dates.Values[index] * 86_400_000L, withTime: false);
                break;
            case Date64Array dates:
                AppendDate(text, dates.Values[index], withTime: true);
                break;
            case FloatArray floats:
                text.Append(floats.Values[index].ToString("R", s_invariant));
                break;
            case DoubleArray doubles:
                text.Append(doubles.Values[index].ToString("R", s_invariant));
                break;
            case HalfFloatArray halves:
                text.Append(((float)halves.Values[index]).ToString("R", s_invariant));
                break;
            case UInt64Array unsigned:
                text.Append(unsigned.Values[index].ToString(s_invariant));
                break;
            case StringArray strings:
                text.Append('"').Append(strings.GetString(index)).Append('"');
                break;
            case BinaryArray binary:
                text.Append("0x").Append(Convert.ToHexString(binary.GetBytes(index)));
                break;
            case FixedSizeBinaryArray fixedBinary when fixedBinary.Data.DataType.TypeId == ArrowTypeId.FixedSizedBinary:
                text.Append("0x").Append(Convert.ToHexString(fixedBinary.GetBytes(index)));
                break;
            case ListArray list:
                AppendRange(text, list.Values, list.ValueOffsets[index], list.GetValueLength(index));
                break;
            case FixedSizeListArray fixedList:
            {
                var size = ((FixedSizeListType)fixedList.Data.DataType).ListSize;
                AppendRange(text, fixedList.Values, (fixedList.Offset + index) * size, size);
                break;
            }

            case StructArray structs:
            {
                var fields = ((StructType)structs.Data.DataType).Fields;
                text.Append('{');
                for (var i = 0; i < fields.Count; i++)
                {
                    text.Append(i > 0 ? ", " : string.Empty).Append(fields[i].Name).Append(": ");
                    Append(text, structs.Fields[i], index);
                }

                text.Append('}');
                break;
            }

            default:
                if (IsInteger(array.Data.DataType.TypeId))
                {
                    text.Append(IntegerAt(array, index).ToString(s_invariant));
                }
                else
                {
                    text.Append('<').Append(array.Data.DataType.Name).Append('>');
                }

                break;
        }
    }

    private static bool IsInteger(ArrowTypeId id) =>
        id is ArrowTypeId.Int8 or ArrowTypeId.Int16 or ArrowTypeId.Int32 or ArrowTypeId.Int64
            or ArrowTypeId.UInt8 or ArrowTypeId.UInt16 or ArrowTypeId.UInt32;

    private static long IntegerAt(IArrowArray array, int index) => array switch
    {
        Int8Array a => a.Values[index],
        Int16Array a => a.Values[index],
        Int32Array a => a.Values[index],
        Int64Array a => a.Values[index],
        UInt8Array a => a.Values[index],
        UInt16Array a => a.Values[index],
        UInt32Array a => a.Values[index],
        UInt64Array a => checked((long)a.Values[index]),
        _ => throw new InvalidDataException($"expected an integer array, found {array.Data.DataType.Name}"),
    };

    private static void AppendRange(StringBuilder text, IArrowArray values, int start, int count)
    {
        text.Append('[');
        for (var i = 0; i < count; i++)
        {
            text.Append(i > 0 ? ", " : string.Empty);
            Append(text, values, start + i);
        }

        text.Append(']');
    }

    private static (long PerSecond, int Digits) Resolution(TimeUnit unit) => unit switch
    {
        TimeUnit.Second => (1L, 0),
        TimeUnit.Millisecond => (1_000L, 3),
        TimeUnit.Microsecond => (1_000_000L, 6),
        _ => (1_000_000_000L, 9),
    };

    private static void AppendTimestamp(StringBuilder text, long value, TimeUnit unit, bool hasTimeZone)
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
            text.Append(value.ToString(s_invariant)).Append(ArrowTypeText.Unit(unit));
            return;
        }

        text.Append(DateTime.UnixEpoch.AddSeconds(seconds).ToString("yyyy-MM-dd HH:mm:ss", s_invariant));
        if (digits > 0)
        {
            text.Append('.').Append(fraction.ToString(s_invariant).PadLeft(digits, '0'));
        }

        if (hasTimeZone)
        {
            // Values are UTC instants whatever the zone (Schema.fbs Timestamp).
            text.Append('Z');
        }
    }

    private static void AppendTimeOfDay(StringBuilder text, long value, TimeUnit unit)
    {
        var (perSecond, digits) = Resolution(unit);
        if (value < 0 || value >= 86_400L * perSecond)
        {
            text.Append(value.ToString(s_invariant)).Append(ArrowTypeText.Unit(unit));
            return;
        }

        var seconds = Math.DivRem(value, perSecond, out var fraction);
        text.Append(TimeSpan.FromSeconds(seconds).ToString("hh\\:mm\\:ss", s_invariant));
        if (digits > 0)
        {
            text.Append('.').Append(fraction.ToString(s_invariant).PadLeft(digits, '0'));
        }
    }

    private static void AppendDate(StringBuilder text, long milliseconds, bool withTime)
    {
        if (milliseconds < -62_135_596_800_000L || milliseconds > 253_402_300_799_999L)
        {
            text.Append(milliseconds.ToString(s_invariant)).Append("ms");
            return;
        }

        var value = DateTime.UnixEpoch.AddMilliseconds(milliseconds);
        text.Append(value.ToString(withTime && value.TimeOfDay != TimeSpan.Zero ? "yyyy-MM-dd HH:mm:ss.fff" : "yyyy-MM-dd", s_invariant));
    }
}
