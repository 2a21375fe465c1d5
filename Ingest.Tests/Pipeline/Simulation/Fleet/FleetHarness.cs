using Ingest.Pipeline.Decoding;
using Ingest.Pipeline.Decoding.Polar;
using Ingest.Pipeline.Intake;
using Ingest.Pipeline.Profiles;
using Ingest.Pipeline.Simulation.Fleet;
using Ingest.Tests.Support;

namespace Ingest.Tests.Pipeline.Simulation.Fleet;

/// <summary>What a test saw from a fleet: every notification (copied) and event, in the order they were read.</summary>
internal sealed record Received(bool IsEvent, DeviceHandle Device, Guid Characteristic, long HubTimeNs, byte[] Payload, DeviceEvent Event);

/// <summary>Runs a fleet the way the pipeline will (RunAsync, read the channels, release) and decodes what it sent.</summary>
internal static class FleetHarness
{
    public const long NsPerSecond = 1_000_000_000;

    private static readonly Lazy<IReadOnlyList<FirmwareProfile>> s_profiles =
        new(() => ProfileLoader.LoadAll(Path.Combine(Peers.RepositoryRoot, "firmware-profiles")));

    public static IReadOnlyList<FirmwareProfile> Profiles => s_profiles.Value;

    /// <summary>Unpaced, from the fixed start, everything received up to <paramref name="seconds"/> of hub time.</summary>
    public static async Task<List<Received>> CollectAsync(SimulatedFleetOptions options, double seconds)
    {
        var fleet = new SimulatedFleet(Profiles, options with { Pacing = SimulationPacing.Unpaced }, new FixedTimeProvider());
        var endNs = FixedTimeProvider.DefaultStartNs + (long)(seconds * NsPerSecond);
        var received = new List<Received>();
        using var stop = new CancellationTokenSource();
        var run = fleet.RunAsync(stop.Token);

        // Events and notifications come on two channels; read events whenever they are there, then one notification.
        while (true)
        {
            while (fleet.DeviceEvents.TryRead(out var e))
            {
                received.Add(new Received(true, e.Device, default, e.HubTimeNs, [], e));
            }

            if (fleet.Notifications.TryRead(out var n))
            {
                var done = n.HubTimeNs > endNs;
                if (!done)
                {
                    received.Add(new Received(false, n.Device, n.Characteristic, n.HubTimeNs, n.Payload.ToArray(), default));
                }

                n.Release();
                if (done)
                {
                    break;
                }

                continue;
            }

            if (fleet.Notifications.Completion.IsCompleted)
            {
                await run; // the fleet stopped on its own: surface its exception
                throw new InvalidOperationException("the fleet stopped before the horizon");
            }

            await Task.WhenAny(fleet.Notifications.WaitToReadAsync().AsTask(), fleet.DeviceEvents.WaitToReadAsync().AsTask(), run);
        }

        stop.Cancel();
        await run;
        await foreach (var n in fleet.Notifications.ReadAllAsync())
        {
            n.Release();
        }

        Assert.Equal(0, fleet.Pool.Outstanding);
        return received;
    }

    /// <summary>The tracker descriptions a fleet with <paramref name="options"/> has.</summary>
    public static IReadOnlyList<SimulatedTracker> Trackers(SimulatedFleetOptions options) => new SimulatedFleet(Profiles, options).Trackers;

    /// <summary>Decodes every notification with its stream's real decoder (a fresh decoder per device and stream).</summary>
    public static Decoded Decode(IReadOnlyList<SimulatedTracker> trackers, IEnumerable<Received> received)
    {
        var decoded = new Decoded();
        foreach (var r in received)
        {
            if (r.IsEvent)
            {
                continue;
            }

            var tracker = trackers[r.Device.Value - 1];
            var profile = Profiles.Single(p => p.Id == tracker.ProfileId);
            var stream = Route(profile, r.Characteristic, r.Payload);
            var key = (r.Device, stream.Id);
            if (!decoded.Streams.TryGetValue(key, out var decoder))
            {
                decoder = new StreamDecoder(stream.CreateDecoder(), initialRows: 1024);
                decoded.Streams[key] = decoder;
            }

            var result = decoder.Decode(r.Payload, r.HubTimeNs);
            decoded.Results.Add((key, result));
        }

        return decoded;
    }

    /// <summary>
    /// The stream a notification belongs to: by characteristic, and for Polar PMD data (one characteristic, several
    /// measurements) by the frame's measurement type, falling back to the first PMD stream (which then rejects it).
    /// </summary>
    public static StreamDefinition Route(FirmwareProfile profile, Guid characteristic, ReadOnlySpan<byte> payload)
    {
        StreamDefinition? first = null;
        foreach (var stream in profile.Streams)
        {
            if (Guid.Parse(stream.Characteristic) != characteristic)
            {
                continue;
            }

            first ??= stream;
            if (stream.Decoder.Name != PolarPmdDecoder.Name)
            {
                return stream;
            }

            if (payload.Length > 0 && (int)PolarPmdSettings.Parse(stream.Settings).Measurement == (payload[0] & PmdFrameHeader.MeasurementTypeMask))
            {
                return stream;
            }
        }

        return first ?? throw new InvalidOperationException($"no stream of {profile.Id} has characteristic {characteristic}");
    }
}

/// <summary>Decoders per (device, stream) and every frame's result.</summary>
internal sealed class Decoded
{
    public Dictionary<(DeviceHandle Device, string Stream), StreamDecoder> Streams { get; } = [];

    public List<((DeviceHandle Device, string Stream) Key, FrameResult Result)> Results { get; } = [];

    public IEnumerable<FrameResult> Rejected => Results.Select(r => r.Result).Where(r => !r.IsAccepted);
}
