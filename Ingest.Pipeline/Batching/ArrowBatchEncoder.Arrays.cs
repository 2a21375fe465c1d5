using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using Apache.Arrow;
using Apache.Arrow.Types;
using Ingest.Pipeline.Columns;

namespace Ingest.Pipeline.Batching;

/// <summary>Arrow types and zero-copy arrays over the column buffers.</summary>
public sealed partial class ArrowBatchEncoder
{
    private static readonly TimestampType s_hubTimeType = new(TimeUnit.Nanosecond, "UTC");
    private static readonly TimestampType s_deviceTimeType = new(TimeUnit.Nanosecond, (string?)null);

    // Every buffer handed to Apache.Arrow is an exact slice (ValueMemory, ValidityMemory, OffsetMemory): the writer
    // pads what it is given with zeros, but copies a longer buffer's spare bytes into the padding, and then the
    // same rows would no longer give the same bytes.
    private static TimestampArray Timestamps(TimestampType type, PrimitiveColumnBuffer<long> column, int rows)
    {
        CheckLength(column, rows);
        return new TimestampArray(type, new ArrowBuffer(column.ValueMemory), new ArrowBuffer(column.ValidityMemory), rows, column.NullCount, 0);
    }

    [SuppressMessage("Reliability", "CA2000:Dispose objects before losing scope",
        Justification = "Arrays over the column buffers own no memory; the list array holds its element array.")]
    private static IArrowArray Array(ColumnBuffer column, IArrowType type, int rows)
    {
        CheckLength(column, rows);
        var validity = new ArrowBuffer(column.ValidityMemory);
        if (column is IListColumn list)
        {
            var listType = (ListType)type;
            var elements = Primitive(list.ElementColumn, listType.ValueDataType, list.ElementCount, ArrowBuffer.Empty, 0);
            return new ListArray(listType, rows, new ArrowBuffer(list.OffsetMemory), elements, validity, column.NullCount, 0);
        }

        if (column is IFixedWidthColumn fixedWidth)
        {
            return Primitive(fixedWidth, type, rows, validity, column.NullCount);
        }

        throw new InvalidOperationException($"column '{column.Spec.Name}' has an unsupported buffer {column.GetType().Name}");
    }

    private static IArrowArray Primitive(IFixedWidthColumn column, IArrowType type, int length, ArrowBuffer validity, int nullCount)
    {
        var values = new ArrowBuffer(column.ValueMemory);
        return type.TypeId switch
        {
            ArrowTypeId.Int8 => new Int8Array(values, validity, length, nullCount, 0),
            ArrowTypeId.Int16 => new Int16Array(values, validity, length, nullCount, 0),
            ArrowTypeId.Int32 => new Int32Array(values, validity, length, nullCount, 0),
            ArrowTypeId.Int64 => new Int64Array(values, validity, length, nullCount, 0),
            ArrowTypeId.UInt8 => new UInt8Array(values, validity, length, nullCount, 0),
            ArrowTypeId.UInt16 => new UInt16Array(values, validity, length, nullCount, 0),
            ArrowTypeId.UInt32 => new UInt32Array(values, validity, length, nullCount, 0),
            ArrowTypeId.UInt64 => new UInt64Array(values, validity, length, nullCount, 0),
            ArrowTypeId.Float => new FloatArray(values, validity, length, nullCount, 0),
            ArrowTypeId.Double => new DoubleArray(values, validity, length, nullCount, 0),
            ArrowTypeId.Timestamp => new TimestampArray((TimestampType)type, values, validity, length, nullCount, 0),
            _ => throw new InvalidOperationException($"no Arrow array for type {type.Name}"),
        };
    }

    private static void CheckLength(ColumnBuffer column, int rows)
    {
        if (column.Length != rows)
        {
            throw new InvalidOperationException($"column '{column.Spec.Name}' has {column.Length} values for {rows} committed rows; seal only between frames");
        }
    }

    private static KeyValuePair<string, string>[] FieldMetadata(ColumnSpec spec)
    {
        var metadata = new List<KeyValuePair<string, string>>();
        if (spec.Unit.Length > 0)
        {
            metadata.Add(new(BatchMetadataKeys.Unit, spec.Unit));
        }

        if (spec.Scale != 1.0)
        {
            metadata.Add(new(BatchMetadataKeys.Scale, spec.Scale.ToString("R", CultureInfo.InvariantCulture)));
        }

        if (spec.Offset != 0.0)
        {
            metadata.Add(new(BatchMetadataKeys.Offset, spec.Offset.ToString("R", CultureInfo.InvariantCulture)));
        }

        if (spec.Description.Length > 0)
        {
            metadata.Add(new(BatchMetadataKeys.Description, spec.Description));
        }

        return [.. metadata];
    }

    private static IArrowType ToArrow(ColumnKind kind) => kind switch
    {
        ColumnKind.Int8 => Int8Type.Default,
        ColumnKind.Int16 => Int16Type.Default,
        ColumnKind.Int32 => Int32Type.Default,
        ColumnKind.Int64 => Int64Type.Default,
        ColumnKind.UInt8 => UInt8Type.Default,
        ColumnKind.UInt16 => UInt16Type.Default,
        ColumnKind.UInt32 => UInt32Type.Default,
        ColumnKind.UInt64 => UInt64Type.Default,
        ColumnKind.Float32 => FloatType.Default,
        ColumnKind.Float64 => DoubleType.Default,
        ColumnKind.TimestampNs => s_hubTimeType,
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "no Arrow type for this column kind"),
    };
}
