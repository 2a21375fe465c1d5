namespace Ingest.Pipeline.Simulation.Fleet;

/// <summary>
/// A tracker's clocks. Its crystal counts <i>ticks</i> (ns since the tracker started, at the hub's start time); sample
/// clocks run on ticks, so a fast crystal samples fast in hub time too. The time the tracker reports is
/// base + tick: hub start + offset at first, and the reset epoch after a clock reset (the crystal keeps counting).
/// </summary>
internal sealed class DeviceClock
{
    private readonly long _hubStartNs;
    private readonly double _ticksPerHubNs;
    private long _deviceBaseNs;

    public DeviceClock(long hubStartNs, long offsetNs, double driftPpm)
    {
        _hubStartNs = hubStartNs;
        _ticksPerHubNs = 1 + (driftPpm * 1e-6);
        _deviceBaseNs = hubStartNs + offsetNs;
        OffsetNs = offsetNs;
        DriftPpm = driftPpm;
    }

    public long OffsetNs { get; }

    public double DriftPpm { get; }

    /// <summary>The hub time at which the crystal reads <paramref name="tick"/>.</summary>
    public long HubTime(long tick) => _hubStartNs + (long)Math.Round(tick / _ticksPerHubNs);

    /// <summary>The crystal reading at hub time <paramref name="hubNs"/>.</summary>
    public long TickAt(long hubNs) => (long)Math.Round((hubNs - _hubStartNs) * _ticksPerHubNs);

    /// <summary>The device's reported time (UTC ns since the Unix epoch, by its own clock) at <paramref name="tick"/>.</summary>
    public long DeviceTime(long tick) => _deviceBaseNs + tick;

    /// <summary>The device clock jumps to <paramref name="epochNs"/> at <paramref name="tick"/>.</summary>
    public void Reset(long tick, long epochNs) => _deviceBaseNs = epochNs - tick;
}
