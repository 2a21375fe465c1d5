namespace Ingest.Pipeline.Columns;

/// <summary>
/// The column buffers of one stream's open batch: <c>hub_time</c>, optionally <c>device_time</c>, and one buffer
/// per value column of the <see cref="StreamSchema"/>. Decoders append whole rows; the
/// <see cref="Decoding.StreamDecoder"/> commits them or, for a rejected frame, rolls them back.
/// Not thread-safe: owned by one decode loop until sealed.
/// </summary>
public sealed class StreamColumns
{
    private readonly ColumnBuffer[] _values;

    /// <summary>Creates empty buffers for <paramref name="schema"/> with room for <paramref name="initialRows"/> rows.</summary>
    public StreamColumns(StreamSchema schema, int initialRows = 256)
    {
        ArgumentNullException.ThrowIfNull(schema);
        Schema = schema;
        HubTime = new PrimitiveColumnBuffer<long>(TimeColumn(StreamSchema.HubTimeColumn, "hub receive time (UTC)"), initialRows);
        if (schema.HasDeviceTime)
        {
            DeviceTime = new PrimitiveColumnBuffer<long>(
                TimeColumn(StreamSchema.DeviceTimeColumn, "the tracker's own clock, converted to the Unix epoch") with { Nullable = true },
                initialRows);
        }

        _values = new ColumnBuffer[schema.Columns.Count];
        for (var i = 0; i < _values.Length; i++)
        {
            _values[i] = Create(schema.Columns[i], initialRows);
        }
    }

    /// <summary>The stream's shape.</summary>
    public StreamSchema Schema { get; }

    /// <summary>Committed rows: every column holds exactly this many values outside a frame in progress.</summary>
    public int RowCount { get; private set; }

    /// <summary>Hub UTC time of each sample, ns since the Unix epoch.</summary>
    public PrimitiveColumnBuffer<long> HubTime { get; }

    /// <summary>The tracker's clock for each sample (ns since the Unix epoch), or null when the schema has none.</summary>
    public PrimitiveColumnBuffer<long>? DeviceTime { get; }

    /// <summary>Value column <paramref name="index"/> as its concrete buffer type.</summary>
    public ColumnBuffer this[int index] => _values[index];

    /// <summary>Number of value columns.</summary>
    public int ValueColumnCount => _values.Length;

    /// <summary>Value column <paramref name="index"/>, which must be fixed-width of CLR type <typeparamref name="T"/>.</summary>
    public PrimitiveColumnBuffer<T> Values<T>(int index)
        where T : unmanaged => (PrimitiveColumnBuffer<T>)_values[index];

    /// <summary>Value column <paramref name="index"/>, which must be a list of <typeparamref name="T"/>.</summary>
    public ListColumnBuffer<T> List<T>(int index)
        where T : unmanaged => (ListColumnBuffer<T>)_values[index];

    /// <summary>
    /// Accepts the rows appended since the last commit if every column grew by the same number of rows;
    /// otherwise rolls them back and returns false (a decoder bug, reported as such by the caller).
    /// </summary>
    public bool TryCommit(out int addedRows)
    {
        addedRows = HubTime.Length - RowCount;
        var expected = HubTime.Length;
        var consistent = addedRows >= 0 && (DeviceTime is null || DeviceTime.Length == expected);
        for (var i = 0; consistent && i < _values.Length; i++)
        {
            consistent = _values[i].Length == expected;
        }

        if (!consistent)
        {
            Rollback();
            addedRows = 0;
            return false;
        }

        RowCount = expected;
        return true;
    }

    /// <summary>Drops everything appended since the last commit.</summary>
    public void Rollback()
    {
        HubTime.Truncate(Math.Min(RowCount, HubTime.Length));
        DeviceTime?.Truncate(Math.Min(RowCount, DeviceTime.Length));
        foreach (var column in _values)
        {
            column.Truncate(Math.Min(RowCount, column.Length));
        }
    }

    /// <summary>Empties every column for the next batch, keeping the buffers.</summary>
    public void Clear()
    {
        HubTime.Clear();
        DeviceTime?.Clear();
        foreach (var column in _values)
        {
            column.Clear();
        }

        RowCount = 0;
    }

    private static ColumnSpec TimeColumn(string name, string description) =>
        new() { Name = name, Kind = ColumnKind.TimestampNs, Unit = "ns", Description = description };

    private static ColumnBuffer Create(ColumnSpec spec, int rows)
    {
        var kind = spec.Kind == ColumnKind.List ? spec.ElementKind : spec.Kind;
        var list = spec.Kind == ColumnKind.List;
        return kind switch
        {
            ColumnKind.Int8 => list ? new ListColumnBuffer<sbyte>(spec, rows) : new PrimitiveColumnBuffer<sbyte>(spec, rows),
            ColumnKind.Int16 => list ? new ListColumnBuffer<short>(spec, rows) : new PrimitiveColumnBuffer<short>(spec, rows),
            ColumnKind.Int32 => list ? new ListColumnBuffer<int>(spec, rows) : new PrimitiveColumnBuffer<int>(spec, rows),
            ColumnKind.Int64 or ColumnKind.TimestampNs => list ? new ListColumnBuffer<long>(spec, rows) : new PrimitiveColumnBuffer<long>(spec, rows),
            ColumnKind.UInt8 => list ? new ListColumnBuffer<byte>(spec, rows) : new PrimitiveColumnBuffer<byte>(spec, rows),
            ColumnKind.UInt16 => list ? new ListColumnBuffer<ushort>(spec, rows) : new PrimitiveColumnBuffer<ushort>(spec, rows),
            ColumnKind.UInt32 => list ? new ListColumnBuffer<uint>(spec, rows) : new PrimitiveColumnBuffer<uint>(spec, rows),
            ColumnKind.UInt64 => list ? new ListColumnBuffer<ulong>(spec, rows) : new PrimitiveColumnBuffer<ulong>(spec, rows),
            ColumnKind.Float32 => list ? new ListColumnBuffer<float>(spec, rows) : new PrimitiveColumnBuffer<float>(spec, rows),
            ColumnKind.Float64 => list ? new ListColumnBuffer<double>(spec, rows) : new PrimitiveColumnBuffer<double>(spec, rows),
            _ => throw new ArgumentOutOfRangeException(nameof(spec), spec.Kind, "unsupported column kind"),
        };
    }
}
