namespace Ingest.Pipeline.Simulation.Fleet;

/// <summary>
/// Faults the simulated fleet injects, each deterministic for the fleet's seed. All are off by default (rates 0). Rates
/// are per tracker (disconnects, clock resets, bursts) or per notification (garbage), with exponential gaps between
/// events (a Poisson process).
/// </summary>
public sealed record SimulatedFaultOptions
{
    /// <summary>Default reconnect delay: BlueZ's first reconnect attempt plus service discovery takes a few seconds.</summary>
    public static readonly TimeSpan DefaultReconnectDelay = TimeSpan.FromSeconds(5);

    /// <summary>Default frames held per burst: a few connection events' worth, as a congested link releases them.</summary>
    public const int DefaultBurstLength = 8;

    /// <summary>No faults.</summary>
    public static SimulatedFaultOptions None { get; } = new();

    /// <summary>Link drops per tracker per hour: a <see cref="Intake.DeviceEventKind.Disconnected"/> event, silence, then a reconnect.</summary>
    public double DisconnectsPerHour { get; init; }

    /// <summary>Time from a disconnect to the reconnect (its <see cref="Intake.DeviceEventKind.Connected"/> event).</summary>
    public TimeSpan ReconnectDelay { get; init; } = DefaultReconnectDelay;

    /// <summary>
    /// Chance (0–1) that a garbage notification is sent just before a real one on the same characteristic: alternately
    /// one of the wrong length and one of the wrong type (a foreign PMD measurement type, reserved SIG flag bits, an
    /// out-of-range battery level). The decoder must reject every one.
    /// </summary>
    public double GarbageProbability { get; init; }

    /// <summary>Device clock resets per tracker per hour: the device clock jumps back to <see cref="ClockResetEpoch"/>.</summary>
    public double ClockResetsPerHour { get; init; }

    /// <summary>Where a reset device clock restarts: a Polar H10 restarts at 2019-01-01 after about a minute off its electrodes.</summary>
    public DateTimeOffset ClockResetEpoch { get; init; } = new(2019, 1, 1, 0, 0, 0, TimeSpan.Zero);

    /// <summary>Bursts per tracker per hour: the tracker's next <see cref="BurstLength"/> notifications are held and delivered together.</summary>
    public double BurstsPerHour { get; init; }

    /// <summary>Notifications held per burst.</summary>
    public int BurstLength { get; init; } = DefaultBurstLength;

    /// <summary>True when any fault is on.</summary>
    public bool Any => DisconnectsPerHour > 0 || GarbageProbability > 0 || ClockResetsPerHour > 0 || BurstsPerHour > 0;

    /// <summary>Throws <see cref="ArgumentException"/> naming the first bad setting.</summary>
    public void Validate()
    {
        Rate(DisconnectsPerHour, nameof(DisconnectsPerHour));
        Rate(ClockResetsPerHour, nameof(ClockResetsPerHour));
        Rate(BurstsPerHour, nameof(BurstsPerHour));
        if (!(GarbageProbability >= 0 && GarbageProbability <= 1))
        {
            throw new ArgumentException($"{nameof(GarbageProbability)} is {GarbageProbability}; it must be a probability from 0 to 1", nameof(GarbageProbability));
        }

        if (ReconnectDelay <= TimeSpan.Zero || ReconnectDelay > TimeSpan.FromDays(1))
        {
            throw new ArgumentException($"{nameof(ReconnectDelay)} is {ReconnectDelay}; it must be more than 0 and at most a day", nameof(ReconnectDelay));
        }

        if (BurstLength < 2 || BurstLength > 1024)
        {
            throw new ArgumentException($"{nameof(BurstLength)} is {BurstLength}; a burst holds 2 to 1024 notifications", nameof(BurstLength));
        }

        if (ClockResetEpoch < new DateTimeOffset(2000, 1, 2, 0, 0, 0, TimeSpan.Zero) || ClockResetEpoch.Year > 2200)
        {
            throw new ArgumentException($"{nameof(ClockResetEpoch)} is {ClockResetEpoch:O}; it must lie after 2000-01-01 (the Polar epoch) and before 2200", nameof(ClockResetEpoch));
        }
    }

    private static void Rate(double value, string name)
    {
        // At most one a second: more is not a fault model but a broken simulation.
        if (!(value >= 0 && value <= 3600))
        {
            throw new ArgumentException($"{name} is {value}; it must be from 0 to 3600 per hour", name);
        }
    }
}
