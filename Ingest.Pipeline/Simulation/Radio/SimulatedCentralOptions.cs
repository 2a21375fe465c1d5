using System.Text.RegularExpressions;
using Ingest.Pipeline.Simulation.Fleet;

namespace Ingest.Pipeline.Simulation.Radio;

/// <summary>
/// Settings of a <see cref="SimulatedCentral"/>. Immutable; defaults are named constants with their reason; checked in
/// one place, <see cref="Validate"/>.
/// </summary>
public sealed partial record SimulatedCentralOptions
{
    /// <summary>Default per-adapter link limit: common USB and on-board controllers hold 5–7 LE links (issue 10); 7 is the usual top.</summary>
    public const int DefaultConnectionLimit = 7;

    /// <summary>Most links one simulated adapter may be configured to hold (the Core spec allows more; no controller does).</summary>
    public const int MaxConnectionLimit = 64;

    /// <summary>Most simulated adapters: a hub with a few USB dongles, not a rack.</summary>
    public const int MaxAdapters = 8;

    /// <summary>Default seed of the radio's own choices (addresses, names, RSSI); the fleet's values follow its own seed.</summary>
    public const ulong DefaultSeed = 1;

    /// <summary>Default event channel capacity: link changes are rare; this absorbs a reconnect storm and a discovery burst.</summary>
    public const int DefaultEventCapacity = 256;

    /// <summary>Default advertising interval: trackers advertise every 100 ms–1 s; BlueZ reports RSSI about once a second.</summary>
    public static readonly TimeSpan DefaultAdvertisingInterval = TimeSpan.FromSeconds(1);

    /// <summary>One adapter, named as the kernel names the first one.</summary>
    public static IReadOnlyList<string> DefaultAdapters { get; } = ["hci0"];

    /// <summary>
    /// The virtual trackers (profiles, count, seed, faults, pacing interval), or null for a radio with no fleet (only
    /// trackers added with <see cref="SimulatedCentral.AddNeighbourAsync"/>). <see cref="SimulationPacing.Unpaced"/> is
    /// refused: the radio runs on its <see cref="TimeProvider"/>, as a real one runs on the wall clock.
    /// </summary>
    public SimulatedFleetOptions? Fleet { get; init; }

    /// <summary>Adapter names (<c>hci0</c>, <c>hci1</c>…); fleet trackers are spread over them round-robin.</summary>
    public IReadOnlyList<string> Adapters { get; init; } = DefaultAdapters;

    /// <summary>Links one adapter holds at once; the next Connect fails with <c>ConnectFailed</c> ("too many connections").</summary>
    public int ConnectionLimit { get; init; } = DefaultConnectionLimit;

    /// <summary>Seed of addresses, generated names and RSSI.</summary>
    public ulong Seed { get; init; } = DefaultSeed;

    /// <summary>Capacity of <see cref="SimulatedCentral.Events"/> (bounded, waits; RSSI-only changes are skipped when it is full).</summary>
    public int EventCapacity { get; init; } = DefaultEventCapacity;

    /// <summary>How often an in-range tracker's advertisement is heard (RSSI update) while discovery runs.</summary>
    public TimeSpan AdvertisingInterval { get; init; } = DefaultAdvertisingInterval;

    /// <summary>Throws <see cref="ArgumentException"/> naming the first bad setting.</summary>
    public void Validate()
    {
        if (Adapters is null || Adapters.Count is < 1 or > MaxAdapters)
        {
            throw new ArgumentException($"{nameof(Adapters)} has {Adapters?.Count ?? 0} names; give 1 to {MaxAdapters} adapter names such as hci0", nameof(Adapters));
        }

        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var name in Adapters)
        {
            if (name is null || !AdapterName().IsMatch(name) || !seen.Add(name))
            {
                throw new ArgumentException($"{nameof(Adapters)} has '{name}'; each adapter name must be hci followed by 0–999, once", nameof(Adapters));
            }
        }

        if (ConnectionLimit is < 1 or > MaxConnectionLimit)
        {
            throw new ArgumentException($"{nameof(ConnectionLimit)} is {ConnectionLimit}; it must be from 1 to {MaxConnectionLimit}", nameof(ConnectionLimit));
        }

        if (EventCapacity is < 1 or > 1_000_000)
        {
            throw new ArgumentException($"{nameof(EventCapacity)} is {EventCapacity}; it must be from 1 to 1000000", nameof(EventCapacity));
        }

        if (AdvertisingInterval < TimeSpan.FromMilliseconds(20) || AdvertisingInterval > TimeSpan.FromMinutes(1))
        {
            throw new ArgumentException($"{nameof(AdvertisingInterval)} is {AdvertisingInterval}; it must be from 20 ms (the Core spec's shortest) to 1 minute", nameof(AdvertisingInterval));
        }

        if (Fleet is not null)
        {
            Fleet.Validate();
            if (Fleet.Pacing != SimulationPacing.RealTime)
            {
                throw new ArgumentException($"{nameof(Fleet)}.{nameof(SimulatedFleetOptions.Pacing)} is {Fleet.Pacing}; the simulated radio runs on its clock, so use RealTime (drive a test clock to run faster)", nameof(Fleet));
            }
        }
    }

    [GeneratedRegex("^hci[0-9]{1,3}$")]
    private static partial Regex AdapterName();
}
