using System.Buffers.Binary;
using System.Text;

namespace Ingest.Arrow.FlatBuffers;

/// <summary>
/// A minimal back-to-front FlatBuffers builder (google/flatbuffers internals.md): objects are written from
/// the end of the buffer towards the start, so every uoffset points forward. Every scalar is aligned to its
/// size relative to the end, and <see cref="Finish"/> pads the front to the largest alignment used, so the
/// alignment also holds relative to the start (protocols.md §1.11). Scalars are always written, even when
/// equal to the schema default, so a layout depends only on the shape and can serve as a patchable
/// template. Used only off the hot path (schema, templates, footer).
/// </summary>
internal sealed class FlatBufferBuilder
{
    private byte[] _buffer;
    private int _space;
    private int _minAlign = 1;
    private int[] _vtable = new int[16];
    private int _vtableSlots;
    private int _objectStart;
    private int _vectorCount;

    public FlatBufferBuilder(int initialSize = 1024)
    {
        _buffer = new byte[initialSize];
        _space = initialSize;
    }

    /// <summary>Bytes written so far: the offset-from-end of the last object.</summary>
    public int Offset => _buffer.Length - _space;

    public void Prep(int size, int additionalBytes)
    {
        if (size > _minAlign)
        {
            _minAlign = size;
        }

        var alignSize = (~(_buffer.Length - _space + additionalBytes) + 1) & (size - 1);
        while (_space < alignSize + size + additionalBytes)
        {
            Grow();
        }

        Pad(alignSize);
    }

    public void Pad(int count)
    {
        _space -= count;
        _buffer.AsSpan(_space, count).Clear();
    }

    public void AddByte(byte value)
    {
        Prep(1, 0);
        _buffer[--_space] = value;
    }

    public void AddInt16(short value)
    {
        Prep(2, 0);
        _space -= 2;
        BinaryPrimitives.WriteInt16LittleEndian(_buffer.AsSpan(_space), value);
    }

    public void AddInt32(int value)
    {
        Prep(4, 0);
        _space -= 4;
        BinaryPrimitives.WriteInt32LittleEndian(_buffer.AsSpan(_space), value);
    }

    public void AddInt64(long value)
    {
        Prep(8, 0);
        _space -= 8;
        BinaryPrimitives.WriteInt64LittleEndian(_buffer.AsSpan(_space), value);
    }

    /// <summary>Writes a uoffset to the object at offset-from-end <paramref name="target"/>.</summary>
    public void AddOffset(int target)
    {
        Prep(4, 0);
        // uoffset is relative to the field itself, which lands at offset-from-end Offset + 4.
        var relative = Offset - target + 4;
        _space -= 4;
        BinaryPrimitives.WriteInt32LittleEndian(_buffer.AsSpan(_space), relative);
    }

    public void StartTable(int slots)
    {
        if (_vtable.Length < slots)
        {
            _vtable = new int[slots];
        }

        _vtable.AsSpan(0, slots).Clear();
        _vtableSlots = slots;
        _objectStart = Offset;
    }

    public void Slot(int slot) => _vtable[slot] = Offset;

    public void AddFieldByte(int slot, byte value)
    {
        AddByte(value);
        Slot(slot);
    }

    public void AddFieldBool(int slot, bool value) => AddFieldByte(slot, value ? (byte)1 : (byte)0);

    public void AddFieldInt16(int slot, short value)
    {
        AddInt16(value);
        Slot(slot);
    }

    public void AddFieldInt32(int slot, int value)
    {
        AddInt32(value);
        Slot(slot);
    }

    /// <summary>Adds a long field and returns its offset-from-end (for template patching).</summary>
    public int AddFieldInt64(int slot, long value)
    {
        AddInt64(value);
        Slot(slot);
        return Offset;
    }

    public void AddFieldOffset(int slot, int target)
    {
        AddOffset(target);
        Slot(slot);
    }

    /// <summary>Ends the current table and returns its offset-from-end.</summary>
    public int EndTable()
    {
        AddInt32(0);
        var tableOffset = Offset;
        var trimmed = _vtableSlots;
        while (trimmed > 0 && _vtable[trimmed - 1] == 0)
        {
            trimmed--;
        }

        for (var i = trimmed - 1; i >= 0; i--)
        {
            AddInt16((short)(_vtable[i] != 0 ? tableOffset - _vtable[i] : 0));
        }

        AddInt16((short)(tableOffset - _objectStart));
        AddInt16((short)((trimmed + 2) * 2));
        // The vtable sits just before the table: soffset = table position - vtable position > 0.
        BinaryPrimitives.WriteInt32LittleEndian(_buffer.AsSpan(_buffer.Length - tableOffset), Offset - tableOffset);
        return tableOffset;
    }

    public void StartVector(int elementSize, int count, int alignment)
    {
        _vectorCount = count;
        Prep(4, checked(elementSize * count));
        Prep(alignment, elementSize * count);
    }

    /// <summary>Reserves zeroed element bytes of a struct vector (after <see cref="StartVector"/>).</summary>
    public void ReserveZeroed(int byteCount)
    {
        while (_space < byteCount)
        {
            Grow();
        }

        Pad(byteCount);
    }

    /// <summary>Prepends raw bytes (a struct already laid out little-endian).</summary>
    public void AddRaw(ReadOnlySpan<byte> bytes)
    {
        while (_space < bytes.Length)
        {
            Grow();
        }

        _space -= bytes.Length;
        bytes.CopyTo(_buffer.AsSpan(_space));
    }

    public int EndVector()
    {
        Prep(4, 0);
        _space -= 4;
        BinaryPrimitives.WriteInt32LittleEndian(_buffer.AsSpan(_space), _vectorCount);
        return Offset;
    }

    public int CreateString(string value)
    {
        var length = Encoding.UTF8.GetByteCount(value);
        AddByte(0);
        StartVector(1, length, 1);
        _space -= length;
        Encoding.UTF8.GetBytes(value, _buffer.AsSpan(_space, length));
        return EndVector();
    }

    public int CreateOffsetVector(ReadOnlySpan<int> targets)
    {
        StartVector(4, targets.Length, 4);
        for (var i = targets.Length - 1; i >= 0; i--)
        {
            AddOffset(targets[i]);
        }

        return EndVector();
    }

    /// <summary>Writes the root uoffset and returns the finished buffer.</summary>
    public byte[] Finish(int root)
    {
        Prep(_minAlign, 4);
        AddOffset(root);
        return _buffer.AsSpan(_space).ToArray();
    }

    private void Grow()
    {
        var old = _buffer;
        var grown = new byte[checked(old.Length * 2)];
        old.AsSpan(_space).CopyTo(grown.AsSpan(grown.Length - (old.Length - _space)));
        _space += grown.Length - old.Length;
        _buffer = grown;
    }
}
