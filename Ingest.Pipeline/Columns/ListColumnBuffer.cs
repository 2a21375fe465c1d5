namespace Ingest.Pipeline.Columns;

/// <summary>
/// A list column (Arrow list&lt;T&gt; with int32 offsets): each row holds zero or more <typeparamref name="T"/> values,
/// e.g. the RR intervals of one heart-rate notification. Append a row with <see cref="BeginRow"/>, add its
/// elements to <see cref="Elements"/>, then <see cref="EndRow"/>.
/// </summary>
/// <typeparam name="T">The CLR type of <see cref="ColumnSpec.ElementKind"/>.</typeparam>
public sealed class ListColumnBuffer<T> : ColumnBuffer
    where T : unmanaged
{
    private int[] _offsets;
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
        _offsets = new int[Math.Max(initialCapacity, 16) + 1];
    }

    /// <summary>The flattened elements of every row.</summary>
    public PrimitiveColumnBuffer<T> Elements { get; }

    /// <summary>Arrow offsets: <see cref="ColumnBuffer.Length"/> + 1 entries, the first 0.</summary>
    public ReadOnlySpan<int> Offsets => _offsets.AsSpan(0, Length + 1);

    /// <summary>The elements of row <paramref name="row"/>.</summary>
    public ReadOnlySpan<T> Row(int row)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual((uint)row, (uint)Length, nameof(row));
        return Elements.Values[_offsets[row].._offsets[row + 1]];
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
        if (length + 2 > _offsets.Length)
        {
            Array.Resize(ref _offsets, checked(_offsets.Length * 2));
        }

        _offsets[length + 1] = Elements.Length;
        MarkValid(length);
        Length = length + 1;
    }

    /// <summary>Appends a null row (no elements).</summary>
    public void AppendNull()
    {
        var length = Length;
        if (length + 2 > _offsets.Length)
        {
            Array.Resize(ref _offsets, checked(_offsets.Length * 2));
        }

        _offsets[length + 1] = Elements.Length;
        MarkNull(length);
        Length = length + 1;
    }

    /// <inheritdoc />
    protected override void TruncateValues(int length)
    {
        _rowOpen = false;
        Elements.Truncate(_offsets[length]);
    }
}
