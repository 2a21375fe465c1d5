using System.Buffers;

namespace Ingest.Tests.Arrow;

/// <summary>
/// An <see cref="IBufferWriter{T}"/> that hands out exactly the size asked for (at least 1) from fresh,
/// garbage-filled arrays: catches writers that rely on spare capacity or on zeroed memory.
/// </summary>
internal sealed class TightBufferWriter : IBufferWriter<byte>
{
    private readonly List<byte> _written = [];
    private byte[] _current = [];

    public byte[] ToArray() => [.. _written];

    public void Advance(int count)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(count, _current.Length);
        _written.AddRange(_current.AsSpan(0, count));
        _current = [];
    }

    public Memory<byte> GetMemory(int sizeHint = 0)
    {
        _current = new byte[Math.Max(sizeHint, 1)];
        Array.Fill(_current, (byte)0xCD);
        return _current;
    }

    public Span<byte> GetSpan(int sizeHint = 0) => GetMemory(sizeHint).Span;
}
