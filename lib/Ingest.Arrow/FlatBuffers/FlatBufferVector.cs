using System.Buffers.Binary;

namespace Ingest.Arrow.FlatBuffers;

/// <summary>A verified FlatBuffers vector: its count and element bytes are known to lie inside the buffer.</summary>
internal readonly ref struct FlatBufferVector
{
    private readonly ReadOnlySpan<byte> _buffer;
    private readonly int _elements;
    private readonly int _elementSize;
    private readonly long _base;

    public FlatBufferVector(ReadOnlySpan<byte> buffer, int elements, int count, int elementSize, long baseOffset, bool present)
    {
        _buffer = buffer;
        _elements = elements;
        Count = count;
        _elementSize = elementSize;
        _base = baseOffset;
        IsPresent = present;
    }

    /// <summary>Number of elements (0 when absent).</summary>
    public int Count { get; }

    /// <summary>False when the slot was absent.</summary>
    public bool IsPresent { get; }

    /// <summary>The bytes of struct element <paramref name="index"/>.</summary>
    public ReadOnlySpan<byte> GetStruct(int index)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual((uint)index, (uint)Count, nameof(index));
        return _buffer.Slice(_elements + (index * _elementSize), _elementSize);
    }

    public long GetInt64(int index) => BinaryPrimitives.ReadInt64LittleEndian(GetStruct(index));

    public FlatBufferTable GetTable(int index, string what)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual((uint)index, (uint)Count, nameof(index));
        var at = _elements + (index * 4);
        return FlatBufferTable.At(_buffer, FlatBufferTable.ReadUOffset(_buffer, at, _base, what), _base, what);
    }

    public string GetString(int index, string what)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual((uint)index, (uint)Count, nameof(index));
        var at = _elements + (index * 4);
        return FlatBufferTable.ReadString(_buffer, FlatBufferTable.ReadUOffset(_buffer, at, _base, what), _base, what);
    }
}
