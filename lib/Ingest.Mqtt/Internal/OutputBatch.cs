using System.Buffers;
using System.Net.Sockets;
using System.Runtime.InteropServices;

namespace Ingest.Mqtt.Internal;

/// <summary>
/// Bytes waiting to be written: an owned, pooled buffer that encoders append to, interleaved with borrowed
/// payload segments that are written from the caller's memory without a copy. Not thread-safe: the client
/// lock guards the pending batch, and the writer loop owns the batch it is flushing.
/// </summary>
internal sealed class OutputBatch : IBufferWriter<byte>, IDisposable
{
    private const int InitialSize = 16 * 1024;

    private readonly List<(int OwnedEnd, ReadOnlyMemory<byte> External)> _cuts = new();
    private readonly List<ArraySegment<byte>> _gather = new();
    private byte[] _buffer = ArrayPool<byte>.Shared.Rent(InitialSize);
    private int _written;

    /// <summary>QoS 0 publishes (and other waiters) to complete once this batch is on the wire.</summary>
    public List<PublishOperation> CompleteAfterWrite { get; } = new();

    public bool IsEmpty => _written == 0 && _cuts.Count == 0;

    /// <summary>Bytes in this batch, owned and borrowed.</summary>
    public long Length { get; private set; }

    public void Advance(int count)
    {
        _written += count;
        Length += count;
    }

    public Memory<byte> GetMemory(int sizeHint = 0)
    {
        Ensure(sizeHint);
        return _buffer.AsMemory(_written);
    }

    public Span<byte> GetSpan(int sizeHint = 0)
    {
        Ensure(sizeHint);
        return _buffer.AsSpan(_written);
    }

    /// <summary>Appends a borrowed segment; its memory must stay unchanged until the batch is written.</summary>
    public void AppendExternal(ReadOnlyMemory<byte> segment)
    {
        _cuts.Add((_written, segment));
        Length += segment.Length;
    }

    /// <summary>
    /// Writes the batch. On a plain TCP socket (<paramref name="socket"/> not null) every owned range and borrowed payload
    /// goes out in one gathered send; on TLS the stream copies into its record buffer anyway, so segments are written in turn.
    /// </summary>
    public async ValueTask WriteToAsync(Stream stream, Socket? socket, GatheredSocketSender? sender, CancellationToken cancellationToken)
    {
        if (socket is not null && sender is not null && _cuts.Count > 0 && TryBuildGather())
        {
            var remaining = Length;
            while (remaining > 0)
            {
                var sent = await sender.SendAsync(socket, _gather).ConfigureAwait(false);
                remaining -= sent;
                if (remaining > 0)
                {
                    // A partial gathered send: drop what went out and send the rest.
                    Consume(sent);
                }
            }

            return;
        }

        await WriteSequentiallyAsync(stream, cancellationToken).ConfigureAwait(false);
    }

    private bool TryBuildGather()
    {
        _gather.Clear();
        var start = 0;
        foreach (var (ownedEnd, external) in _cuts)
        {
            if (ownedEnd > start)
            {
                _gather.Add(new ArraySegment<byte>(_buffer, start, ownedEnd - start));
                start = ownedEnd;
            }

            if (!MemoryMarshal.TryGetArray(external, out var segment))
            {
                return false;
            }

            _gather.Add(segment);
        }

        if (_written > start)
        {
            _gather.Add(new ArraySegment<byte>(_buffer, start, _written - start));
        }

        return true;
    }

    private void Consume(int count)
    {
        while (count > 0)
        {
            var first = _gather[0];
            if (first.Count <= count)
            {
                count -= first.Count;
                _gather.RemoveAt(0);
            }
            else
            {
                _gather[0] = first.Slice(count);
                count = 0;
            }
        }
    }

    private async ValueTask WriteSequentiallyAsync(Stream stream, CancellationToken cancellationToken)
    {
        var start = 0;
        foreach (var (ownedEnd, external) in _cuts)
        {
            if (ownedEnd > start)
            {
                await stream.WriteAsync(_buffer.AsMemory(start, ownedEnd - start), cancellationToken).ConfigureAwait(false);
                start = ownedEnd;
            }

            await stream.WriteAsync(external, cancellationToken).ConfigureAwait(false);
        }

        if (_written > start)
        {
            await stream.WriteAsync(_buffer.AsMemory(start, _written - start), cancellationToken).ConfigureAwait(false);
        }
    }

    public void Reset()
    {
        _written = 0;
        Length = 0;
        _cuts.Clear();
        _gather.Clear();
        CompleteAfterWrite.Clear();
        if (_buffer.Length > 4 * 1024 * 1024)
        {
            // A burst grew the buffer; give the memory back rather than keep it for the connection's life.
            ArrayPool<byte>.Shared.Return(_buffer);
            _buffer = ArrayPool<byte>.Shared.Rent(InitialSize);
        }
    }

    public void Dispose()
    {
        var buffer = _buffer;
        _buffer = [];
        if (buffer.Length > 0)
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private void Ensure(int sizeHint)
    {
        var needed = checked(_written + Math.Max(sizeHint, 1));
        if (needed <= _buffer.Length)
        {
            return;
        }

        var bigger = ArrayPool<byte>.Shared.Rent(Math.Max(needed, checked(_buffer.Length * 2)));
        _buffer.AsSpan(0, _written).CopyTo(bigger);
        ArrayPool<byte>.Shared.Return(_buffer);
        _buffer = bigger;
    }
}
