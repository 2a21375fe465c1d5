namespace Ingest.Pipeline.Intake;

/// <summary>
/// The hub's time scale for notifications, events and rows: UTC nanoseconds since the Unix epoch, as a long (enough
/// until the year 2262). One conversion, so every stage stamps time the same way.
/// </summary>
public static class HubTime
{
    /// <summary><paramref name="time"/> in UTC nanoseconds since the Unix epoch (100 ns resolution, as DateTimeOffset holds it).</summary>
    public static long ToUnixNs(DateTimeOffset time) => (time.UtcTicks - DateTime.UnixEpoch.Ticks) * 100;

    /// <summary>Now, by <paramref name="time"/>, in UTC nanoseconds since the Unix epoch.</summary>
    public static long NowNs(TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(time);
        return ToUnixNs(time.GetUtcNow());
    }
}
