namespace Ingest.Arrow;

/// <summary>A record batch read from IPC input: equal-length columns, one per top-level schema field.</summary>
public sealed class ArrowRecordBatch
{
    private readonly ArrowArray[] _columns;

    internal ArrowRecordBatch(ArrowSchema schema, int length, ArrowArray[] columns, IReadOnlyList<KeyValuePair<string, string>> metadata)
    {
        Schema = schema;
        Length = length;
        _columns = columns;
        Metadata = metadata;
    }

    /// <summary>The schema.</summary>
    public ArrowSchema Schema { get; }

    /// <summary>Number of rows.</summary>
    public int Length { get; }

    /// <summary>The columns in schema order.</summary>
    public IReadOnlyList<ArrowArray> Columns => _columns;

    /// <summary>Message-level custom metadata of this batch (usually empty).</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Metadata { get; }

    /// <summary>The column named <paramref name="name"/>.</summary>
    /// <param name="name">Field name.</param>
    /// <exception cref="KeyNotFoundException">No such column.</exception>
    public ArrowArray Column(string name)
    {
        var index = Schema.GetFieldIndex(name);
        return index >= 0 ? _columns[index] : throw new KeyNotFoundException($"no column named '{name}'");
    }
}
