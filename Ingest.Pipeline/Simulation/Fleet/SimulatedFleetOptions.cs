namespace Ingest.Pipeline.Simulation.Fleet;

/// <summary>
/// Settings of a <see cref="SimulatedFleet"/>. Immutable; defaults are named constants with their reason; checked in
/// one place, <see cref="Validate"/>.
/// </summary>
public sealed record SimulatedFleetOptions
{
    /// <summary>Default seed: any fixed value; the same seed gives the same bytes and times.</summary>
    public const ulong DefaultSeed = 1;

    /// <summary>Default trackers: a participant with a chest strap, an armband and a watch.</summary>
    public const int DefaultTrackerCount = 3;

    /// <summary>Default notification channel capacity: about a second of a 20-tracker hub, so a consumer hiccup does not stall the source.</summary>
    public const int DefaultNotificationCapacity = 1024;

    /// <summary>Default device event channel capacity: link changes are rare; this only has to absorb a reconnect storm.</summary>
    public const int DefaultEventCapacity = 256;

    /// <summary>Default spread of device clock offsets (±): trackers set from a phone are off by up to a few seconds.</summary>
    public static readonly TimeSpan DefaultClockOffsetSpread = TimeSpan.FromSeconds(2);

    /// <summary>Default spread of device clock drift (±ppm): a typical 32 kHz watch crystal's tolerance.</summary>
    public const double DefaultClockDriftSpreadPpm = 20;

    /// <summary>Default link latency spread: BLE's shortest connection interval (7.5 ms); a notification waits for the next connection event.</summary>
    public static readonly TimeSpan DefaultLinkLatency = TimeSpan.FromMilliseconds(7.5);

    /// <summary>Default pacing tick: coarser than a connection interval is fine (receive times are modelled, not measured) and cheap on a Pi.</summary>
    public static readonly TimeSpan DefaultPacingInterval = TimeSpan.FromMilliseconds(10);

    /// <summary>Seed of every random choice (signals, latencies, clocks, faults).</summary>
    public ulong Seed { get; init; } = DefaultSeed;

    /// <summary>Number of virtual trackers.</summary>
    public int TrackerCount { get; init; } = DefaultTrackerCount;

    /// <summary>
    /// Profile ids the trackers are drawn from, round-robin: tracker i gets <c>ProfileIds[i % Count]</c>. Repeat an id
    /// to weight it (<c>["polar-h10", "polar-h10", "generic-heart-rate-strap"]</c>). Null: every profile given to the fleet, in order.
    /// </summary>
    public IReadOnlyList<string>? ProfileIds { get; init; }

    /// <summary>Capacity of the notification channel (bounded, <see cref="System.Threading.Channels.BoundedChannelFullMode.Wait"/>: never drops).</summary>
    public int NotificationCapacity { get; init; } = DefaultNotificationCapacity;

    /// <summary>Capacity of the device event channel (bounded, Wait).</summary>
    public int EventCapacity { get; init; } = DefaultEventCapacity;

    /// <summary>Clock offset every device starts with: device time = hub time + offset + drift.</summary>
    public TimeSpan ClockOffset { get; init; }

    /// <summary>Each device's offset adds a uniform random amount in ±this.</summary>
    public TimeSpan ClockOffsetSpread { get; init; } = DefaultClockOffsetSpread;

    /// <summary>Drift every device's clock has, ppm (positive: the device clock runs fast, and so do its sample clocks).</summary>
    public double ClockDriftPpm { get; init; }

    /// <summary>Each device's drift adds a uniform random amount in ±this, ppm.</summary>
    public double ClockDriftSpreadPpm { get; init; } = DefaultClockDriftSpreadPpm;

    /// <summary>Each notification arrives up to this long after the tracker produced it (uniform).</summary>
    public TimeSpan LinkLatency { get; init; } = DefaultLinkLatency;

    /// <summary>Real time or as fast as the consumer reads.</summary>
    public SimulationPacing Pacing { get; init; } = SimulationPacing.RealTime;

    /// <summary>In <see cref="SimulationPacing.RealTime"/>, how often the fleet wakes to write what has become due.</summary>
    public TimeSpan PacingInterval { get; init; } = DefaultPacingInterval;

    /// <summary>Faults to inject (none by default).</summary>
    public SimulatedFaultOptions Faults { get; init; } = SimulatedFaultOptions.None;

    /// <summary>Throws <see cref="ArgumentException"/> naming the first bad setting.</summary>
    public void Validate()
    {
        if (TrackerCount is < 1 or > 10_000)
        {
            throw Bad(nameof(TrackerCount), TrackerCount, "from 1 to 10000");
        }

        if (ProfileIds is { Count: 0 })
        {
            throw Bad(nameof(ProfileIds), "an empty list", "null (every profile) or at least one profile id");
        }

        if (NotificationCapacity is < 1 or > 1_000_000)
        {
            throw Bad(nameof(NotificationCapacity), NotificationCapacity, "from 1 to 1000000");
        }

        if (EventCapacity is < 1 or > 1_000_000)
        {
            throw Bad(nameof(EventCapacity), EventCapacity, "from 1 to 1000000");
        }

        // Within ±10 years: further is not an offset but a wrong clock (use Faults.ClockResetsPerHour for that).
        if (ClockOffset.Duration() > TimeSpan.FromDays(3653) || ClockOffsetSpread < TimeSpan.Zero || ClockOffsetSpread > TimeSpan.FromDays(1))
        {
            throw Bad(ClockOffset.Duration() > TimeSpan.FromDays(3653) ? nameof(ClockOffset) : nameof(ClockOffsetSpread),
                ClockOffset.Duration() > TimeSpan.FromDays(3653) ? ClockOffset : ClockOffsetSpread,
                "an offset within ±10 years and a spread from 0 to 1 day");
        }

        // ±1000 ppm is far beyond any crystal; it keeps sample rates within 0.1 % of nominal.
        if (!(Math.Abs(ClockDriftPpm) <= 1000))
        {
            throw Bad(nameof(ClockDriftPpm), ClockDriftPpm, "from -1000 to 1000");
        }

        if (!(ClockDriftSpreadPpm >= 0 && ClockDriftSpreadPpm <= 1000) || Math.Abs(ClockDriftPpm) + ClockDriftSpreadPpm > 1000)
        {
            throw Bad(nameof(ClockDriftSpreadPpm), ClockDriftSpreadPpm, "from 0 to 1000, with |ClockDriftPpm| + spread at most 1000");
        }

        // Below the slowest shipped stream's period (a 10 Hz motion tick) so a stream's notifications stay in order.
        if (LinkLatency < TimeSpan.Zero || LinkLatency > TimeSpan.FromMilliseconds(50))
        {
            throw Bad(nameof(LinkLatency), LinkLatency, "from 0 to 50 ms");
        }

        if (!Enum.IsDefined(Pacing))
        {
            throw Bad(nameof(Pacing), Pacing, "RealTime or Unpaced");
        }

        if (PacingInterval < TimeSpan.FromMilliseconds(1) || PacingInterval > TimeSpan.FromSeconds(1))
        {
            throw Bad(nameof(PacingInterval), PacingInterval, "from 1 ms to 1 s");
        }

        if (Faults is null)
        {
            throw Bad(nameof(Faults), "null", $"an instance ({nameof(SimulatedFaultOptions)}.{nameof(SimulatedFaultOptions.None)} for none)");
        }

        Faults.Validate();
    }

    private static ArgumentException Bad(string name, object value, string expected) =>
        new($"{name} is {value}; it must be {expected}", name);
}
