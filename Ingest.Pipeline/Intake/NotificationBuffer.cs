using Ingest.Pipeline.Decoding;

namespace Ingest.Pipeline.Intake;

/// <summary>
/// One recycled payload buffer of <see cref="DecodeLimits.MaxFrameBytes"/> bytes (no BLE attribute value is longer),
/// owned by a <see cref="NotificationBufferPool"/>. A <see cref="Notification"/> refers to it with a token; the token
/// changes on every return, so a stale notification is detected instead of reading someone else's bytes.
/// </summary>
public sealed class NotificationBuffer
{
    private readonly byte[] _bytes = new byte[DecodeLimits.MaxFrameBytes];
    private readonly NotificationBufferPool _owner;
    private int _token;
    private int _rented;

    internal NotificationBuffer(NotificationBufferPool owner) => _owner = owner;

    /// <summary>The whole buffer, for the source to write a payload into before it wraps it in a <see cref="Notification"/>.</summary>
    public Span<byte> Memory => _bytes;

    /// <summary>The current token; a <see cref="Notification"/> captures it.</summary>
    internal int Token => Volatile.Read(ref _token);

    internal ReadOnlySpan<byte> Read(int token, int length)
    {
        if (Volatile.Read(ref _token) != token)
        {
            ThrowStale();
        }

        return new ReadOnlySpan<byte>(_bytes, 0, length);
    }

    internal void MarkRented() => Volatile.Write(ref _rented, 1);

    /// <summary>Returns the buffer to its pool once: the second release of one token throws.</summary>
    internal void Release(int token)
    {
        // The token moves on first, so a concurrent or later reader of the old notification fails fast.
        if (Interlocked.CompareExchange(ref _token, token + 1, token) != token || Interlocked.Exchange(ref _rented, 0) != 1)
        {
            ThrowStale();
        }

        _owner.Return(this);
    }

    private static void ThrowStale() =>
        throw new InvalidOperationException("the notification was already released; its payload buffer has been recycled");
}
