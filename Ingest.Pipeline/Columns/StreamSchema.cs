namespace Ingest.Pipeline.Columns;

/// <summary>
/// The shape of one stream's rows: every stream has a <c>hub_time</c> column (hub UTC, ns), optionally a
/// <c>device_time</c> column (the tracker's own clock where its frames carry one), then the decoder's value columns.
/// </summary>
public sealed class StreamSchema
{
    /// <summary>Name of the hub receive-time column present in every stream.</summary>
    public const string HubTimeColumn = "hub_time";

    /// <summary>Name of the tracker-clock column, present when <see cref="HasDeviceTime"/>.</summary>
    public const string DeviceTimeColumn = "device_time";

    /// <summary>Creates a schema; column names must be unique and not collide with the time columns.</summary>
    public StreamSchema(IReadOnlyList<ColumnSpec> columns, bool hasDeviceTime)
    {
        ArgumentNullException.ThrowIfNull(columns);
        var seen = new HashSet<string>(StringComparer.Ordinal) { HubTimeColumn, DeviceTimeColumn };
        foreach (var column in columns)
        {
            if (!seen.Add(column.Name))
            {
                throw new ArgumentException($"column name '{column.Name}' is used twice or collides with a time column", nameof(columns));
            }

            if (column.Kind == ColumnKind.List && column.ElementKind == ColumnKind.List)
            {
                throw new ArgumentException($"column '{column.Name}': lists of lists are not supported", nameof(columns));
            }
        }

        Columns = columns;
        HasDeviceTime = hasDeviceTime;
    }

    /// <summary>The decoder's value columns, in order.</summary>
    public IReadOnlyList<ColumnSpec> Columns { get; }

    /// <summary>True when rows carry the tracker's own clock in <c>device_time</c>.</summary>
    public bool HasDeviceTime { get; }

    /// <summary>Index of a value column by name, or -1.</summary>
    public int IndexOf(string name)
    {
        for (var i = 0; i < Columns.Count; i++)
        {
            if (string.Equals(Columns[i].Name, name, StringComparison.Ordinal))
            {
                return i;
            }
        }

        return -1;
    }
}
