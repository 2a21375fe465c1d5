using System.Buffers.Binary;
using System.Text;
using System.Text.Unicode;

namespace Ingest.Arrow.FlatBuffers;

/// <summary>
/// A verified view of one FlatBuffers table inside a buffer. Every access checks what the FlatBuffers
/// verifier checks (google/flatbuffers verifier.h; protocols.md §1.11): offsets in range and forward,
/// scalars and vectors aligned to their size relative to the buffer start, vtable sizes even and in range,
/// strings NUL-terminated. Failures raise <see cref="ArrowFormatException"/> with the absolute input offset.
/// </summary>
internal readonly ref struct FlatBufferTable
{
    private readonly ReadOnlySpan<byte> _buffer;
    private readonly int _position;
    private readonly int _vtable;
    private readonly int _vtableSize;
    private readonly int _tableSize;
    private readonly long _base;

    private FlatBufferTable(ReadOnlySpan<byte> buffer, int position, int vtable, int vtableSize, int tableSize, long baseOffset)
    {
        _buffer = buffer;
        _position = position;
        _vtable = vtable;
        _vtableSize = vtableSize;
        _tableSize = tableSize;
        _base = baseOffset;
    }

    /// <summary>The root table of <paramref name="buffer"/>, whose first byte is at input offset <paramref name="baseOffset"/>.</summary>
    public static FlatBufferTable Root(ReadOnlySpan<byte> buffer, long baseOffset, string what)
    {
        // FlatBuffers: a buffer is at least the root offset plus a table's soffset and a 4-byte vtable.
        if (buffer.Length < 12)
        {
            ThrowHelper.ThrowFormat($"{what} FlatBuffer is {buffer.Length} bytes, too small to hold a table", baseOffset);
        }

        return At(buffer, ReadUOffset(buffer, 0, baseOffset, what), baseOffset, what);
    }

    /// <summary>True when the slot is present in the vtable.</summary>
    public bool Has(int slot) => VtableEntry(slot) != 0;

    public byte GetByte(int slot, byte defaultValue)
    {
        var at = Field(slot, 1);
        return at < 0 ? defaultValue : _buffer[at];
    }

    public bool GetBool(int slot) => GetByte(slot, 0) != 0;

    public short GetInt16(int slot, short defaultValue)
    {
        var at = Field(slot, 2);
        return at < 0 ? defaultValue : BinaryPrimitives.ReadInt16LittleEndian(_buffer.Slice(at));
    }

    public int GetInt32(int slot, int defaultValue)
    {
        var at = Field(slot, 4);
        return at < 0 ? defaultValue : BinaryPrimitives.ReadInt32LittleEndian(_buffer.Slice(at));
    }

    public long GetInt64(int slot, long defaultValue)
    {
        var at = Field(slot, 8);
        return at < 0 ? defaultValue : BinaryPrimitives.ReadInt64LittleEndian(_buffer.Slice(at));
    }

    public bool TryGetTable(int slot, string what, out FlatBufferTable table)
    {
        var at = Field(slot, 4);
        if (at < 0)
        {
            table = default;
            return false;
        }

        table = At(_buffer, ReadUOffset(_buffer, at, _base, what), _base, what);
        return true;
    }

    public FlatBufferTable GetRequiredTable(int slot, string what)
    {
        if (!TryGetTable(slot, what, out var table))
        {
            ThrowHelper.ThrowFormat($"required FlatBuffers table {what} is missing", _base + _position);
        }

        return table;
    }

    /// <summary>The vector in <paramref name="slot"/>, or an absent (empty) vector.</summary>
    public FlatBufferVector GetVector(int slot, int elementSize, int elementAlignment, int maxCount, string what)
    {
        var at = Field(slot, 4);
        if (at < 0)
        {
            return default;
        }

        var start = ReadUOffset(_buffer, at, _base, what);
        if ((start & 3) != 0 || start > _buffer.Length - 4)
        {
            ThrowHelper.ThrowFormat($"FlatBuffers vector {what} is misaligned or out of range", _base + start);
        }

        var count = BinaryPrimitives.ReadUInt32LittleEndian(_buffer.Slice(start));
        if (count > (uint)maxCount)
        {
            ThrowHelper.ThrowLimit($"{what} count", count, maxCount);
        }

        var elements = start + 4;
        // Writers align non-empty struct vectors to the struct's alignment; Arrow C++ leaves empty ones
        // 4-aligned (its verifier checks only the count's alignment), so an empty vector is accepted anywhere.
        if (count > 0 && (elements % elementAlignment) != 0)
        {
            ThrowHelper.ThrowFormat($"FlatBuffers vector {what} elements are not {elementAlignment}-byte aligned", _base + elements);
        }

        if ((long)count * elementSize > _buffer.Length - elements)
        {
            ThrowHelper.ThrowFormat($"FlatBuffers vector {what} ({count} elements) runs past the end of its buffer", _base + start);
        }

        return new FlatBufferVector(_buffer, elements, (int)count, elementSize, _base, present: true);
    }

    public string? GetString(int slot, string what)
    {
        var at = Field(slot, 4);
        return at < 0 ? null : ReadString(_buffer, ReadUOffset(_buffer, at, _base, what), _base, what);
    }

    internal static FlatBufferTable At(ReadOnlySpan<byte> buffer, int position, long baseOffset, string what)
    {
        if ((position & 3) != 0 || position > buffer.Length - 4)
        {
            ThrowHelper.ThrowFormat($"FlatBuffers table {what} is misaligned or out of range", baseOffset + position);
        }

        var vtable = (long)position - BinaryPrimitives.ReadInt32LittleEndian(buffer.Slice(position));
        if (vtable < 0 || (vtable & 1) != 0 || vtable > buffer.Length - 4)
        {
            ThrowHelper.ThrowFormat($"FlatBuffers vtable of {what} is misaligned or out of range", baseOffset + position);
        }

        int vt = (int)vtable;
        int vtableSize = BinaryPrimitives.ReadUInt16LittleEndian(buffer.Slice(vt));
        int tableSize = BinaryPrimitives.ReadUInt16LittleEndian(buffer.Slice(vt + 2));
        if (vtableSize < 4 || (vtableSize & 1) != 0 || vtableSize > buffer.Length - vt)
        {
            ThrowHelper.ThrowFormat($"FlatBuffers vtable of {what} has an invalid size {vtableSize}", baseOffset + vt);
        }

        if (tableSize < 4 || tableSize > buffer.Length - position)
        {
            ThrowHelper.ThrowFormat($"FlatBuffers table {what} has an invalid size {tableSize}", baseOffset + position);
        }

        return new FlatBufferTable(buffer, position, vt, vtableSize, tableSize, baseOffset);
    }

    internal static int ReadUOffset(ReadOnlySpan<byte> buffer, int at, long baseOffset, string what)
    {
        if ((at & 3) != 0 || at > buffer.Length - 4)
        {
            ThrowHelper.ThrowFormat($"FlatBuffers offset to {what} is misaligned or out of range", baseOffset + at);
        }

        var relative = BinaryPrimitives.ReadUInt32LittleEndian(buffer.Slice(at));
        // uoffset_t is unsigned and non-zero: targets lie strictly after the offset field (verifier.h VerifyOffset).
        if (relative == 0 || relative > int.MaxValue || relative >= (uint)(buffer.Length - at))
        {
            ThrowHelper.ThrowFormat($"FlatBuffers offset to {what} points outside its buffer", baseOffset + at);
        }

        return at + (int)relative;
    }

    internal static string ReadString(ReadOnlySpan<byte> buffer, int start, long baseOffset, string what)
    {
        if ((start & 3) != 0 || start > buffer.Length - 4)
        {
            ThrowHelper.ThrowFormat($"FlatBuffers string {what} is misaligned or out of range", baseOffset + start);
        }

        var length = BinaryPrimitives.ReadUInt32LittleEndian(buffer.Slice(start));
        if (length > ArrowLimits.MaxStringLength)
        {
            ThrowHelper.ThrowLimit($"{what} string length", length, ArrowLimits.MaxStringLength);
        }

        // The string bytes and their NUL terminator must fit (verifier.h VerifyString).
        if (length >= (uint)(buffer.Length - start - 4))
        {
            ThrowHelper.ThrowFormat($"FlatBuffers string {what} runs past the end of its buffer", baseOffset + start);
        }

        var bytes = buffer.Slice(start + 4, (int)length);
        if (buffer[start + 4 + (int)length] != 0)
        {
            ThrowHelper.ThrowFormat($"FlatBuffers string {what} is not NUL-terminated", baseOffset + start);
        }

        if (!Utf8.IsValid(bytes))
        {
            ThrowHelper.ThrowFormat($"FlatBuffers string {what} is not valid UTF-8", baseOffset + start);
        }

        return Encoding.UTF8.GetString(bytes);
    }

    private int VtableEntry(int slot)
    {
        var entry = 4 + (2 * slot);
        return entry + 2 > _vtableSize ? 0 : BinaryPrimitives.ReadUInt16LittleEndian(_buffer.Slice(_vtable + entry));
    }

    private int Field(int slot, int size)
    {
        var offset = VtableEntry(slot);
        if (offset == 0)
        {
            return -1;
        }

        if (offset + size > _tableSize)
        {
            ThrowHelper.ThrowFormat($"FlatBuffers field in slot {slot} lies outside its table", _base + _position);
        }

        var at = _position + offset;
        if ((at & (size - 1)) != 0)
        {
            ThrowHelper.ThrowFormat($"FlatBuffers field in slot {slot} is not {size}-byte aligned", _base + at);
        }

        return at;
    }
}
