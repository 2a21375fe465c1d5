using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Ingest.Pipeline.Columns;

/// <summary>A fixed-width column (integers, floats, timestamps) of <typeparamref name="T"/> values.</summary>
/// <typeparam name="T">The CLR type matching <see cref="ColumnSpec.Kind"/> (see <see cref="ColumnKinds.ClrType"/>).</typeparam>
public sealed class PrimitiveColumnBuffer<T> : ColumnBuffer
    where T : unmanaged
{
    private T[] _values;

    /// <summary>Creates an empty column with room for <paramref name="initialCapacity"/> rows.</summary>
    public PrimitiveColumnBuffer(ColumnSpec spec, int initialCapacity)
        : base(spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        if (spec.Kind != ColumnKind.List && ColumnKinds.ClrType(spec.Kind) != typeof(T))
        {
            throw new ArgumentException($"column '{spec.Name}' of type {spec.TypeName} cannot be stored as {typeof(T).Name}", nameof(spec));
        }

        _values = new T[Math.Max(initialCapacity, 16)];
    }

    /// <summary>The values appended so far (a null row holds <c>default</c>).</summary>
    public ReadOnlySpan<T> Values => _values.AsSpan(0, Length);

    /// <summary>The values as Arrow's little-endian data buffer.</summary>
    public ReadOnlySpan<byte> ValueBytes => MemoryMarshal.AsBytes(Values);

    /// <summary>Appends one value.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Append(T value)
    {
        var length = Length;
        if ((uint)length >= (uint)_values.Length)
        {
            Grow(length + 1);
        }

        _values[length] = value;
        MarkValid(length);
        Length = length + 1;
    }

    /// <summary>Appends a null row.</summary>
    public void AppendNull()
    {
        var length = Length;
        if ((uint)length >= (uint)_values.Length)
        {
            Grow(length + 1);
        }

        _values[length] = default;
        MarkNull(length);
        Length = length + 1;
    }

    /// <summary>Appends <paramref name="value"/> when it has one, else a null.</summary>
    public void AppendOrNull(T? value)
    {
        if (value.HasValue)
        {
            Append(value.GetValueOrDefault());
        }
        else
        {
            AppendNull();
        }
    }

    /// <summary>
    /// Appends <paramref name="count"/> valid rows and returns them for the caller to fill in place: the bulk path
    /// for multi-sample frames (no per-value call).
    /// </summary>
    public Span<T> AppendSpan(int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        var length = Length;
        var end = checked(length + count);
        if (end > _values.Length)
        {
            Grow(end);
        }

        MarkValidRange(length, end);
        Length = end;
        return _values.AsSpan(length, count);
    }

    /// <inheritdoc />
    protected override void TruncateValues(int length)
    {
        // Values past Length are ignored; nothing to clear.
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private void Grow(int needed)
    {
        var size = _values.Length;
        while (size < needed)
        {
            size = checked(size * 2);
        }

        Array.Resize(ref _values, size);
    }
}
