using Ingest.Pipeline.Decoding;
using Ingest.Pipeline.Intake;
using Ingest.Pipeline.Simulation.Fleet;

namespace Ingest.Tests.Pipeline.Simulation.Fleet;

/// <summary>Each fault kind produces what it says, and nothing else changes.</summary>
public class SimulatedFaultTests
{
    private static SimulatedFleetOptions EveryProfile => new() { TrackerCount = FleetHarness.Profiles.Count };

    [Fact]
    public async Task Garbage_RejectedWithReason_RealFramesUnchanged()
    {
        var clean = EveryProfile;
        var faulty = clean with { Faults = new SimulatedFaultOptions { GarbageProbability = 0.05 } };
        var trackers = FleetHarness.Trackers(clean);
        var cleanDecoded = FleetHarness.Decode(trackers, await FleetHarness.CollectAsync(clean, 60));
        var faultyDecoded = FleetHarness.Decode(trackers, await FleetHarness.CollectAsync(faulty, 60));

        var rejected = faultyDecoded.Rejected.ToList();
        Assert.True(rejected.Count > 20, $"only {rejected.Count} garbage frames in a minute");
        Assert.All(rejected, r => Assert.Contains(r.Reason,
            new[] { RejectReason.Truncated, RejectReason.TrailingBytes, RejectReason.ImpossibleFlags, RejectReason.BadFrameType, RejectReason.InvalidValue }));
        Assert.All(rejected, r => Assert.False(string.IsNullOrEmpty(r.Detail)));
        Assert.Contains(rejected, r => r.Reason == RejectReason.BadFrameType);
        Assert.Contains(rejected, r => r.Reason == RejectReason.Truncated);

        // Garbage comes in addition to the real frames: every stream decodes the same samples as without faults.
        foreach (var (key, decoder) in cleanDecoded.Streams)
        {
            Assert.Equal(decoder.Counters.Samples, faultyDecoded.Streams[key].Counters.Samples);
        }
    }

    [Fact]
    public async Task Disconnect_EventsWithReason_SilenceUntilReconnect()
    {
        var delay = TimeSpan.FromSeconds(3);
        var options = EveryProfile with { Faults = new SimulatedFaultOptions { DisconnectsPerHour = 120, ReconnectDelay = delay } };
        var received = await FleetHarness.CollectAsync(options, 300);
        var disconnects = received.Where(r => r.IsEvent && r.Event.Kind == DeviceEventKind.Disconnected).ToList();
        Assert.True(disconnects.Count >= 10, $"{disconnects.Count} disconnects in 5 minutes of 11 trackers at 120/h");
        Assert.All(disconnects, d => Assert.NotEqual(DisconnectReason.None, d.Event.Reason));

        foreach (var d in disconnects)
        {
            var device = d.Device;
            var reconnect = received.FirstOrDefault(r => r.IsEvent && r.Device == device && r.Event.Kind == DeviceEventKind.Connected && r.HubTimeNs > d.HubTimeNs);
            var end = reconnect?.HubTimeNs ?? long.MaxValue;
            if (reconnect is not null)
            {
                Assert.Equal(d.HubTimeNs + (delay.Ticks * 100), reconnect.HubTimeNs);
                Assert.Equal(d.Event.Device, reconnect.Event.Device);
            }

            Assert.DoesNotContain(received, r => !r.IsEvent && r.Device == device && r.HubTimeNs > d.HubTimeNs && r.HubTimeNs < end);
        }

        // The frames that are sent still decode (a reconnect does not break a stream).
        Assert.Empty(FleetHarness.Decode(FleetHarness.Trackers(options), received).Rejected);
    }

    [Fact]
    public async Task ClockReset_DeviceTimeJumpsBackToEpoch_DecoderRejectsOneFrame()
    {
        var faults = new SimulatedFaultOptions { ClockResetsPerHour = 60 };
        var options = new SimulatedFleetOptions { TrackerCount = 1, ProfileIds = ["polar-h10"], Faults = faults };
        var trackers = FleetHarness.Trackers(options);
        var decoded = FleetHarness.Decode(trackers, await FleetHarness.CollectAsync(options, 600));
        var ecg = decoded.Streams[(trackers[0].Device, "ecg")];

        Assert.True(ecg.Counters.Rejected(RejectReason.NonIncreasingTime) >= 1, "no clock reset seen by the ECG decoder");
        var epochNs = (faults.ClockResetEpoch.UtcTicks - DateTime.UnixEpoch.Ticks) * 100;
        var deviceTimes = ecg.Columns.DeviceTime!.Values.ToArray();
        Assert.Contains(deviceTimes, t => t >= epochNs && t < epochNs + (3600L * FleetHarness.NsPerSecond));
        Assert.True(deviceTimes[0] > epochNs + (365L * 24 * 3600 * FleetHarness.NsPerSecond), "device time should start near the hub's");
    }

    [Fact]
    public async Task Burst_FramesDeliveredTogether_AllDecode()
    {
        var faults = new SimulatedFaultOptions { BurstsPerHour = 120, BurstLength = 6 };
        var options = new SimulatedFleetOptions { TrackerCount = 2, ProfileIds = ["polar-h10", "polar-verity-sense"], Faults = faults };
        var clean = options with { Faults = SimulatedFaultOptions.None };
        var received = await FleetHarness.CollectAsync(options, 300);
        var notifications = received.Where(r => !r.IsEvent).ToList();

        // Some device has ≥ 6 notifications with one receive time.
        var largest = notifications.GroupBy(r => (r.Device, r.HubTimeNs)).Max(g => g.Count());
        Assert.True(largest >= faults.BurstLength, $"largest same-time group {largest}");

        var trackers = FleetHarness.Trackers(options);
        var decoded = FleetHarness.Decode(trackers, received);
        Assert.Empty(decoded.Rejected);
        var cleanDecoded = FleetHarness.Decode(trackers, await FleetHarness.CollectAsync(clean, 300));
        var held = decoded.Streams.Sum(s => s.Value.Counters.Samples);
        var all = cleanDecoded.Streams.Sum(s => s.Value.Counters.Samples);

        // A burst still in hold at the horizon is not yet delivered: at most one burst's worth fewer.
        Assert.InRange(held, all - (2 * 6 * 73), all);
    }
}
