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

    /// <summary>
    /// Segments per gathered send. The runtime builds the iovec and pin-handle arrays on the stack for up to 8 buffers
    /// and allocates both on the heap beyond that (SocketPal.Unix IovStackThreshold), so 8 keeps every send allocation-free;
    /// with payloads borrowed only from 16 KiB up (header + payload = 2 segments), 8 segments still carry at least 64 KiB.
    /// </summary>
    private const int MaxSegmentsPerSend = 8;

    /// <summary>
    /// Owned bytes per send: 64 KiB, the largest TCP segment the kernel builds (GSO), about 250 small PUBLISHes. The broker
    /// starts on the first packets of a large batch while the rest are still being written.
    /// </summary>
    private const int MaxOwnedBytesPerSend = 64 * 1024;

    /// <summary>
    /// Bytes per send, owned and borrowed: once 128 KiB are in a send no further segment is added, so 64 KiB payloads go
    /// two per send. Measured on loopback mosquitto: one per send ran at 0.83–1.0 of the reference, two at 1.07–1.40,
    /// four (the 8-segment limit alone) switched between 0.71 and 1.37 from run to run.
    /// </summary>
    private const int MaxBytesPerSend = 128 * 1024;

    private readonly List<(int OwnedEnd, ReadOnlyMemory<byte> External)> _cuts = new();
    private readonly List<ArraySegment<byte>> _gather = new();
    private readonly List<ArraySegment<byte>> _send = new(MaxSegmentsPerSend);
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
    /// Writes the batch. On a plain TCP socket (<paramref name="socket"/> not null) owned ranges and borrowed payloads go
    /// out in gathered sends (see <see cref="FillNextSend"/>); on TLS the stream copies into its record buffer anyway, so
    /// segments are written in turn.
    /// </summary>
    public async ValueTask WriteToAsync(Stream stream, Socket? socket, GatheredSocketSender? sender, CancellationToken cancellationToken)
    {
        if (socket is not null && sender is not null && TryBuildGather())
        {
            var next = 0;
            while (next < _gather.Count)
            {
                FillNextSend(next);
                var sent = await sender.SendAsync(socket, _send).ConfigureAwait(false);
                next = Consume(next, sent);
            }

            return;
        }

        await WriteSequentiallyAsync(stream, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Fills the next send from the gather list: at most <see cref="MaxSegmentsPerSend"/> segments, at most
    /// <see cref="MaxOwnedBytesPerSend"/> bytes of the owned buffer (encoded packets, small payloads, cut exactly there),
    /// and no segment more once <see cref="MaxBytesPerSend"/> is reached (borrowed payloads are never cut).
    /// </summary>
    private void FillNextSend(int next)
    {
        _send.Clear();
        var bytes = 0;
        var ownedBytes = 0;
        for (var i = next; i < _gather.Count && _send.Count < MaxSegmentsPerSend && bytes < MaxBytesPerSend; i++)
        {
            var segment = _gather[i];
            if (segment.Array == _buffer)
            {
                if (ownedBytes == MaxOwnedBytesPerSend)
                {
                    break;
                }

                segment = segment.Slice(0, Math.Min(segment.Count, MaxOwnedBytesPerSend - ownedBytes));
                ownedBytes += segment.Count;
            }

            _send.Add(segment);
            bytes += segment.Count;
        }
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

    /// <summary>Drops <paramref name="sent"/> bytes from the gather list starting at <paramref name="next"/>; returns the first segment not fully sent.</summary>
    private int Consume(int next, int sent)
    {
        while (sent > 0)
        {
            var segment = _gather[next];
            if (segment.Count <= sent)
            {
                sent -= segment.Count;
                next++;
            }
            else
            {
                // A partial send: the rest of this segment goes first next time.
                _gather[next] = segment.Slice(sent);
                sent = 0;
            }
        }

        return next;
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
        _send.Clear();
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
