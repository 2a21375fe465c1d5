using System.Buffers;
using System.Globalization;
using Ingest.Arrow;
using Ingest.Pipeline.Captures;
using Ingest.Pipeline.Columns;

namespace Ingest.Pipeline.Batching;

/// <summary>
/// Seals a stream's columns into Arrow: the field list (names, types, units, scales) is built once per stream; each
/// batch gets schema metadata with its identity, profile and time range, and its column buffers go to the IPC
/// writer as they are (no per-value work). Not thread-safe: one per stream.
/// </summary>
public sealed class ArrowBatchEncoder
{
    private readonly ArrowField[] _fields;
    private readonly StreamDescription _description;
    private readonly ArrowColumn[] _columns;
    private readonly ArrowColumn[][] _listChildren;

    /// <summary>Prepares an encoder for <paramref name="schema"/>.</summary>
    public ArrowBatchEncoder(StreamSchema schema, StreamDescription description)
    {
        ArgumentNullException.ThrowIfNull(schema);
        ArgumentNullException.ThrowIfNull(description);
        Schema = schema;
        _description = description;
        var fields = new List<ArrowField>
        {
            new(StreamSchema.HubTimeColumn, ArrowType.Timestamp(ArrowTimeUnit.Nanosecond, "UTC"), isNullable: false,
                [new(BatchMetadataKeys.Description, "hub receive time (UTC)")]),
        };
        if (schema.HasDeviceTime)
        {
            // The tracker's clock is not necessarily UTC (Polar counts local time after setLocalTime): no time zone.
            fields.Add(new ArrowField(StreamSchema.DeviceTimeColumn, ArrowType.Timestamp(ArrowTimeUnit.Nanosecond), isNullable: true,
                [new(BatchMetadataKeys.Description, "the tracker's own clock, converted to the Unix epoch")]));
        }

        _listChildren = new ArrowColumn[schema.Columns.Count][];
        for (var i = 0; i < schema.Columns.Count; i++)
        {
            var spec = schema.Columns[i];
            var type = spec.Kind == ColumnKind.List
                ? ArrowType.List(new ArrowField("item", ToArrow(spec.ElementKind), isNullable: false))
                : ToArrow(spec.Kind);
            fields.Add(new ArrowField(spec.Name, type, spec.Nullable, FieldMetadata(spec)));
            if (spec.Kind == ColumnKind.List)
            {
                _listChildren[i] = new ArrowColumn[1];
            }
        }

        _fields = [.. fields];
        _columns = new ArrowColumn[_fields.Length];
    }

    /// <summary>The stream's shape.</summary>
    public StreamSchema Schema { get; }

    /// <summary>The Arrow schema of a batch with <paramref name="identity"/> and the given time range.</summary>
    public ArrowSchema BatchSchema(BatchIdentity identity, long firstHubTimeNs, long lastHubTimeNs) => new(_fields,
    [
        new(BatchMetadataKeys.Hub, identity.Hub),
        new(BatchMetadataKeys.Stream, identity.Stream),
        new(BatchMetadataKeys.Sequence, identity.Sequence.ToString(CultureInfo.InvariantCulture)),
        new(BatchMetadataKeys.ProfileId, _description.ProfileId),
        new(BatchMetadataKeys.ProfileVersion, _description.ProfileVersion),
        new(BatchMetadataKeys.Decoder, _description.Decoder),
        new(BatchMetadataKeys.FirstHubTime, CaptureReader.FormatTime(firstHubTimeNs)),
        new(BatchMetadataKeys.LastHubTime, CaptureReader.FormatTime(lastHubTimeNs)),
    ]);

    /// <summary>The Arrow schema of a file or stream of many batches: provenance only, no per-batch identity.</summary>
    public ArrowSchema FileSchema() => new(_fields,
    [
        new(BatchMetadataKeys.ProfileId, _description.ProfileId),
        new(BatchMetadataKeys.ProfileVersion, _description.ProfileVersion),
        new(BatchMetadataKeys.Decoder, _description.Decoder),
    ]);

    /// <summary>
    /// Writes <paramref name="columns"/>' committed rows as one complete IPC stream (schema, one record batch, end
    /// marker): what one MQTT message or spool record carries. Returns the bytes written.
    /// </summary>
    public long EncodeStream(StreamColumns columns, BatchIdentity identity, IBufferWriter<byte> output)
    {
        ArgumentNullException.ThrowIfNull(columns);
        var (first, last) = TimeRange(columns);
        var schema = BatchSchema(identity, first, last);
        return ArrowIpc.WriteStream(output, schema, columns.RowCount, Columns(columns));
    }

    /// <summary>
    /// The columns as Arrow arrays over the buffers (valid until the columns are next appended to or cleared).
    /// The span is reused by the next call.
    /// </summary>
    public ReadOnlySpan<ArrowColumn> Columns(StreamColumns columns)
    {
        ArgumentNullException.ThrowIfNull(columns);
        if (!ReferenceEquals(columns.Schema, Schema)
            && (columns.Schema.Columns.Count != Schema.Columns.Count || columns.Schema.HasDeviceTime != Schema.HasDeviceTime))
        {
            throw new ArgumentException("the columns are not of this encoder's stream", nameof(columns));
        }

        var rows = columns.RowCount;
        var index = 0;
        _columns[index++] = Primitive(columns.HubTime, rows);
        if (columns.DeviceTime is { } deviceTime)
        {
            _columns[index++] = Primitive(deviceTime, rows);
        }

        for (var i = 0; i < columns.ValueColumnCount; i++)
        {
            _columns[index++] = Column(columns[i], rows, _listChildren[i]);
        }

        return _columns;
    }

    /// <summary>Smallest and largest hub time of the committed rows (0, 0 when empty).</summary>
    public static (long First, long Last) TimeRange(StreamColumns columns)
    {
        ArgumentNullException.ThrowIfNull(columns);
        var times = columns.HubTime.Values[..columns.RowCount];
        if (times.IsEmpty)
        {
            return (0, 0);
        }

        // Rows are in arrival order, but spreading multi-sample frames backwards can overlap the previous frame.
        var first = times[0];
        var last = times[0];
        foreach (var t in times)
        {
            first = Math.Min(first, t);
            last = Math.Max(last, t);
        }

        return (first, last);
    }

    private static ArrowColumn Column(ColumnBuffer column, int rows, ArrowColumn[]? listChild)
    {
        if (column.Length != rows)
        {
            throw new InvalidOperationException($"column '{column.Spec.Name}' has {column.Length} values for {rows} committed rows; seal only between frames");
        }

        return column switch
        {
            PrimitiveColumnBuffer<sbyte> c => Primitive(c, rows),
            PrimitiveColumnBuffer<short> c => Primitive(c, rows),
            PrimitiveColumnBuffer<int> c => Primitive(c, rows),
            PrimitiveColumnBuffer<long> c => Primitive(c, rows),
            PrimitiveColumnBuffer<byte> c => Primitive(c, rows),
            PrimitiveColumnBuffer<ushort> c => Primitive(c, rows),
            PrimitiveColumnBuffer<uint> c => Primitive(c, rows),
            PrimitiveColumnBuffer<ulong> c => Primitive(c, rows),
            PrimitiveColumnBuffer<float> c => Primitive(c, rows),
            PrimitiveColumnBuffer<double> c => Primitive(c, rows),
            _ => List(column, rows, listChild!),
        };
    }

    private static ArrowColumn Primitive<T>(PrimitiveColumnBuffer<T> column, int rows)
        where T : unmanaged =>
        ArrowColumn.Primitive(rows, column.ValueMemory, column.ValidityMemory, column.NullCount);

    private static ArrowColumn List(ColumnBuffer column, int rows, ArrowColumn[] child)
    {
        (ReadOnlyMemory<byte> offsets, ArrowColumn elements) = column switch
        {
            ListColumnBuffer<sbyte> c => (c.OffsetMemory, Primitive(c.Elements, c.Elements.Length)),
            ListColumnBuffer<short> c => (c.OffsetMemory, Primitive(c.Elements, c.Elements.Length)),
            ListColumnBuffer<int> c => (c.OffsetMemory, Primitive(c.Elements, c.Elements.Length)),
            ListColumnBuffer<long> c => (c.OffsetMemory, Primitive(c.Elements, c.Elements.Length)),
            ListColumnBuffer<byte> c => (c.OffsetMemory, Primitive(c.Elements, c.Elements.Length)),
            ListColumnBuffer<ushort> c => (c.OffsetMemory, Primitive(c.Elements, c.Elements.Length)),
            ListColumnBuffer<uint> c => (c.OffsetMemory, Primitive(c.Elements, c.Elements.Length)),
            ListColumnBuffer<ulong> c => (c.OffsetMemory, Primitive(c.Elements, c.Elements.Length)),
            ListColumnBuffer<float> c => (c.OffsetMemory, Primitive(c.Elements, c.Elements.Length)),
            ListColumnBuffer<double> c => (c.OffsetMemory, Primitive(c.Elements, c.Elements.Length)),
            _ => throw new InvalidOperationException($"column '{column.Spec.Name}' has an unsupported buffer {column.GetType().Name}"),
        };
        child[0] = elements;
        return ArrowColumn.List(rows, offsets, child, column.ValidityMemory, column.NullCount);
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

    private static ArrowType ToArrow(ColumnKind kind) => kind switch
    {
        ColumnKind.Int8 => ArrowType.Int8,
        ColumnKind.Int16 => ArrowType.Int16,
        ColumnKind.Int32 => ArrowType.Int32,
        ColumnKind.Int64 => ArrowType.Int64,
        ColumnKind.UInt8 => ArrowType.UInt8,
        ColumnKind.UInt16 => ArrowType.UInt16,
        ColumnKind.UInt32 => ArrowType.UInt32,
        ColumnKind.UInt64 => ArrowType.UInt64,
        ColumnKind.Float32 => ArrowType.Float32,
        ColumnKind.Float64 => ArrowType.Float64,
        ColumnKind.TimestampNs => ArrowType.Timestamp(ArrowTimeUnit.Nanosecond, "UTC"),
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "no Arrow type for this column kind"),
    };
}
