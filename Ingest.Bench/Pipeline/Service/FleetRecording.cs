using Ingest.Pipeline.Batching;
using Ingest.Pipeline.Intake;
using Ingest.Pipeline.Profiles;
using Ingest.Pipeline.Service;
using Ingest.Pipeline.Simulation.Fleet;

namespace Ingest.Bench.Pipeline.Service;

/// <summary>
/// What a simulated fleet sent, copied once before anything is measured: the notifications' bytes in one arena, their
/// devices and characteristics, the device events between them, and for each notification the stream key the service
/// will route it to (<c>{device}.{stream id}</c>, by the same rule: characteristic, then the Polar PMD measurement type).
/// Replayed by <see cref="FixedRateSource"/>, which stamps its own hub times, so the simulator costs nothing in the
/// measured window and every notification's arrival time is known exactly.
/// </summary>
internal sealed class FleetRecording
{
    private readonly byte[] _arena;
    private readonly Entry[] _entries;

    private FleetRecording(byte[] arena, Entry[] entries, string[] streamKeys, int notifications, double simulatedRate)
    {
        _arena = arena;
        _entries = entries;
        StreamKeys = streamKeys;
        NotificationCount = notifications;
        SimulatedRate = simulatedRate;
    }

    /// <summary>Notifications recorded (events not counted).</summary>
    public int NotificationCount { get; }

    /// <summary>Notifications per second of the fleet's own simulated hub time (its natural rate).</summary>
    public double SimulatedRate { get; }

    /// <summary>Stream keys; <see cref="Entry.Stream"/> indexes them.</summary>
    public IReadOnlyList<string> StreamKeys { get; }

    public ReadOnlySpan<Entry> Entries => _entries;

    public ReadOnlySpan<byte> Payload(in Entry entry) => _arena.AsSpan(entry.Offset, entry.Length);

    /// <summary>Runs the fleet unpaced until <paramref name="notifications"/> are recorded.</summary>
    public static async Task<FleetRecording> RecordAsync(IReadOnlyList<FirmwareProfile> profiles, SimulatedFleetOptions options, int notifications)
    {
        var fleet = new SimulatedFleet(profiles, options with { Pacing = SimulationPacing.Unpaced, Faults = SimulatedFaultOptions.None });
        var router = new Router(profiles);
        var entries = new List<Entry>(notifications + options.TrackerCount * 2);
        var arena = new MemoryStream();
        long firstNs = 0, lastNs = 0;
        var recorded = 0;
        using var stop = new CancellationTokenSource();
        var run = fleet.RunAsync(stop.Token);
        while (recorded < notifications)
        {
            while (fleet.DeviceEvents.TryRead(out var e))
            {
                router.Handle(e);
                entries.Add(new Entry(true, e.Kind, e.Device, default, -1, 0, 0, e.ProfileId));
            }

            if (fleet.Notifications.TryRead(out var n))
            {
                try
                {
                    var payload = n.Payload;
                    entries.Add(new Entry(false, default, n.Device, n.Characteristic, router.StreamOf(n.Device, n.Characteristic, payload),
                        checked((int)arena.Length), payload.Length, null));
                    arena.Write(payload);
                    firstNs = recorded == 0 ? n.HubTimeNs : firstNs;
                    lastNs = n.HubTimeNs;
                    recorded++;
                }
                finally
                {
                    n.Release();
                }

                continue;
            }

            if (!await fleet.Notifications.WaitToReadAsync().ConfigureAwait(false))
            {
                break;
            }
        }

        await stop.CancelAsync().ConfigureAwait(false);
        await run.ConfigureAwait(false);
        var rate = lastNs > firstNs ? recorded / ((lastNs - firstNs) / 1e9) : 0;
        return new FleetRecording(arena.ToArray(), [.. entries], router.Keys, recorded, rate);
    }

    /// <summary>One notification (or device event) as recorded.</summary>
    /// <param name="IsEvent">A device event rather than a notification.</param>
    /// <param name="Kind">The event's kind.</param>
    /// <param name="Device">The device.</param>
    /// <param name="Characteristic">The notification's characteristic.</param>
    /// <param name="Stream">Index of the notification's stream key, or -1 when the service would not route it to a data stream.</param>
    /// <param name="Offset">Where its bytes start in the arena.</param>
    /// <param name="Length">Its length.</param>
    /// <param name="ProfileId">The event's profile.</param>
    internal readonly record struct Entry(bool IsEvent, DeviceEventKind Kind, DeviceHandle Device, Guid Characteristic, int Stream, int Offset, int Length, string? ProfileId);

    /// <summary>The service's routing rule (its decode loop's), with the service's own stream objects asked which notification they accept.</summary>
    private sealed class Router(IReadOnlyList<FirmwareProfile> profiles)
    {
        private readonly Dictionary<string, (ServiceStream Stream, string Id)[]> _byProfile = new(StringComparer.Ordinal);
        private readonly Dictionary<DeviceHandle, (string Pseudonym, (ServiceStream Stream, string Id)[] Streams)> _devices = [];
        private readonly Dictionary<string, int> _keys = new(StringComparer.Ordinal);

        public string[] Keys
        {
            get
            {
                var keys = new string[_keys.Count];
                foreach (var (key, index) in _keys)
                {
                    keys[index] = key;
                }

                return keys;
            }
        }

        public void Handle(DeviceEvent e)
        {
            if (e.Kind != DeviceEventKind.Connected || _devices.ContainsKey(e.Device) || e.ProfileId is null)
            {
                return;
            }

            if (!_byProfile.TryGetValue(e.ProfileId, out var streams))
            {
                var profile = profiles.First(p => p.Id == e.ProfileId);
                var origin = new StreamOrigin("study", "site", "p", "d", "s", null);
#pragma warning disable CA2000 // Only asked which notifications they accept; they hold no unmanaged state worth disposing here.
                streams = [.. profile.Streams.Select(d => (ServiceStream.ForData(d, profile, origin with { StreamId = d.Id }, null, BatchEncodingOptions.Default, 1), d.Id))];
#pragma warning restore CA2000
                _byProfile[e.ProfileId] = streams;
            }

            _devices[e.Device] = (SimulatedAdmission.Pseudonym(e.Device), streams);
        }

        public int StreamOf(DeviceHandle device, Guid characteristic, ReadOnlySpan<byte> payload)
        {
            if (!_devices.TryGetValue(device, out var known))
            {
                return -1;
            }

            string? id = null;
            string? first = null;
            foreach (var (stream, streamId) in known.Streams)
            {
                if (stream.Accepts(characteristic, payload))
                {
                    id = streamId;
                    break;
                }

                if (first is null && stream.Characteristic == characteristic)
                {
                    first = streamId;
                }
            }

            id ??= first;

            if (id is null)
            {
                return -1;
            }

            var key = known.Pseudonym + "." + id;
            if (!_keys.TryGetValue(key, out var index))
            {
                index = _keys.Count;
                _keys[key] = index;
            }

            return index;
        }
    }
}
