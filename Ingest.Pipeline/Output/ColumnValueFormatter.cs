using System.Globalization;
using System.Numerics;
using System.Text.Json;
using Ingest.Pipeline.Captures;
using Ingest.Pipeline.Columns;

namespace Ingest.Pipeline.Output;

/// <summary>Formats single column values for JSON and CSV output (off the hot path: one row at a time, for people).</summary>
internal static class ColumnValueFormatter
{
    /// <summary>Writes a value as <paramref name="values"/> asks: stored, or the physical quantity (stored × scale + offset).</summary>
    public static void WriteJson(Utf8JsonWriter writer, ColumnBuffer column, int row, RowValues values)
    {
        if (!NeedsScaling(column, values) || !column.IsValid(row))
        {
            WriteJson(writer, column, row);
            return;
        }

        if (column is IListColumn)
        {
            writer.WriteStartArray();
            foreach (var value in PhysicalElements(column, row))
            {
                WritePhysical(writer, value);
            }

            writer.WriteEndArray();
            return;
        }

        WritePhysical(writer, Physical(column, row));
    }

    /// <summary>A value as CSV text, as <paramref name="values"/> asks.</summary>
    public static string Csv(ColumnBuffer column, int row, RowValues values)
    {
        if (!NeedsScaling(column, values) || !column.IsValid(row))
        {
            return Csv(column, row);
        }

        return column is IListColumn
            ? string.Join(';', PhysicalElements(column, row).Select(PhysicalText))
            : PhysicalText(Physical(column, row));
    }

    // A column with scale 1 and offset 0 holds the physical quantity already: written unchanged (integers stay exact).
    private static bool NeedsScaling(ColumnBuffer column, RowValues values) =>
        values == RowValues.Physical && column.Spec.Kind != ColumnKind.TimestampNs
        && (column.Spec.Scale != 1.0 || column.Spec.Offset != 0.0);

    private static double Physical(ColumnBuffer column, int row) => Scale(column.Spec, ColumnNumbers.StoredAt(column, row)
        ?? throw new InvalidOperationException($"column '{column.Spec.Name}' has an unsupported buffer type {column.GetType().Name}"));

    private static IEnumerable<double> PhysicalElements(ColumnBuffer column, int row)
    {
        var spec = column.Spec;
        var values = column switch
        {
            ListColumnBuffer<sbyte> c => Doubles(c.Row(row).ToArray()),
            ListColumnBuffer<short> c => Doubles(c.Row(row).ToArray()),
            ListColumnBuffer<int> c => Doubles(c.Row(row).ToArray()),
            ListColumnBuffer<long> c => Doubles(c.Row(row).ToArray()),
            ListColumnBuffer<byte> c => Doubles(c.Row(row).ToArray()),
            ListColumnBuffer<ushort> c => Doubles(c.Row(row).ToArray()),
            ListColumnBuffer<uint> c => Doubles(c.Row(row).ToArray()),
            ListColumnBuffer<ulong> c => Doubles(c.Row(row).ToArray()),
            ListColumnBuffer<float> c => Doubles(c.Row(row).ToArray()),
            ListColumnBuffer<double> c => Doubles(c.Row(row).ToArray()),
            _ => throw new InvalidOperationException($"column '{spec.Name}' has an unsupported buffer type {column.GetType().Name}"),
        };
        return values.Select(v => Scale(spec, v));
    }

    private static double[] Doubles<T>(T[] values)
        where T : INumberBase<T> => [.. values.Select(double.CreateChecked)];

    private static double Scale(ColumnSpec spec, double stored) => (stored * spec.Scale) + spec.Offset;

    private static void WritePhysical(Utf8JsonWriter writer, double value)
    {
        if (double.IsFinite(value))
        {
            writer.WriteRawValue(PhysicalText(value));
        }
        else
        {
            writer.WriteStringValue(NonFinite(value));
        }
    }

    // 15 significant digits: what a double holds exactly, so 123 × 0.244 prints as 30.012, not 30.012000000000004.
    private static string PhysicalText(double value) => double.IsFinite(value)
        ? value.ToString("G15", CultureInfo.InvariantCulture)
        : NonFinite(value);

    public static void WriteJson(Utf8JsonWriter writer, ColumnBuffer column, int row)
    {
        if (!column.IsValid(row))
        {
            writer.WriteNullValue();
            return;
        }

        switch (column)
        {
            case PrimitiveColumnBuffer<sbyte> c: writer.WriteNumberValue(c.Values[row]); break;
            case PrimitiveColumnBuffer<short> c: writer.WriteNumberValue(c.Values[row]); break;
            case PrimitiveColumnBuffer<int> c: writer.WriteNumberValue(c.Values[row]); break;
            case PrimitiveColumnBuffer<long> c when column.Spec.Kind == ColumnKind.TimestampNs:
                writer.WriteStringValue(CaptureReader.FormatTime(c.Values[row], IsUtc(column)));
                break;
            case PrimitiveColumnBuffer<long> c: writer.WriteNumberValue(c.Values[row]); break;
            case PrimitiveColumnBuffer<byte> c: writer.WriteNumberValue(c.Values[row]); break;
            case PrimitiveColumnBuffer<ushort> c: writer.WriteNumberValue(c.Values[row]); break;
            case PrimitiveColumnBuffer<uint> c: writer.WriteNumberValue(c.Values[row]); break;
            case PrimitiveColumnBuffer<ulong> c: writer.WriteNumberValue(c.Values[row]); break;
            case PrimitiveColumnBuffer<float> c: WriteFloat(writer, c.Values[row]); break;
            case PrimitiveColumnBuffer<double> c: WriteDouble(writer, c.Values[row]); break;
            default:
                writer.WriteStartArray();
                foreach (var element in ListElements(column, row))
                {
                    writer.WriteRawValue(element, skipInputValidation: false);
                }

                writer.WriteEndArray();
                break;
        }
    }

    public static string Csv(ColumnBuffer column, int row)
    {
        if (!column.IsValid(row))
        {
            return "";
        }

        return column switch
        {
            PrimitiveColumnBuffer<long> c when column.Spec.Kind == ColumnKind.TimestampNs => CaptureReader.FormatTime(c.Values[row], IsUtc(column)),
            PrimitiveColumnBuffer<float> c => FloatText(c.Values[row]),
            PrimitiveColumnBuffer<double> c => DoubleText(c.Values[row]),
            PrimitiveColumnBuffer<sbyte> c => c.Values[row].ToString(CultureInfo.InvariantCulture),
            PrimitiveColumnBuffer<short> c => c.Values[row].ToString(CultureInfo.InvariantCulture),
            PrimitiveColumnBuffer<int> c => c.Values[row].ToString(CultureInfo.InvariantCulture),
            PrimitiveColumnBuffer<long> c => c.Values[row].ToString(CultureInfo.InvariantCulture),
            PrimitiveColumnBuffer<byte> c => c.Values[row].ToString(CultureInfo.InvariantCulture),
            PrimitiveColumnBuffer<ushort> c => c.Values[row].ToString(CultureInfo.InvariantCulture),
            PrimitiveColumnBuffer<uint> c => c.Values[row].ToString(CultureInfo.InvariantCulture),
            PrimitiveColumnBuffer<ulong> c => c.Values[row].ToString(CultureInfo.InvariantCulture),
            _ => string.Join(';', ListElements(column, row)),
        };
    }

    // The tracker's clock may be local or unset (Polar after setLocalTime, SIG Date Time has no zone), so only
    // hub times are written as UTC; this matches the Arrow types (device_time has no time zone).
    private static bool IsUtc(ColumnBuffer column) =>
        !string.Equals(column.Spec.Name, StreamSchema.DeviceTimeColumn, StringComparison.Ordinal);

    /// <summary>Shortest text that reads back to the same float32 (so 36.6f prints as 36.6, not 36.59999847).</summary>
    public static string FloatText(float value) => float.IsFinite(value)
        ? value.ToString("R", CultureInfo.InvariantCulture)
        : NonFinite(value);

    public static string DoubleText(double value) => double.IsFinite(value)
        ? value.ToString("R", CultureInfo.InvariantCulture)
        : NonFinite(value);

    private static void WriteFloat(Utf8JsonWriter writer, float value)
    {
        if (float.IsFinite(value))
        {
            writer.WriteRawValue(FloatText(value));
        }
        else
        {
            writer.WriteStringValue(NonFinite(value));
        }
    }

    private static void WriteDouble(Utf8JsonWriter writer, double value)
    {
        if (double.IsFinite(value))
        {
            writer.WriteNumberValue(value);
        }
        else
        {
            writer.WriteStringValue(NonFinite(value));
        }
    }

    private static string NonFinite(double value) =>
        double.IsNaN(value) ? "NaN" : value > 0 ? "Infinity" : "-Infinity";

    private static IEnumerable<string> ListElements(ColumnBuffer column, int row) => column switch
    {
        ListColumnBuffer<sbyte> c => Texts(c.Row(row).ToArray(), v => v.ToString(CultureInfo.InvariantCulture)),
        ListColumnBuffer<short> c => Texts(c.Row(row).ToArray(), v => v.ToString(CultureInfo.InvariantCulture)),
        ListColumnBuffer<int> c => Texts(c.Row(row).ToArray(), v => v.ToString(CultureInfo.InvariantCulture)),
        ListColumnBuffer<long> c => Texts(c.Row(row).ToArray(), v => v.ToString(CultureInfo.InvariantCulture)),
        ListColumnBuffer<byte> c => Texts(c.Row(row).ToArray(), v => v.ToString(CultureInfo.InvariantCulture)),
        ListColumnBuffer<ushort> c => Texts(c.Row(row).ToArray(), v => v.ToString(CultureInfo.InvariantCulture)),
        ListColumnBuffer<uint> c => Texts(c.Row(row).ToArray(), v => v.ToString(CultureInfo.InvariantCulture)),
        ListColumnBuffer<ulong> c => Texts(c.Row(row).ToArray(), v => v.ToString(CultureInfo.InvariantCulture)),
        ListColumnBuffer<float> c => Texts(c.Row(row).ToArray(), v => float.IsFinite(v) ? FloatText(v) : $"\"{FloatText(v)}\""),
        ListColumnBuffer<double> c => Texts(c.Row(row).ToArray(), v => double.IsFinite(v) ? DoubleText(v) : $"\"{DoubleText(v)}\""),
        _ => throw new InvalidOperationException($"column '{column.Spec.Name}' has an unsupported buffer type {column.GetType().Name}"),
    };

    private static IEnumerable<string> Texts<T>(T[] values, Func<T, string> format) => values.Select(format);
}
