namespace Ingest.Pipeline.Intake;

/// <summary>
/// The payload buffers of one notification source. The source rents a buffer per notification and hands it to the
/// consumer inside the <see cref="Notification"/>; from then on the consumer owns it and must call
/// <see cref="Notification.Release"/> exactly once when it no longer reads the payload (after decoding, or after
/// copying it to quarantine). Buffers come back here and are reused, so the steady state allocates nothing.
/// <para>
/// When the pool is empty it creates a buffer (counted in <see cref="Created"/>): the pool never blocks and never
/// drops, and its size settles at the most buffers ever in flight, which the bounded notification channel limits
/// (capacity + the consumer's in-hand notifications + the source's held bursts). A consumer that forgets to release
/// shows as <see cref="Outstanding"/> growing. Thread-safe.
/// </para>
/// </summary>
public sealed class NotificationBufferPool
{
    private readonly Lock _lock = new();
    private readonly Stack<NotificationBuffer> _free;
    private long _created;
    private long _outstanding;

    /// <summary>Creates a pool with <paramref name="preallocate"/> buffers ready.</summary>
    public NotificationBufferPool(int preallocate = 0)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(preallocate);
        _free = new Stack<NotificationBuffer>(Math.Max(preallocate, 16));
        for (var i = 0; i < preallocate; i++)
        {
            _free.Push(new NotificationBuffer(this));
        }

        _created = preallocate;
    }

    /// <summary>Buffers created so far (the pool's footprint is this × 512 bytes).</summary>
    public long Created => Interlocked.Read(ref _created);

    /// <summary>Buffers rented and not yet released: 0 when every consumer has released everything.</summary>
    public long Outstanding => Interlocked.Read(ref _outstanding);

    /// <summary>A buffer for one notification; the caller owns it until it wraps it in a notification and hands that on.</summary>
    public NotificationBuffer Rent()
    {
        NotificationBuffer? buffer;
        lock (_lock)
        {
            _free.TryPop(out buffer);
        }

        if (buffer is null)
        {
            buffer = new NotificationBuffer(this);
            Interlocked.Increment(ref _created);
        }

        buffer.MarkRented();
        Interlocked.Increment(ref _outstanding);
        return buffer;
    }

    internal void Return(NotificationBuffer buffer)
    {
        Interlocked.Decrement(ref _outstanding);
        lock (_lock)
        {
            _free.Push(buffer);
        }
    }
}
