using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Ingest.Pipeline.Columns;

/// <summary>A fixed-width column (integers, floats, timestamps) of <typeparamref name="T"/> values.</summary>
/// <typeparam name="T">The CLR type matching <see cref="ColumnSpec.Kind"/> (see <see cref="ColumnKinds.ClrType"/>).</typeparam>
public sealed class PrimitiveColumnBuffer<T> : ColumnBuffer, IFixedWidthColumn
    where T : unmanaged
{
    // Values live in a byte[] so a sealed batch can hand Arrow a ReadOnlyMemory<byte> of them without a copy.
    // Writes use the host's byte order, which is little-endian on every supported hub (ADR 0001).
    private static readonly int s_size = Unsafe.SizeOf<T>();
    private byte[] _bytes;

    /// <summary>Creates an empty column with room for <paramref name="initialCapacity"/> rows.</summary>
    public PrimitiveColumnBuffer(ColumnSpec spec, int initialCapacity)
        : base(spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        if (spec.Kind != ColumnKind.List && ColumnKinds.ClrType(spec.Kind) != typeof(T))
        {
            throw new ArgumentException($"column '{spec.Name}' of type {spec.TypeName} cannot be stored as {typeof(T).Name}", nameof(spec));
        }

        _bytes = new byte[checked(Math.Max(initialCapacity, 16) * s_size)];
    }

    /// <summary>The values appended so far (a null row holds <c>default</c>).</summary>
    public ReadOnlySpan<T> Values => MemoryMarshal.Cast<byte, T>(_bytes.AsSpan(0, Length * s_size));

    /// <summary>The values as Arrow's little-endian data buffer.</summary>
    public ReadOnlySpan<byte> ValueBytes => _bytes.AsSpan(0, Length * s_size);

    /// <summary>The values as Arrow's data buffer, for the IPC writer (valid until the column is next appended to or cleared).</summary>
    public ReadOnlyMemory<byte> ValueMemory => _bytes.AsMemory(0, Length * s_size);

    /// <summary>Appends one value.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Append(T value)
    {
        var length = Length;
        var offset = length * s_size;
        if ((uint)offset > (uint)(_bytes.Length - s_size))
        {
            Grow(length + 1);
        }

        MemoryMarshal.Write(_bytes.AsSpan(offset), in value);
        MarkValid(length);
        Length = length + 1;
    }

    /// <summary>Appends a null row.</summary>
    public void AppendNull()
    {
        var length = Length;
        var offset = length * s_size;
        if ((uint)offset > (uint)(_bytes.Length - s_size))
        {
            Grow(length + 1);
        }

        _bytes.AsSpan(offset, s_size).Clear();
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
        if (checked(end * s_size) > _bytes.Length)
        {
            Grow(end);
        }

        MarkValidRange(length, end);
        Length = end;
        return MemoryMarshal.Cast<byte, T>(_bytes.AsSpan(length * s_size, count * s_size));
    }

    /// <inheritdoc />
    protected override void TruncateValues(int length)
    {
        // Values past Length are ignored; nothing to clear.
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private void Grow(int neededRows)
    {
        var rows = _bytes.Length / s_size;
        while (rows < neededRows)
        {
            rows = checked(rows * 2);
        }

        Array.Resize(ref _bytes, checked(rows * s_size));
    }
}
