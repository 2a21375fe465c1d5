namespace Ingest.Tests.Pipeline.Simulation.Fleet;

/// <summary>A clock that always reads one instant: an unpaced fleet started on it is reproducible to the nanosecond.</summary>
internal sealed class FixedTimeProvider(DateTimeOffset now) : TimeProvider
{
    public static readonly DateTimeOffset DefaultStart = new(2026, 11, 22, 10, 0, 0, TimeSpan.Zero);

    public FixedTimeProvider()
        : this(DefaultStart)
    {
    }

    public static long DefaultStartNs => (DefaultStart.UtcTicks - DateTime.UnixEpoch.Ticks) * 100;

    public override DateTimeOffset GetUtcNow() => now;
}
