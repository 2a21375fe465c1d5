using Ingest.Pipeline.Decoding;
using Ingest.Pipeline.Intake;
using Ingest.Pipeline.Simulation.Fleet;

namespace Ingest.Tests.Pipeline.Simulation.Fleet;

/// <summary>The fleet without faults: deterministic, decodable by the profiles' own decoders, at the profiles' rates, on drifting device clocks.</summary>
public class SimulatedFleetTests
{
    private static readonly long s_startNs = FixedTimeProvider.DefaultStartNs;

    // One tracker per shipped profile (every profile the fleet is given, round-robin).
    private static SimulatedFleetOptions EveryProfile => new() { TrackerCount = FleetHarness.Profiles.Count };

    [Fact]
    public async Task RunAsync_SameSeed_SameBytesAndTimes()
    {
        var options = EveryProfile with { Seed = 42 };
        var first = await FleetHarness.CollectAsync(options, 20);
        var second = await FleetHarness.CollectAsync(options, 20);

        Assert.True(first.Count > 500, $"only {first.Count} notifications in 20 s");
        Assert.Equal(first.Count, second.Count);
        for (var i = 0; i < first.Count; i++)
        {
            Assert.Equal(first[i].IsEvent, second[i].IsEvent);
            Assert.Equal(first[i].Device, second[i].Device);
            Assert.Equal(first[i].Characteristic, second[i].Characteristic);
            Assert.Equal(first[i].HubTimeNs, second[i].HubTimeNs);
            Assert.Equal(first[i].Payload, second[i].Payload);
            Assert.Equal(first[i].Event, second[i].Event);
        }
    }

    [Fact]
    public async Task RunAsync_OtherSeed_OtherBytes()
    {
        var a = await FleetHarness.CollectAsync(EveryProfile with { Seed = 1 }, 5);
        var b = await FleetHarness.CollectAsync(EveryProfile with { Seed = 2 }, 5);
        var pa = a.Where(r => !r.IsEvent).Select(r => Convert.ToHexString(r.Payload)).ToList();
        var pb = b.Where(r => !r.IsEvent).Select(r => Convert.ToHexString(r.Payload)).ToList();
        Assert.NotEqual(pa, pb);
    }

    [Fact]
    public async Task RunAsync_EveryShippedProfile_EveryStreamDecodesWithoutRejection()
    {
        var options = EveryProfile;
        var trackers = FleetHarness.Trackers(options);
        var received = await FleetHarness.CollectAsync(options, 150);
        var decoded = FleetHarness.Decode(trackers, received);

        Assert.Empty(decoded.Rejected.Select(r => $"{r.Reason}: {r.Detail}"));

        // Every stream of every shipped profile was sent and decoded into rows.
        foreach (var profile in FleetHarness.Profiles)
        {
            var tracker = trackers.Single(t => t.ProfileId == profile.Id);
            foreach (var stream in profile.Streams)
            {
                Assert.True(decoded.Streams.TryGetValue((tracker.Device, stream.Id), out var decoder), $"{profile.Id}/{stream.Id} sent nothing");
                Assert.True(decoder.Counters.Samples > 0, $"{profile.Id}/{stream.Id} decoded no rows");
            }
        }
    }

    [Fact]
    public async Task RunAsync_OneSimulatedMinute_SampleRatesMatchNominal()
    {
        // Clocks without drift here: the nominal rate is the device's; drift is tested on its own.
        var options = EveryProfile with { ClockDriftSpreadPpm = 0 };
        var trackers = FleetHarness.Trackers(options);
        var received = await FleetHarness.CollectAsync(options, 63);
        var decoded = FleetHarness.Decode(trackers, received);
        var checkedStreams = 0;
        foreach (var tracker in trackers)
        {
            var profile = FleetHarness.Profiles.Single(p => p.Id == tracker.ProfileId);
            foreach (var stream in profile.Streams)
            {
                if (stream.NominalRateHz is not { } rate)
                {
                    continue;
                }

                var decoder = decoded.Streams[(tracker.Device, stream.Id)];
                // Streams start within their first second (a random phase): count the rows of the minute after it.
                var from = s_startNs + (2 * FleetHarness.NsPerSecond);
                var to = from + (60 * FleetHarness.NsPerSecond);
                var hubTimes = decoder.Columns.HubTime.Values.ToArray();
                var samples = hubTimes.Count(t => t >= from && t < to);
                var frames = decoder.Counters.FramesAccepted;
                var expected = rate * 60;

                // Whole notifications: up to one frame more or less than the exact count.
                var perFrame = (double)decoder.Counters.Samples / frames;
                Assert.True(Math.Abs(samples - expected) <= Math.Max(perFrame + 1, expected * 0.01),
                    $"{profile.Id}/{stream.Id}: {samples} samples in a minute, nominal {expected}");
                checkedStreams++;
            }
        }

        Assert.True(checkedStreams >= 12, $"only {checkedStreams} rate streams checked");
    }

    [Fact]
    public async Task RunAsync_PolarH10_RealFrameSizesAndCadence()
    {
        var options = new SimulatedFleetOptions { TrackerCount = 1, ProfileIds = ["polar-h10"], LinkLatency = TimeSpan.Zero, ClockDriftSpreadPpm = 0 };
        var received = (await FleetHarness.CollectAsync(options, 30)).Where(r => !r.IsEvent).ToList();
        var pmd = received.Where(r => r.Payload.Length > 10 && r.Payload[0] == 0).ToList(); // ECG
        var acc = received.Where(r => r.Payload.Length > 10 && r.Payload[0] == 2).ToList();
        var hr = received.Where(r => r.Characteristic == Guid.Parse("00002a37-0000-1000-8000-00805f9b34fb")).ToList();

        Assert.All(pmd, r => Assert.Equal(10 + (73 * 3), r.Payload.Length));
        Assert.All(acc, r => Assert.Equal(10 + (36 * 6), r.Payload.Length));

        // 73 samples at 130 Hz: a frame every 561.5 ms; 36 at 200 Hz: every 180 ms; HR once a second.
        var ecgGap = (pmd[^1].HubTimeNs - pmd[0].HubTimeNs) / (double)(pmd.Count - 1);
        Assert.InRange(ecgGap, 561.4e6, 561.6e6);
        var accGap = (acc[^1].HubTimeNs - acc[0].HubTimeNs) / (double)(acc.Count - 1);
        Assert.InRange(accGap, 179.9e6, 180.1e6);
        Assert.InRange(hr.Count, 29, 31);
        Assert.All(hr, r => Assert.True((r.Payload[0] & 0x10) != 0 || r.Payload.Length == 2, "HR without RR flag"));
    }

    [Fact]
    public async Task RunAsync_ClockOffsetAndDrift_VisibleInDecodedDeviceTime()
    {
        const double driftPpm = 200;
        var offset = TimeSpan.FromSeconds(5);
        var options = new SimulatedFleetOptions
        {
            TrackerCount = 1, ProfileIds = ["polar-h10"], LinkLatency = TimeSpan.Zero,
            ClockOffset = offset, ClockOffsetSpread = TimeSpan.Zero, ClockDriftPpm = driftPpm, ClockDriftSpreadPpm = 0,
        };
        var trackers = FleetHarness.Trackers(options);
        Assert.Equal(offset, trackers[0].ClockOffset);
        Assert.Equal(driftPpm, trackers[0].ClockDriftPpm);

        var decoded = FleetHarness.Decode(trackers, await FleetHarness.CollectAsync(options, 120));
        var ecg = decoded.Streams[(trackers[0].Device, "ecg")].Columns;
        var hub = ecg.HubTime.Values;
        var device = ecg.DeviceTime!.Values;

        // The last sample of each frame is received when the device takes it: device − hub = offset + drift × elapsed.
        var early = 72; // last sample of the first frame
        var late = ecg.RowCount - 1;
        var offsetEarly = device[early] - hub[early];
        var offsetLate = device[late] - hub[late];
        Assert.InRange(offsetEarly, (long)(offset.TotalMilliseconds * 1e6) - 1_000_000, (long)(offset.TotalMilliseconds * 1e6) + 1_000_000);
        var elapsed = hub[late] - hub[early];
        var expectedGrowth = elapsed * driftPpm * 1e-6; // about 24 ms over two minutes
        Assert.InRange(offsetLate - offsetEarly, expectedGrowth * 0.95, expectedGrowth * 1.05);

        // A fast crystal samples fast: more than 130 samples per hub second.
        var rate = (late - early) / (elapsed / 1e9);
        Assert.InRange(rate, 130 * (1 + (driftPpm * 0.5e-6)), 130 * (1 + (driftPpm * 1.5e-6)));
    }

    [Fact]
    public async Task RunAsync_Events_ConnectedFirstWithProfile()
    {
        var options = EveryProfile;
        var received = await FleetHarness.CollectAsync(options, 2);
        var events = received.Where(r => r.IsEvent).Select(r => r.Event).ToList();
        Assert.Equal(options.TrackerCount, events.Count);
        Assert.All(events, e => Assert.Equal(DeviceEventKind.Connected, e.Kind));
        Assert.Equal(FleetHarness.Profiles.Select(p => p.Id), events.Select(e => e.ProfileId));
        Assert.All(events, e => Assert.Equal(s_startNs, e.HubTimeNs));
    }

    [Fact]
    public async Task RunAsync_Weighted_ProfileIdsRoundRobin()
    {
        var options = new SimulatedFleetOptions { TrackerCount = 5, ProfileIds = ["polar-h10", "polar-h10", "generic-heart-rate-strap"] };
        var trackers = FleetHarness.Trackers(options);
        Assert.Equal(["polar-h10", "polar-h10", "generic-heart-rate-strap", "polar-h10", "polar-h10"], trackers.Select(t => t.ProfileId));
        Assert.Equal(Enumerable.Range(1, 5), trackers.Select(t => t.Device.Value));
        var decoded = FleetHarness.Decode(trackers, await FleetHarness.CollectAsync(options, 10));
        Assert.Empty(decoded.Rejected);
    }

    [Fact]
    public async Task RunAsync_Cancelled_CompletesChannelsAndReturns()
    {
        var fleet = new SimulatedFleet(FleetHarness.Profiles, EveryProfile with { Pacing = SimulationPacing.Unpaced, NotificationCapacity = 8 });
        using var stop = new CancellationTokenSource();
        var run = fleet.RunAsync(stop.Token);
        var n = await fleet.Notifications.ReadAsync();
        n.Release();
        stop.Cancel();
        await run; // a stop is not a failure
        await foreach (var rest in fleet.Notifications.ReadAllAsync())
        {
            rest.Release();
        }

        // Completion also waits for the last item to be read.
        var events = await fleet.DeviceEvents.ReadAllAsync().CountAsync();
        Assert.Equal(FleetHarness.Profiles.Count, events);
        await fleet.DeviceEvents.Completion;
        await fleet.Notifications.Completion;
        Assert.Equal(0, fleet.Pool.Outstanding);
        await Assert.ThrowsAsync<InvalidOperationException>(() => fleet.RunAsync());
    }

    [Fact]
    public async Task RunAsync_RealTimePacing_DeliversAtTrackerRates()
    {
        var fleet = new SimulatedFleet(FleetHarness.Profiles, new SimulatedFleetOptions { TrackerCount = 1, ProfileIds = ["polar-h10"] });
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(2.5));
        var run = fleet.RunAsync(stop.Token);
        var count = 0;
        var early = 0;
        await foreach (var n in fleet.Notifications.ReadAllAsync())
        {
            // Never delivered before its receive time.
            if (n.HubTimeNs > (DateTimeOffset.UtcNow.UtcTicks - DateTime.UnixEpoch.Ticks) * 100)
            {
                early++;
            }

            count++;
            n.Release();
        }

        await run;
        Assert.Equal(0, early);

        // H10 in 2.5 s: about 4 ECG + 13 ACC + 2 HR notifications (each stream starts within its first second); a loaded
        // test host may start the fleet late, so only the bounds that must hold are checked.
        Assert.InRange(count, 3, 30);
    }
}
