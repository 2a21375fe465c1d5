using System.Numerics;

namespace Ingest.Pipeline.Columns;

/// <summary>
/// A growable column of one stream's batch, laid out exactly as an Arrow array (little-endian values, an
/// LSB-first validity bitmap that exists only once a null was appended), so sealing a batch hands its bytes to
/// the Arrow writer without per-value work. Buffers are reused across batches: steady state allocates nothing.
/// Not thread-safe: one decode loop owns a batch's columns until it is sealed.
/// </summary>
public abstract class ColumnBuffer
{
    private byte[]? _validity;

    /// <summary>Creates an empty column for <paramref name="spec"/>.</summary>
    protected ColumnBuffer(ColumnSpec spec)
    {
        Spec = spec;
    }

    /// <summary>What the column holds.</summary>
    public ColumnSpec Spec { get; }

    /// <summary>Number of values (rows) appended.</summary>
    public int Length { get; protected set; }

    /// <summary>Number of null rows.</summary>
    public int NullCount { get; private set; }

    /// <summary>
    /// Arrow validity bitmap bytes covering <see cref="Length"/> rows (bit set = valid), or empty when the
    /// column has no nulls (Arrow then omits the bitmap).
    /// </summary>
    public ReadOnlySpan<byte> ValidityBytes => NullCount == 0 ? default : _validity.AsSpan(0, (Length + 7) >> 3);

    /// <summary>The validity bitmap as Arrow's buffer (empty when the column has no nulls), for the IPC writer.</summary>
    public ReadOnlyMemory<byte> ValidityMemory => NullCount == 0 ? default : _validity.AsMemory(0, (Length + 7) >> 3);

    /// <summary>True when row <paramref name="row"/> holds a value.</summary>
    public bool IsValid(int row)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual((uint)row, (uint)Length, nameof(row));
        return NullCount == 0 || (_validity![row >> 3] & (1 << (row & 7))) != 0;
    }

    /// <summary>Cuts the column back to <paramref name="length"/> rows (used to undo a rejected frame).</summary>
    public void Truncate(int length)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan((uint)length, (uint)Length, nameof(length));
        if (NullCount != 0)
        {
            for (var row = length; row < Length; row++)
            {
                if ((_validity![row >> 3] & (1 << (row & 7))) == 0)
                {
                    NullCount--;
                }
            }
        }

        ClearValidityBits(length, Length);
        TruncateValues(length);
        Length = length;
    }

    /// <summary>Empties the column, keeping its buffers for the next batch.</summary>
    public void Clear()
    {
        ClearValidityBits(0, Length);
        TruncateValues(0);
        Length = 0;
        NullCount = 0;
    }

    /// <summary>Removes value storage past <paramref name="length"/>.</summary>
    protected abstract void TruncateValues(int length);

    /// <summary>Records row <see cref="Length"/> (about to be appended) as valid, if a bitmap exists.</summary>
    protected void MarkValid(int row)
    {
        if (_validity is not null)
        {
            SetBit(row, valid: true);
        }
    }

    /// <summary>Records rows [<paramref name="start"/>, <paramref name="end"/>) as valid, if a bitmap exists.</summary>
    protected void MarkValidRange(int start, int end)
    {
        if (_validity is null)
        {
            return;
        }

        for (var row = start; row < end; row++)
        {
            SetBit(row, valid: true);
        }
    }

    /// <summary>Records row <paramref name="row"/> as null, creating the bitmap on the first null.</summary>
    protected void MarkNull(int row)
    {
        if (_validity is null)
        {
            // First null: every earlier row was valid.
            _validity = new byte[Math.Max(64, (int)BitOperations.RoundUpToPowerOf2((uint)((row >> 3) + 1)))];
            _validity.AsSpan(0, row >> 3).Fill(0xFF);
            for (var i = row & ~7; i < row; i++)
            {
                _validity[i >> 3] |= (byte)(1 << (i & 7));
            }
        }

        SetBit(row, valid: false);
        NullCount++;
    }

    // Bits past Length stay 0: the bitmap's last byte goes into the IPC body as it is, and stale bits from an earlier
    // batch would make the same rows encode to different bytes (batch-format.md: same rows, same bytes).
    private void ClearValidityBits(int start, int end)
    {
        if (_validity is null || start >= end)
        {
            return;
        }

        var firstWholeByte = (start + 7) >> 3;
        for (var row = start; row < Math.Min(end, firstWholeByte << 3); row++)
        {
            _validity[row >> 3] &= (byte)~(1 << (row & 7));
        }

        var endByte = (end + 7) >> 3;
        if (endByte > firstWholeByte)
        {
            _validity.AsSpan(firstWholeByte, endByte - firstWholeByte).Clear();
        }
    }

    private void SetBit(int row, bool valid)
    {
        var index = row >> 3;
        if (index >= _validity!.Length)
        {
            Array.Resize(ref _validity, _validity.Length * 2);
        }

        if (valid)
        {
            _validity[index] |= (byte)(1 << (row & 7));
        }
        else
        {
            _validity[index] &= (byte)~(1 << (row & 7));
        }
    }
}
