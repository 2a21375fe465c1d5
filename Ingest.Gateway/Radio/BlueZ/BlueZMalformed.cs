namespace Ingest.Gateway.Radio.BlueZ;

/// <summary>
/// Counts values from the bus that were skipped because they broke the documented shape (wrong D-Bus type, too long,
/// not a UUID, RSSI out of range, bad address). Keeps the last description for status screens; descriptions name the
/// property, never its value (a value may be an address). Thread-safe.
/// </summary>
internal sealed class BlueZMalformed
{
    private long _count;
    private string? _last;

    /// <summary>Values skipped so far.</summary>
    public long Count => Interlocked.Read(ref _count);

    /// <summary>What the last skipped value was, or null.</summary>
    public string? Last => Volatile.Read(ref _last);

    /// <summary>Counts one skipped value.</summary>
    public void Record(string what)
    {
        Interlocked.Increment(ref _count);
        Volatile.Write(ref _last, what);
    }
}
