using System.Text;
using System.Text.RegularExpressions;
using Ingest.Pipeline.Intake;
using Ingest.Pipeline.Intake.Radio;
using Ingest.Pipeline.Profiles;
using Ingest.Pipeline.Simulation.Fleet;
using Ingest.Pipeline.Simulation.Radio;
using Ingest.Tests.Pipeline.Simulation.Fleet;
using static Ingest.Tests.Radio.Simulated.RadioHarness;

namespace Ingest.Tests.Radio.Simulated;

/// <summary>What the simulated radio does beyond the contract: trackers that behave like real ones, on a test clock.</summary>
public sealed class SimulatedCentralTests
{
    private static readonly Guid PmdControlPoint = Guid.Parse("fb005c81-02e7-f387-1cad-8acd2d8df0c8");
    private static readonly Guid PmdData = Guid.Parse("fb005c82-02e7-f387-1cad-8acd2d8df0c8");
    private static readonly Guid HeartRate = Guid.Parse("00002a37-0000-1000-8000-00805f9b34fb");
    private static readonly byte[] StartEcg = [0x02, 0x00, 0x00, 0x01, 0x82, 0x00, 0x01, 0x01, 0x0E, 0x00];

    [Fact]
    public async Task PmdStream_SilentUntilStartWrite_AndSilentAgainAfterReconnectUntilRewritten()
    {
        var clock = new ManualTimeProvider();
        await using var central = Create(clock, new SimulatedFleetOptions { TrackerCount = 1, ProfileIds = ["polar-h10"] });
        await central.StartAsync(default);
        var id = central.FleetPeripheralIds[0];
        await central.ConnectAsync(id, default);
        var (target, channel) = NewTarget(clock);
        await central.SubscribeAsync(await FindAsync(central, id, PmdData), target, default);
        await central.SubscribeAsync(await FindAsync(central, id, PmdControlPoint), target, default);
        await central.SubscribeAsync(await FindAsync(central, id, HeartRate), target, default);

        await RunAsync(central, clock, TimeSpan.FromSeconds(10));
        var before = Take(channel);
        Assert.InRange(before.Count(n => n.Characteristic == HeartRate), 9, 11);
        Assert.DoesNotContain(before, n => n.Characteristic == PmdData);

        await central.WriteAsync(await FindAsync(central, id, PmdControlPoint), StartEcg, true, default);
        await RunAsync(central, clock, TimeSpan.FromSeconds(10));
        var started = Take(channel);
        Assert.Equal([0xF0, 0x02, 0x00, 0x00, 0x00], started.First(n => n.Characteristic == PmdControlPoint).Payload);
        var ecg = started.Where(n => n.Characteristic == PmdData).ToList();

        // 130 Hz in frames of 73 samples: about 18 frames in 10 s, all ECG (type 0); ACC (type 2) was never started.
        Assert.InRange(ecg.Count, 16, 19);
        Assert.All(ecg, n => Assert.Equal(0, n.Payload[0]));

        await central.DisconnectAsync(id, default);
        await central.ConnectAsync(id, default);
        var (again, againChannel) = NewTarget(clock);
        await central.SubscribeAsync(await FindAsync(central, id, PmdData), again, default);
        await RunAsync(central, clock, TimeSpan.FromSeconds(10));
        Assert.Empty(Take(againChannel));
        Assert.Empty(Take(channel)); // the old link's subscriptions ended with it

        await central.WriteAsync(await FindAsync(central, id, PmdControlPoint), StartEcg, true, default);
        await RunAsync(central, clock, TimeSpan.FromSeconds(5));
        Assert.InRange(Take(againChannel).Count, 7, 10);
        Assert.Equal(2, central.Writes(id).Count(w => w.Characteristic == PmdControlPoint && w.Value.SequenceEqual(StartEcg)));
    }

    [Fact]
    public async Task PmdStart_SameTypeTwice_AnswersAlreadyInState_UnsupportedType_NotSupported()
    {
        var clock = new ManualTimeProvider();
        await using var central = Create(clock, new SimulatedFleetOptions { TrackerCount = 1, ProfileIds = ["polar-h10"] });
        await central.StartAsync(default);
        var id = central.FleetPeripheralIds[0];
        await central.ConnectAsync(id, default);
        var controlPoint = await FindAsync(central, id, PmdControlPoint);
        var (target, channel) = NewTarget(clock);
        await central.SubscribeAsync(controlPoint, target, default);

        await central.WriteAsync(controlPoint, StartEcg, true, default);
        await central.WriteAsync(controlPoint, StartEcg, true, default);
        await central.WriteAsync(controlPoint, new byte[] { 0x02, 0x01 }, true, default);

        var answers = Take(channel).Select(n => n.Payload).ToList();
        Assert.Equal([0xF0, 0x02, 0x00, 0x00, 0x00], answers[0]);
        Assert.Equal([0xF0, 0x02, 0x00, 0x06, 0x00], answers[1]); // ALREADY_IN_STATE
        Assert.Equal([0xF0, 0x02, 0x01, 0x03, 0x00], answers[2]); // the H10 has no PPG: NOT_SUPPORTED

        // The feature read lists what the profile streams: ECG (bit 0) and ACC (bit 2).
        Assert.Equal([0x0F, 0x05, 0x00], await central.ReadAsync(controlPoint, default));
    }

    [Fact]
    public async Task DisconnectFault_LinkLoss_NoAdvertisingDuringOutage_ThenAdvertisesButDoesNotReconnect()
    {
        var clock = new ManualTimeProvider();
        var fleet = new SimulatedFleetOptions
        {
            TrackerCount = 1,
            ProfileIds = ["generic-heart-rate-strap"],
            Faults = new SimulatedFaultOptions { DisconnectsPerHour = 1200, ReconnectDelay = TimeSpan.FromSeconds(5) },
        };
        await using var central = Create(clock, fleet);
        await central.StartAsync(default);
        var id = central.FleetPeripheralIds[0];
        await central.StartDiscoveryAsync(central.Adapters[0].Id, BleDiscoveryFilter.All, default);
        await central.ConnectAsync(id, default);
        var events = new List<BleEvent>();
        Drain(central, events);

        // Run until the fault drops the link (a mean of 3 s at 1200 an hour; deterministic for the seed).
        for (var i = 0; i < 400 && !events.Any(e => e.Kind == BleEventKind.Disconnected); i++)
        {
            await RunAsync(central, clock, Step, events);
        }

        var dropped = Assert.Single(events, e => e.Kind == BleEventKind.Disconnected);
        Assert.Equal(DisconnectReason.LinkLoss, dropped.Reason);
        Assert.Equal(id, dropped.Peripheral!.Id);
        Assert.Null(dropped.Peripheral.Rssi);

        // The outage: the tracker is silent (no advertisement heard) and cannot be connected.
        var outage = new List<BleEvent>();
        await RunAsync(central, clock, TimeSpan.FromSeconds(2), outage);
        var refused = await Assert.ThrowsAsync<BleOperationException>(() => central.ConnectAsync(id, default));
        Assert.Equal(BleErrorKind.ConnectFailed, refused.Kind);
        await RunAsync(central, clock, TimeSpan.FromSeconds(2), outage);
        Assert.DoesNotContain(outage, e => e.Peripheral?.Id == id && e.Peripheral.Rssi is not null);
        Assert.Null(central.Peripherals.Single(p => p.Id == id).Rssi);

        // Back in range: advertising again, heard by discovery; the link stays down until the supervisor connects.
        var back = new List<BleEvent>();
        await RunAsync(central, clock, TimeSpan.FromSeconds(3), back);
        Assert.Contains(back, e => e.Kind == BleEventKind.PeripheralChanged && e.Peripheral?.Id == id && e.Peripheral.Rssi is not null);
        Assert.DoesNotContain(outage.Concat(back), e => e.Kind == BleEventKind.Connected);
        Assert.False(central.Peripherals.Single(p => p.Id == id).Connected);
        await central.ConnectAsync(id, default);
        Assert.True(central.Peripherals.Single(p => p.Id == id).Connected);
    }

    [Fact]
    public async Task ConnectAsync_BeyondTheAdapterLimit_ConnectFailedTooManyConnections()
    {
        var clock = new ManualTimeProvider();
        await using var central = Create(clock, new SimulatedFleetOptions { TrackerCount = 8, ProfileIds = ["generic-heart-rate-strap"] }, connectionLimit: 7);
        await central.StartAsync(default);
        var ids = central.FleetPeripheralIds;
        for (var i = 0; i < 7; i++)
        {
            await central.ConnectAsync(ids[i], default);
        }

        var error = await Assert.ThrowsAsync<BleOperationException>(() => central.ConnectAsync(ids[7], default));

        Assert.Equal(BleErrorKind.ConnectFailed, error.Kind);
        Assert.Contains("too many connections", error.Message, StringComparison.Ordinal);
        await central.DisconnectAsync(ids[0], default);
        await central.ConnectAsync(ids[7], default);
        Assert.Equal(7, central.Peripherals.Count(p => p.Connected));
    }

    [Fact]
    public async Task TwoAdapters_TrackersSpreadRoundRobin_EachAdapterHasItsOwnLimit()
    {
        var clock = new ManualTimeProvider();
        await using var central = Create(clock, new SimulatedFleetOptions { TrackerCount = 8, ProfileIds = ["generic-heart-rate-strap"] }, connectionLimit: 4, adapters: ["hci0", "hci1"]);
        await central.StartAsync(default);

        foreach (var id in central.FleetPeripheralIds)
        {
            await central.ConnectAsync(id, default);
        }

        Assert.Equal(2, central.Adapters.Count);
        Assert.All(central.Adapters, a => Assert.Equal(4, central.Peripherals.Count(p => p.AdapterId == a.Id && p.Connected)));
    }

    [Fact]
    public async Task SameSeed_SameRoomAndSameValues_OtherSeed_OtherAddresses()
    {
        var fleet = new SimulatedFleetOptions { TrackerCount = 2, ProfileIds = ["polar-h10", "polar-verity-sense"], Seed = 7 };
        var (peripheralsA, valuesA) = await RecordAsync(fleet, seed: 7);
        var (peripheralsB, valuesB) = await RecordAsync(fleet, seed: 7);
        var (peripheralsC, _) = await RecordAsync(fleet, seed: 8);

        Assert.Equal(peripheralsA, peripheralsB);
        // H10: HR 20 + ECG ~36 + ACC ~111; Verity Sense: PPG ~39 + PPI ~20 + ACC ~29 in 20 s.
        Assert.True(valuesA.Count > 200, $"only {valuesA.Count} values in 20 s");
        Assert.Equal(valuesA.Count, valuesB.Count);
        for (var i = 0; i < valuesA.Count; i++)
        {
            Assert.Equal(valuesA[i].Characteristic, valuesB[i].Characteristic);
            Assert.Equal(valuesA[i].Payload, valuesB[i].Payload);
        }

        Assert.NotEqual(peripheralsA, peripheralsC);
        Assert.Contains(peripheralsA, p => Regex.IsMatch(p, "^Polar H10 [0-9A-F]{8} "));

        static async Task<(List<string> Peripherals, List<(Guid Characteristic, byte[] Payload)> Values)> RecordAsync(SimulatedFleetOptions fleet, ulong seed)
        {
            var clock = new ManualTimeProvider();
            await using var central = Create(clock, fleet, seed: seed);
            await central.StartAsync(default);
            var peripherals = central.Peripherals
                .Select(p => $"{p.Name} {p.Address} {p.AddressType} {string.Join(",", p.ManufacturerData.Select(m => $"{m.Key}:{Convert.ToHexString(m.Value)}"))}")
                .ToList();
            var (target, channel) = NewTarget(clock);
            for (var i = 0; i < central.FleetPeripheralIds.Count; i++)
            {
                await central.ConnectAsync(central.FleetPeripheralIds[i], default);
                await SetUpAsync(central, central.FleetPeripheralIds[i], Profile(central.Trackers[i].ProfileId), target);
            }

            await RunAsync(central, clock, TimeSpan.FromSeconds(20));
            return (peripherals, Take(channel));
        }
    }

    [Fact]
    public async Task FullTarget_StallsTheRadio_NothingDropped_SameValuesAsAnUnhinderedRun()
    {
        var fleet = new SimulatedFleetOptions { TrackerCount = 1, ProfileIds = ["polar-h10"], Seed = 3 };
        var span = TimeSpan.FromSeconds(30);

        // Reference: a target with room for everything.
        var referenceClock = new ManualTimeProvider();
        List<(Guid Characteristic, byte[] Payload)> expected;
        await using (var reference = Create(referenceClock, fleet))
        {
            await reference.StartAsync(default);
            await reference.ConnectAsync(reference.FleetPeripheralIds[0], default);
            var (target, channel) = NewTarget(referenceClock);
            await SetUpAsync(reference, reference.FleetPeripheralIds[0], Profile("polar-h10"), target);
            await RunAsync(reference, referenceClock, span);
            expected = Take(channel);
            Assert.Equal(reference.NotificationsGenerated, reference.NotificationsDelivered);
        }

        var clock = new ManualTimeProvider();
        await using var central = Create(clock, fleet);
        await central.StartAsync(default);
        await central.ConnectAsync(central.FleetPeripheralIds[0], default);
        const int Capacity = 4;
        var (small, smallChannel) = NewTarget(clock, Capacity);

        // The two START answers on the control point take two places.
        await SetUpAsync(central, central.FleetPeripheralIds[0], Profile("polar-h10"), small);
        for (var elapsed = TimeSpan.Zero; elapsed < span; elapsed += Step)
        {
            clock.Advance(Step);
        }

        await Task.Delay(300);
        Assert.Equal(Capacity, smallChannel.Reader.Count);
        Assert.Equal(Capacity - 2, central.NotificationsDelivered);
        Assert.True(central.ProcessedUntilNs < clock.NowNs, "the radio should wait for room, not run on");

        // A slow reader: everything arrives, in order, nothing dropped.
        var got = new List<(Guid Characteristic, byte[] Payload)>();
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (central.ProcessedUntilNs < clock.NowNs || smallChannel.Reader.Count > 0)
        {
            Assert.True(DateTime.UtcNow < deadline, "the radio did not drain");
            if (smallChannel.Reader.TryRead(out var n))
            {
                got.Add((n.Characteristic, n.Payload.ToArray()));
                n.Release();
            }
            else
            {
                await Task.Delay(1);
            }
        }

        Assert.Equal(central.NotificationsGenerated, central.NotificationsDelivered);
        Assert.Equal(expected.Count, got.Count);
        for (var i = 0; i < expected.Count; i++)
        {
            Assert.Equal(expected[i].Characteristic, got[i].Characteristic);
            Assert.Equal(expected[i].Payload, got[i].Payload);
        }

        Assert.Equal(0, small.Pool.Outstanding);
    }

    [Fact]
    public async Task FleetTrackers_AdvertiseAndServeWhatTheirProfilesMatch()
    {
        var clock = new ManualTimeProvider();
        await using var central = Create(clock, new SimulatedFleetOptions { TrackerCount = Profiles.Count }, adapters: ["hci0", "hci1"]);
        await central.StartAsync(default);

        Assert.Equal(Profiles.Count, central.Peripherals.Count);
        var matcher = new ProfileMatcher(Profiles);
        for (var i = 0; i < central.FleetPeripheralIds.Count; i++)
        {
            var profile = Profile(central.Trackers[i].ProfileId);
            var match = profile.Match;
            var id = central.FleetPeripheralIds[i];
            var peripheral = central.Peripherals.Single(p => p.Id == id);
            Assert.Matches("^[C-F][0-9A-F]:([0-9A-F]{2}:){4}[0-9A-F]{2}$", peripheral.Address); // random static: top bits 11
            Assert.Equal(BleAddressType.Random, peripheral.AddressType);
            Assert.NotNull(peripheral.Name);
            if (match.LocalNamePattern is { } namePattern)
            {
                Assert.Matches(namePattern, peripheral.Name);
            }

            Assert.All(match.AdvertisedServices, s => Assert.Contains(Guid.Parse(s), peripheral.ServiceUuids));
            if (match.ManufacturerId is { } company)
            {
                Assert.True(peripheral.ManufacturerData.ContainsKey((ushort)company), $"{profile.Id}: no manufacturer data for {company}");
            }

            // The supervisor's own matcher picks this tracker's profile from its advertisement (the example IMU too: its name).
            Assert.Equal(profile.Id, matcher.MatchAdvertisement(peripheral.Name, peripheral.ServiceUuids, peripheral.ManufacturerData.Keys)?.Id);

            await central.ConnectAsync(id, default);
            var characteristics = await CharacteristicsAsync(central, id);
            foreach (var stream in profile.Streams)
            {
                Assert.Contains(characteristics, c => c.Uuid == Guid.Parse(stream.Characteristic) && c.ServiceUuid == Guid.Parse(stream.Service) && (c.Properties & GattProperties.Notify) != 0);
                Assert.All(stream.Setup, w => Assert.Contains(characteristics, c => c.Uuid == Guid.Parse(w.Characteristic) && (c.Properties & GattProperties.Write) != 0));
            }

            var model = Encoding.UTF8.GetString(await central.ReadAsync(characteristics.Single(c => c.Uuid == Sig(0x2A24)), default));
            var firmware = Encoding.UTF8.GetString(await central.ReadAsync(characteristics.Single(c => c.Uuid == Sig(0x2A26)), default));
            Assert.Matches(match.ModelNumberPattern ?? new Regex("."), model);
            Assert.Matches(match.FirmwareRevisionPattern ?? new Regex("."), firmware);
            Assert.Null(ProfileMatcher.CheckDeviceInformation(profile, model, firmware));
            Assert.InRange((await central.ReadAsync(characteristics.Single(c => c.Uuid == Sig(0x2A19)), default))[0], 0, 100);
        }
    }

    [Fact]
    public async Task EveryProfileThroughTheRadio_EveryStreamDecodesWithoutRejection()
    {
        var clock = new ManualTimeProvider();
        await using var central = Create(clock, new SimulatedFleetOptions { TrackerCount = Profiles.Count }, adapters: ["hci0", "hci1"]);
        await central.StartAsync(default);
        var channel = System.Threading.Channels.Channel.CreateBounded<Notification>(100_000);
        var pool = new NotificationBufferPool();
        for (var i = 0; i < central.FleetPeripheralIds.Count; i++)
        {
            // The supervisor's handle for fleet tracker i is i + 1, as the fleet's own DeviceHandle: FleetHarness maps it back.
            var target = new NotificationTarget(new DeviceHandle(i + 1), pool, channel.Writer, clock);
            await central.ConnectAsync(central.FleetPeripheralIds[i], default);
            await SetUpAsync(central, central.FleetPeripheralIds[i], Profile(central.Trackers[i].ProfileId), target);
        }

        await RunAsync(central, clock, TimeSpan.FromSeconds(150));
        var received = new List<Received>();
        while (channel.Reader.TryRead(out var n))
        {
            if (n.Characteristic != PmdControlPoint)
            {
                received.Add(new Received(false, n.Device, n.Characteristic, n.HubTimeNs, n.Payload.ToArray(), default));
            }

            n.Release();
        }

        var decoded = FleetHarness.Decode(central.Trackers, received);
        Assert.Empty(decoded.Rejected.Select(r => $"{r.Reason}: {r.Detail}"));
        foreach (var tracker in central.Trackers)
        {
            foreach (var stream in Profile(tracker.ProfileId).Streams)
            {
                Assert.True(decoded.Streams.TryGetValue((tracker.Device, stream.Id), out var decoder), $"{tracker.ProfileId}/{stream.Id} delivered nothing");
                Assert.True(decoder.Counters.Samples > 0, $"{tracker.ProfileId}/{stream.Id} decoded no rows");
            }
        }

        Assert.Equal(0, pool.Outstanding);
    }

    [Fact]
    public async Task DiscoveryEvents_OnlyWhileDiscovering()
    {
        var clock = new ManualTimeProvider();
        await using var central = Create(clock, new SimulatedFleetOptions { TrackerCount = 3, ProfileIds = ["sig-health-thermometer"] });
        await central.StartAsync(default);
        var adapter = central.Adapters[0].Id;
        var events = new List<BleEvent>();

        await RunAsync(central, clock, TimeSpan.FromSeconds(5), events);
        Assert.DoesNotContain(events, e => e.Kind is BleEventKind.PeripheralChanged);

        events.Clear();
        await central.StartDiscoveryAsync(adapter, BleDiscoveryFilter.All, default);
        await RunAsync(central, clock, TimeSpan.FromSeconds(5), events);
        var heard = events.Where(e => e.Kind == BleEventKind.PeripheralChanged).ToList();
        Assert.Equal(3, heard.Select(e => e.Peripheral!.Id).Distinct().Count());
        Assert.True(heard.Count >= 3 * 5, $"{heard.Count} RSSI updates in 5 s of 3 trackers at one a second");
        Assert.All(heard, e => Assert.InRange(e.Peripheral!.Rssi!.Value, (short)-127, (short)20));
        Assert.True(heard.Select(e => e.Peripheral!.Rssi).Distinct().Count() > 1, "the RSSI should wander");

        events.Clear();
        await central.StopDiscoveryAsync(adapter, default);
        await RunAsync(central, clock, TimeSpan.FromSeconds(5), events);
        Assert.DoesNotContain(events, e => e.Kind is BleEventKind.PeripheralChanged);
    }

    [Fact]
    public async Task StartDiscovery_ServiceFilter_HearsOnlyMatchingTrackers()
    {
        var clock = new ManualTimeProvider();
        await using var central = Create(clock, new SimulatedFleetOptions { TrackerCount = 2, ProfileIds = ["sig-health-thermometer", "sig-running-speed-cadence"] });
        await central.StartAsync(default);
        var events = new List<BleEvent>();

        await central.StartDiscoveryAsync(central.Adapters[0].Id, new BleDiscoveryFilter([Sig(0x1809)]), default);
        await RunAsync(central, clock, TimeSpan.FromSeconds(3), events);

        var heard = events.Where(e => e.Kind == BleEventKind.PeripheralChanged).Select(e => e.Peripheral!.Id).Distinct().ToList();
        Assert.Equal([central.FleetPeripheralIds[0]], heard);
    }

    [Fact]
    public async Task SimulateBackendRestart_LostThenAvailable_LinksAndSubscriptionsGone_KnownPeripheralsListedAgain()
    {
        var clock = new ManualTimeProvider();
        await using var central = Create(clock, new SimulatedFleetOptions { TrackerCount = 2, ProfileIds = ["generic-heart-rate-strap"] });
        await central.StartAsync(default);
        var id = central.FleetPeripheralIds[0];
        await central.ConnectAsync(id, default);
        var subscription = await central.SubscribeAsync(await FindAsync(central, id, HeartRate), NewTarget(clock).Target, default);
        Drain(central, null);

        await central.SimulateBackendRestartAsync();

        var events = new List<BleEvent>();
        Drain(central, events);
        Assert.Equal(
            [BleEventKind.BackendLost, BleEventKind.BackendAvailable, BleEventKind.AdapterAdded, BleEventKind.PeripheralAdded, BleEventKind.PeripheralAdded],
            events.Select(e => e.Kind));
        Assert.True(subscription.Ended.IsCompleted);
        Assert.False(central.Peripherals.Single(p => p.Id == id).Connected);
        await central.ConnectAsync(id, default);
    }

    [Fact]
    public async Task SetInRange_OutDropsLinkWithLinkLossAndRefusesConnect_InAgainConnects()
    {
        var clock = new ManualTimeProvider();
        await using var central = Create(clock, new SimulatedFleetOptions { TrackerCount = 1, ProfileIds = ["generic-heart-rate-strap"] });
        await central.StartAsync(default);
        var id = central.FleetPeripheralIds[0];
        await central.ConnectAsync(id, default);
        var (target, channel) = NewTarget(clock);
        await central.SubscribeAsync(await FindAsync(central, id, HeartRate), target, default);
        Drain(central, null);

        await central.SetInRangeAsync(id, false);
        var events = new List<BleEvent>();
        await RunAsync(central, clock, TimeSpan.FromSeconds(5), events);

        Assert.Equal(DisconnectReason.LinkLoss, Assert.Single(events, e => e.Kind == BleEventKind.Disconnected).Reason);
        Assert.Empty(Take(channel));
        Assert.Equal(BleErrorKind.ConnectFailed, (await Assert.ThrowsAsync<BleOperationException>(() => central.ConnectAsync(id, default))).Kind);
        await central.SetInRangeAsync(id, true);
        await central.ConnectAsync(id, default);
    }

    [Fact]
    public void Options_Invalid_NameTheSetting()
    {
        Assert.Contains("ConnectionLimit", Assert.Throws<ArgumentException>(() => new SimulatedCentralOptions { ConnectionLimit = 0 }.Validate()).Message, StringComparison.Ordinal);
        Assert.Contains("Adapters", Assert.Throws<ArgumentException>(() => new SimulatedCentralOptions { Adapters = ["hci0", "hci0"] }.Validate()).Message, StringComparison.Ordinal);
        Assert.Contains("Adapters", Assert.Throws<ArgumentException>(() => new SimulatedCentralOptions { Adapters = ["usb0"] }.Validate()).Message, StringComparison.Ordinal);
        Assert.Contains("Pacing", Assert.Throws<ArgumentException>(() => new SimulatedCentralOptions { Fleet = new SimulatedFleetOptions { Pacing = SimulationPacing.Unpaced } }.Validate()).Message, StringComparison.Ordinal);
        Assert.Contains("AdvertisingInterval", Assert.Throws<ArgumentException>(() => new SimulatedCentralOptions { AdvertisingInterval = TimeSpan.FromMilliseconds(1) }.Validate()).Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AddNeighbour_BadAddress_Refused()
    {
        await using var central = new SimulatedCentral([], new SimulatedCentralOptions());
        var bad = new SimulatedPeripheralDescription("x", "c4:7a:10:2b:3c:4d", -60, [], new Dictionary<ushort, byte[]>(), []);

        var error = await Assert.ThrowsAsync<ArgumentException>(() => central.AddNeighbourAsync(bad));

        Assert.Contains("AA:BB:CC:DD:EE:FF", error.Message, StringComparison.Ordinal);
    }

    private static Guid Sig(ushort value) => Guid.Parse(BleUuid.FromShort(value));
}
