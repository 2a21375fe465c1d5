using Ingest.Gateway.Radio;
using Ingest.Gateway.Web;
using Ingest.Pipeline.Intake.Radio;
using Ingest.Pipeline.Simulation.Radio;

namespace Ingest.Tests.Radio.Supervisor;

/// <summary>
/// The nurse's view of the radio: trackers heard nearby (by pseudonym, never address) and live checks of a tracker that
/// is not enrolled, whose data reach the check and never the pipeline.
/// </summary>
public class LiveCheckTests
{
    [Fact]
    public async Task Nearby_ListsEnrolledAndNotEnrolledTrackers_ByPseudonym_WithProfileAndSignal()
    {
        var (central, enrollment) = SupervisorRig.SimulatedRoom(["generic-heart-rate-strap", "polar-h10"]);
        var partial = new PartialEnrollment(enrollment, "sim-001");
        await using var rig = new SupervisorRig(central, partial);

        await rig.WaitForAsync(() => rig.Supervisor.Nearby.Count == 2, "both trackers listed as nearby");
        var nearby = rig.Supervisor.Nearby;
        var enrolled = Assert.Single(nearby, t => t.Participant is not null);
        Assert.Equal("sim-001", enrolled.Candidate);
        var stranger = Assert.Single(nearby, t => t.Participant is null);
        Assert.Equal("polar-h10", stranger.ProfileId);
        Assert.Equal(partial.PseudonymOf(central.Peripherals.Single(p => p.Id == central.FleetPeripheralIds[1]).Address), stranger.Candidate);
        Assert.NotNull(stranger.Rssi);
        foreach (var peripheral in central.Peripherals)
        {
            Assert.DoesNotContain(nearby, t => string.Join("|", t.Candidate, t.Name, t.ProfileId).Contains(peripheral.Address, StringComparison.OrdinalIgnoreCase));
        }
    }

    [Fact]
    public async Task LiveCheck_ConnectsTheTrackerThatIsNotEnrolled_ShowsItsSamples_AndFeedsNothingToThePipeline()
    {
        var (central, _, rig) = StrapEnrolledH10Not();
        await using var rigLifetime = rig;
        var candidate = await NotEnrolledCandidateAsync(rig);
        var h10 = central.FleetPeripheralIds[1];
        Assert.False(central.Peripherals.Single(p => p.Id == h10).Connected, "not enrolled: not connected before a check");

        var started = rig.Supervisor.StartLiveCheck(candidate);
        Assert.NotNull(started);
        Assert.Equal(LiveCheckState.Connecting, started.State);

        await rig.WaitForAsync(() => rig.Supervisor.GetLiveCheck(candidate) is { State: LiveCheckState.Streaming } view
            && view.Streams.Single(s => s.Stream == "ecg").Samples > 200 && view.Streams.Single(s => s.Stream == "hr").Samples > 0,
            "ECG and heart rate flowing in the check", TimeSpan.FromSeconds(30));
        var check = rig.Supervisor.GetLiveCheck(candidate)!;
        var ecg = check.Streams.Single(s => s.Stream == "ecg");
        Assert.Equal(130, ecg.ExpectedRate);
        Assert.InRange(ecg.MeasuredRate, 60, 200);
        Assert.InRange(ecg.Recent.Count, 100, LiveStreamView.MaxRecent);
        Assert.Contains(check.Streams.Single(s => s.Stream == "hr").Recent, bpm => bpm is > 30 and < 220);

        // The PMD STARTs were written, as for an enrolled tracker; the pipeline saw nothing of it.
        Assert.Contains(central.Writes(h10), w => w.Value.Length > 0 && w.Value[0] == 0x02);
        Assert.Equal(1, rig.Events.Count(e => e.Kind == Ingest.Pipeline.Intake.DeviceEventKind.Connected));
        Assert.All(rig.NotifyingDevices(), device => Assert.NotNull(rig.Supervisor.Admit(device, "generic-heart-rate-strap")));
        await rig.WaitForAsync(() => rig.Supervisor.Status.Adapters.Sum(a => a.Links) == 2, "the check's link counted against the adapter");

        rig.Supervisor.StopLiveCheck(candidate);
        await rig.WaitForAsync(() => !central.Peripherals.Single(p => p.Id == h10).Connected, "the check's link dropped after Stop");
        Assert.Equal(LiveCheckState.Ended, rig.Supervisor.GetLiveCheck(candidate)!.State);
        await rig.WaitForAsync(() => rig.Supervisor.Status.Adapters.Sum(a => a.Links) == 1, "the slot given back");
    }

    [Fact]
    public async Task EnrollingTheCheckedTracker_EndsTheCheck_AndTheSupervisorConnectsItAsEnrolled()
    {
        var (central, partial, rig) = StrapEnrolledH10Not();
        await using var rigLifetime = rig;
        var candidate = await NotEnrolledCandidateAsync(rig);
        rig.Supervisor.StartLiveCheck(candidate);
        await rig.WaitForAsync(() => rig.Supervisor.GetLiveCheck(candidate)?.State == LiveCheckState.Streaming, "the check streaming");

        partial.Enroll("sim-002");

        await rig.WaitForAsync(() => rig.Supervisor.Status.Trackers.Any(t => t.Device == "sim-002" && t.State == TrackerLinkState.Streaming), "sim-002 streaming as enrolled");
        var ended = rig.Supervisor.GetLiveCheck(candidate)!;
        Assert.Equal(LiveCheckState.Ended, ended.State);
        Assert.Contains("enrolled", ended.Problem, StringComparison.Ordinal);
        Assert.Null(rig.Supervisor.StartLiveCheck("sim-002"));
    }

    [Fact]
    public async Task TrackerGoneMidCheck_EndsLost_WithWhatToDo()
    {
        var (central, _, rig) = StrapEnrolledH10Not();
        await using var rigLifetime = rig;
        var candidate = await NotEnrolledCandidateAsync(rig);
        rig.Supervisor.StartLiveCheck(candidate);
        await rig.WaitForAsync(() => rig.Supervisor.GetLiveCheck(candidate)?.State == LiveCheckState.Streaming, "the check streaming");

        await central.SetInRangeAsync(central.FleetPeripheralIds[1], false);

        await rig.WaitForAsync(() => rig.Supervisor.GetLiveCheck(candidate)?.State == LiveCheckState.Lost, "the check lost");
        Assert.Contains("bring it closer", rig.Supervisor.GetLiveCheck(candidate)!.Problem, StringComparison.Ordinal);
        Assert.Equal(0, rig.Events.Count(e => e.Kind == Ingest.Pipeline.Intake.DeviceEventKind.Disconnected));
    }

    [Fact]
    public async Task FullAdapter_CheckFails_NamingTheLimit()
    {
        var (central, enrollment) = SupervisorRig.SimulatedRoom(["generic-heart-rate-strap", "polar-h10"]);
        var partial = new PartialEnrollment(enrollment, "sim-001");
        await using var rig = new SupervisorRig(central, partial, SupervisorRig.FastOptions with { MaxConnectionsPerAdapter = 1 });
        await rig.WaitForAsync(() => rig.Supervisor.Status.Trackers.Single().State == TrackerLinkState.Streaming && rig.Supervisor.Nearby.Any(t => t.Participant is null),
            "sim-001 streaming and the H10 heard");
        var candidate = rig.Supervisor.Nearby.Single(t => t.Participant is null).Candidate;

        rig.Supervisor.StartLiveCheck(candidate);

        await rig.WaitForAsync(() => rig.Supervisor.GetLiveCheck(candidate)?.State == LiveCheckState.Failed, "the check refused");
        Assert.Contains("Radio:MaxConnectionsPerAdapter", rig.Supervisor.GetLiveCheck(candidate)!.Problem, StringComparison.Ordinal);
        Assert.False(central.Peripherals.Single(p => p.Id == central.FleetPeripheralIds[1]).Connected);
    }

    [Fact]
    public async Task UnknownCandidate_NoCheck()
    {
        var (central, enrollment) = SupervisorRig.SimulatedRoom(["generic-heart-rate-strap"]);
        await using var rig = new SupervisorRig(central, enrollment);
        await rig.WaitForAsync(() => rig.Supervisor.Nearby.Count == 1, "the strap listed");
        Assert.Null(rig.Supervisor.StartLiveCheck("dev-nothing"));
        Assert.Null(rig.Supervisor.GetLiveCheck("dev-nothing"));
    }

    /// <summary>A room with a heart-rate strap enrolled as sim-001 and a Polar H10 nobody enrolled.</summary>
    private static (SimulatedCentral Central, PartialEnrollment Enrollment, SupervisorRig Rig) StrapEnrolledH10Not()
    {
        var (central, enrollment) = SupervisorRig.SimulatedRoom(["generic-heart-rate-strap", "polar-h10"]);
        var partial = new PartialEnrollment(enrollment, "sim-001");
        return (central, partial, new SupervisorRig(central, partial));
    }

    /// <summary>The pseudonym of the tracker heard nearby that is not enrolled (the H10), once it is heard.</summary>
    private static async Task<string> NotEnrolledCandidateAsync(SupervisorRig rig)
    {
        await rig.WaitForAsync(() => rig.Supervisor.Nearby.Any(t => t.Participant is null), "the H10 heard nearby");
        return rig.Supervisor.Nearby.Single(t => t.Participant is null).Candidate;
    }

    /// <summary>The simulated room's enrollment, but only for the pseudonyms named (more may be enrolled later).</summary>
    private sealed class PartialEnrollment(IEnrolledTrackers inner, params string[] enrolled) : IEnrolledTrackers
    {
        private readonly HashSet<string> _enrolled = [.. enrolled];
        private long _version = 1;

        public long Version => Interlocked.Read(ref _version);

        public void Enroll(string pseudonym)
        {
            lock (_enrolled)
            {
                _enrolled.Add(pseudonym);
            }

            Interlocked.Increment(ref _version);
        }

        public IReadOnlyList<EnrolledTracker> List()
        {
            lock (_enrolled)
            {
                return inner.List().Where(t => _enrolled.Contains(t.DevicePseudonym)).ToList();
            }
        }

        public EnrolledTracker? Find(string address, BleAddressType addressType)
        {
            var found = inner.Find(address, addressType);
            lock (_enrolled)
            {
                return found is not null && _enrolled.Contains(found.DevicePseudonym) ? found : null;
            }
        }

        public void RecordRefusal(string address, string? profileId, string reason)
        {
        }

        public string? PseudonymOf(string address) => inner.PseudonymOf(address);
    }
}
