using Ingest.Gateway.Radio;
using Ingest.Pipeline.Intake;
using Ingest.Pipeline.Intake.Radio;
using Ingest.Pipeline.Simulation.Radio;

namespace Ingest.Tests.Radio.Supervisor;

/// <summary>The radio supervisor over the simulated radio: what it connects, sets up, restarts and recovers.</summary>
public class RadioSupervisorTests
{
    private static readonly Guid PmdControlPoint = Guid.Parse("fb005c81-02e7-f387-1cad-8acd2d8df0c8");

    [Fact]
    public async Task EnrolledTrackers_AreConnected_SetUp_AndStream_ConnectedEventBeforeTheirData()
    {
        var (central, enrollment) = SupervisorRig.SimulatedRoom(["polar-h10", "sig-health-thermometer"]);
        await using var rig = new SupervisorRig(central, enrollment);

        await rig.WaitForAsync(() => rig.Supervisor.Status.Trackers.Count == 2 && rig.Supervisor.Status.Trackers.All(t => t.State == TrackerLinkState.Streaming), "both trackers streaming");
        var h10 = rig.HandleOf("sim-001");
        await rig.WaitForAsync(() => rig.NotificationsOf(h10) > 20, "ECG/ACC/HR notifications from the H10 (about 8 a second)");

        // The PMD START writes (ECG and ACC) reached the strap's control point, in the profile's order.
        var writes = central.Writes(central.FleetPeripheralIds[0]).Where(w => w.Characteristic == PmdControlPoint).Select(w => Convert.ToHexString(w.Value)).ToList();
        Assert.Equal(["02000001820001010E00", "02020001C8000101100002010800"], writes);

        // Admission: the handle maps to the enrolled pseudonym and profile, and to nothing under another profile.
        Assert.Equal("sim-001", rig.Supervisor.Admit(h10, "polar-h10")?.Participant);
        Assert.Null(rig.Supervisor.Admit(h10, "generic-heart-rate-strap"));
        Assert.Equal(DeviceEventKind.Connected, rig.Events.First().Kind);
    }

    [Fact]
    public async Task ATrackerWhoseProfileNeedsBonding_IsPairedOnItsFirstConnect_OthersAreNot()
    {
        var (central, enrollment) = SupervisorRig.SimulatedRoom(["polar-h10", "sig-health-thermometer"]);
        var profiles = SupervisorRig.Profiles.Select(p => p.Id == "polar-h10" ? Bonded(p) : p).ToList();
        await using var rig = new SupervisorRig(central, enrollment, profiles: profiles);

        await rig.WaitForAsync(() => rig.ConnectsOf("sim-001") == 1 && rig.ConnectsOf("sim-002") == 1, "both connected");
        Assert.True(central.Peripherals.Single(p => p.Id == central.FleetPeripheralIds[0]).Paired, "the H10's profile needs bonding");
        Assert.False(central.Peripherals.Single(p => p.Id == central.FleetPeripheralIds[1]).Paired, "the thermometer's does not");
        Assert.Contains(rig.Log, line => line.Contains("sim-001 paired", StringComparison.Ordinal));
    }

    private static Ingest.Pipeline.Profiles.FirmwareProfile Bonded(Ingest.Pipeline.Profiles.FirmwareProfile p) => new()
    {
        Id = p.Id, Version = p.Version, Name = p.Name, Vendor = p.Vendor, Description = p.Description, Match = p.Match,
        Streams = p.Streams, FilePath = p.FilePath, RequiresBonding = true,
    };

    [Fact]
    public async Task ANeighboursTracker_IsNeverConnected_AndIsCountedAsRefused()
    {
        var (central, enrollment) = SupervisorRig.SimulatedRoom(["generic-heart-rate-strap"]);
        await using var rig = new SupervisorRig(central, enrollment);
        await rig.WaitForAsync(() => rig.Supervisor.Status.Trackers.SingleOrDefault()?.State == TrackerLinkState.Streaming, "the enrolled strap streaming");

        var neighbour = await central.AddNeighbourAsync(new SimulatedPeripheralDescription(
            "Polar H10 11223344", "D0:11:22:33:44:55", -70, [Guid.Parse("0000180d-0000-1000-8000-00805f9b34fb")],
            new Dictionary<ushort, byte[]> { [107] = [0x3F, 0x00] }, []));

        await rig.WaitForAsync(() => rig.Supervisor.Status.NeighboursRefused == 1, "the neighbour counted as refused");
        await Task.Delay(500);
        Assert.False(central.Peripherals.Single(p => p.Id == neighbour).Connected, "a tracker that is not enrolled must never be connected");
        Assert.Empty(central.Writes(neighbour));
        Assert.Equal(1, enrollment.Refusals);
        Assert.DoesNotContain(rig.Log, line => line.Contains("D0:11:22:33:44:55", StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public async Task ADroppedLink_BecomesADisconnectWithItsReason_ThenAReconnectThatRedoesTheSetup()
    {
        var (central, enrollment) = SupervisorRig.SimulatedRoom(["polar-h10"]);
        await using var rig = new SupervisorRig(central, enrollment);
        await rig.WaitForAsync(() => rig.ConnectsOf("sim-001") == 1, "the first connect");
        var peripheral = central.FleetPeripheralIds[0];
        await rig.WaitForAsync(() => central.Writes(peripheral).Count == 2, "the two PMD START writes");

        await central.DropLinkAsync(peripheral, DisconnectReason.LinkLoss);

        await rig.WaitForAsync(() => rig.ConnectsOf("sim-001") == 2, "the reconnect");
        var down = rig.Events.Single(e => e.Kind == DeviceEventKind.Disconnected);
        Assert.Equal(DisconnectReason.LinkLoss, down.Reason);
        await rig.WaitForAsync(() => central.Writes(peripheral).Count == 4, "the START writes again after the reconnect (trackers forget them)");
        var h10 = rig.HandleOf("sim-001");
        var before = rig.NotificationsOf(h10);
        await rig.WaitForAsync(() => rig.NotificationsOf(h10) > before + 20, "data flowing after the reconnect");
    }

    [Fact]
    public async Task MoreEnrolledTrackersThanTheAdapterHolds_WaitAndTheStatusSaysSo()
    {
        var (central, enrollment) = SupervisorRig.SimulatedRoom(["sig-health-thermometer", "sig-health-thermometer", "sig-health-thermometer"]);
        await using var rig = new SupervisorRig(central, enrollment, SupervisorRig.FastOptions with { MaxConnectionsPerAdapter = 2 });

        await rig.WaitForAsync(() => rig.Supervisor.Status.Trackers.Count(t => t.State == TrackerLinkState.Streaming) == 2, "two trackers streaming");
        await rig.WaitForAsync(() => rig.Supervisor.Status.Problems.Any(p => p.Contains("at most 2 links", StringComparison.Ordinal)), "the limit named in the status");
        await Task.Delay(500);
        Assert.Equal(2, central.Peripherals.Count(p => p.Connected));
        Assert.Contains("1 enrolled tracker(s) in range wait", rig.Supervisor.Status.Problems.Single(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AWedgedAdapter_RepeatedInProgress_IsPowerCycled_AndTheTrackerComesBack()
    {
        var (central, enrollment) = SupervisorRig.SimulatedRoom(["sig-health-thermometer"]);
        central.InjectError(SimulatedOperation.Connect, BleErrorKind.InProgress, count: 3);
        await using var rig = new SupervisorRig(central, enrollment);

        await rig.WaitForAsync(() => rig.Supervisor.Status.AdapterRecoveries == 1, "a power-cycle after three InProgress answers");
        await rig.WaitForAsync(() => rig.Tracker("sim-001").State == TrackerLinkState.Streaming, "the tracker streaming after the recovery");
        Assert.Contains(rig.Log, line => line.Contains("power-cycling", StringComparison.Ordinal));
        Assert.Equal(3, rig.Tracker("sim-001").FailedConnects);
    }

    [Fact]
    public async Task NoAdvertisementForLong_WhileAnEnrolledTrackerIsAway_PowerCyclesTheAdapter()
    {
        var (central, enrollment) = SupervisorRig.SimulatedRoom(["sig-health-thermometer"]);
        await using var rig = new SupervisorRig(central, enrollment, SupervisorRig.FastOptions with { AdvertisementSilence = TimeSpan.FromSeconds(1) });
        await rig.WaitForAsync(() => rig.ConnectsOf("sim-001") == 1, "connected");

        await central.SetInRangeAsync(central.FleetPeripheralIds[0], false);

        await rig.WaitForAsync(() => rig.Supervisor.Status.AdapterRecoveries >= 1, "a power-cycle after a second without advertisements");
        Assert.Contains(rig.Log, line => line.Contains("no advertisement heard", StringComparison.Ordinal));
        await central.SetInRangeAsync(central.FleetPeripheralIds[0], true);
        await rig.WaitForAsync(() => rig.ConnectsOf("sim-001") >= 2, "connected again once back in range");
    }

    [Fact]
    public async Task APoweredOffAdapter_IsPoweredOn_AndItsTrackersReconnect()
    {
        var (central, enrollment) = SupervisorRig.SimulatedRoom(["sig-health-thermometer"]);
        await using var rig = new SupervisorRig(central, enrollment);
        await rig.WaitForAsync(() => rig.ConnectsOf("sim-001") == 1, "the first connect");

        await central.SetPoweredAsync(central.Adapters[0].Id, false, CancellationToken.None);

        await rig.WaitForAsync(() => rig.ConnectsOf("sim-001") == 2, "the reconnect after the adapter is powered on again");
        Assert.True(central.Adapters[0].Powered);
        Assert.Equal(1, rig.CountEvents("sim-001", DeviceEventKind.Disconnected));
    }

    [Fact]
    public async Task AVanishedPeripheral_EndsItsLink_AndBlueZRestarting_IsSurvived()
    {
        var (central, enrollment) = SupervisorRig.SimulatedRoom(["sig-health-thermometer", "generic-heart-rate-strap"]);
        await using var rig = new SupervisorRig(central, enrollment);
        await rig.WaitForAsync(() => rig.ConnectsOf("sim-001") == 1 && rig.ConnectsOf("sim-002") == 1, "both connected");

        await central.SimulateBackendRestartAsync();

        await rig.WaitForAsync(() => rig.ConnectsOf("sim-001") == 2 && rig.ConnectsOf("sim-002") == 2, "both reconnected after the backend came back");
        Assert.True(rig.Supervisor.Status.BackendAvailable);

        await central.RemovePeripheralAsync(central.FleetPeripheralIds[1]);
        await rig.WaitForAsync(() => rig.CountEvents("sim-002", DeviceEventKind.Disconnected) == 2, "the removed tracker's link ended");
        await rig.WaitForAsync(() => rig.Tracker("sim-002").State == TrackerLinkState.NotSeen, "the removed tracker shown as not seen");
        Assert.Equal(TrackerLinkState.Streaming, rig.Tracker("sim-001").State);
    }
}
