namespace Ingest.Pipeline.Columns;

/// <summary>
/// A list column (Arrow list&lt;T&gt; with int32 offsets): each row holds zero or more <typeparamref name="T"/> values,
/// e.g. the RR intervals of one heart-rate notification. Append a row with <see cref="BeginRow"/>, add its
/// elements to <see cref="Elements"/>, then <see cref="EndRow"/>.
/// </summary>
/// <typeparam name="T">The CLR type of <see cref="ColumnSpec.ElementKind"/>.</typeparam>
public sealed class ListColumnBuffer<T> : ColumnBuffer, IListColumn
    where T : unmanaged
{
    // Arrow int32 offsets, Length + 1 of them, kept in an int column so they reach the writer as bytes.
    private readonly PrimitiveColumnBuffer<int> _offsets;
    private bool _rowOpen;

    /// <summary>Creates an empty list column with room for <paramref name="initialCapacity"/> rows.</summary>
    public ListColumnBuffer(ColumnSpec spec, int initialCapacity)
        : base(spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        if (spec.Kind != ColumnKind.List)
        {
            throw new ArgumentException($"column '{spec.Name}' is {spec.TypeName}, not a list", nameof(spec));
        }

        Elements = new PrimitiveColumnBuffer<T>(spec with { Kind = spec.ElementKind, Nullable = false }, initialCapacity * 2);
        _offsets = new PrimitiveColumnBuffer<int>(new ColumnSpec { Name = spec.Name + ".offsets", Kind = ColumnKind.Int32 }, initialCapacity + 1);
        _offsets.Append(0);
    }

    /// <summary>The flattened elements of every row.</summary>
    public PrimitiveColumnBuffer<T> Elements { get; }

    /// <summary>Arrow offsets: <see cref="ColumnBuffer.Length"/> + 1 entries, the first 0.</summary>
    public ReadOnlySpan<int> Offsets => _offsets.Values;

    /// <summary>The offsets as Arrow's buffer, for the IPC writer.</summary>
    public ReadOnlyMemory<byte> OffsetMemory => _offsets.ValueMemory;

    /// <inheritdoc />
    IFixedWidthColumn IListColumn.ElementColumn => Elements;

    /// <inheritdoc />
    int IListColumn.ElementCount => Elements.Length;

    /// <summary>The elements of row <paramref name="row"/>.</summary>
    public ReadOnlySpan<T> Row(int row)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual((uint)row, (uint)Length, nameof(row));
        var offsets = _offsets.Values;
        return Elements.Values[offsets[row]..offsets[row + 1]];
    }

    /// <summary>Starts a row; its elements are what is appended to <see cref="Elements"/> until <see cref="EndRow"/>.</summary>
    public void BeginRow()
    {
        if (_rowOpen)
        {
            throw new InvalidOperationException($"list column '{Spec.Name}': BeginRow called twice");
        }

        _rowOpen = true;
    }

    /// <summary>Ends the row started by <see cref="BeginRow"/>.</summary>
    public void EndRow()
    {
        if (!_rowOpen)
        {
            throw new InvalidOperationException($"list column '{Spec.Name}': EndRow without BeginRow");
        }

        _rowOpen = false;
        var length = Length;
        _offsets.Append(Elements.Length);
        MarkValid(length);
        Length = length + 1;
    }

    /// <summary>Appends a null row (no elements).</summary>
    public void AppendNull()
    {
        var length = Length;
        _offsets.Append(Elements.Length);
        MarkNull(length);
        Length = length + 1;
    }

    /// <inheritdoc />
    protected override void TruncateValues(int length)
    {
        _rowOpen = false;
        Elements.Truncate(_offsets.Values[length]);
        _offsets.Truncate(length + 1);
    }
}
