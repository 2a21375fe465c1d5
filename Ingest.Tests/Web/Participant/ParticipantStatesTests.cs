using Ingest.Gateway.Radio;
using Ingest.Gateway.Web.Participant;
using Ingest.Pipeline.Service;

namespace Ingest.Tests.Web.Participant;

/// <summary>The participant states as a pure function: each state, its thresholds at the boundary, precedence, "since".</summary>
public sealed class ParticipantStatesTests
{
    private static readonly DateTimeOffset s_now = new(2026, 11, 30, 14, 30, 0, TimeSpan.Zero);
    private static readonly ParticipantOptions s_options = new()
    {
        TrackerNotSeenAfter = TimeSpan.FromMinutes(10),
        BatteryLowPercent = 15,
        HubOfflineAfter = TimeSpan.FromMinutes(30),
    };

    [Fact]
    public void Evaluate_EveryTrackerStreamingAndBrokerConnected_Working()
    {
        var snapshot = Evaluate(Ingest(), Radio(Tracker("dev-1"), Tracker("dev-2")));

        Assert.Equal(ParticipantStateCode.Working, snapshot.Hub.State);
        Assert.Equal(ParticipantStateColour.Green, snapshot.Hub.Colour);
        Assert.Empty(snapshot.Hub.Also);
        var participant = Assert.Single(snapshot.Participants);
        Assert.Equal("P-1", participant.Participant);
        Assert.Equal(ParticipantStateCode.Working, participant.State);
        Assert.All(participant.Trackers, t => Assert.Equal(ParticipantStateCode.Working, t.State));
        // A working tracker's own time is when its link came up.
        Assert.Equal(s_now.AddHours(-1), participant.Trackers[0].Since);
    }

    [Fact]
    public void Evaluate_OutboxDestination_WorkingWhateverWaits()
    {
        var snapshot = Evaluate(Ingest("local", oldestUnsent: s_now.AddHours(-5)), Radio(Tracker()));

        Assert.Equal(ParticipantStateCode.Working, snapshot.Hub.State);
    }

    [Fact]
    public void Evaluate_NothingEnrolled_NoTrackerAndNoParticipants()
    {
        var snapshot = Evaluate(Ingest(), Radio());

        Assert.Equal(ParticipantStateCode.NoTracker, snapshot.Hub.State);
        Assert.Equal(ParticipantStateColour.Neutral, snapshot.Hub.Colour);
        Assert.Empty(snapshot.Participants);
        Assert.Empty(snapshot.Hub.Trackers);
    }

    [Theory]
    [InlineData(0, false)]
    [InlineData(1, true)]
    [InlineData(600_000_000 - 1, true)]
    public void Evaluate_TrackerSilence_NotSeenFromTheThresholdOn(long ticksShortOfThreshold, bool working)
    {
        var lastData = s_now - s_options.TrackerNotSeenAfter + TimeSpan.FromTicks(ticksShortOfThreshold);

        var snapshot = Evaluate(Ingest(), Radio(Tracker(lastData: lastData)));

        if (working)
        {
            Assert.Equal(ParticipantStateCode.Working, snapshot.Hub.State);
        }
        else
        {
            Assert.Equal(ParticipantStateCode.TrackerNotSeen, snapshot.Hub.State);
            Assert.Equal(ParticipantStateColour.Amber, snapshot.Hub.Colour);
            Assert.Equal(lastData, snapshot.Hub.Since);
            Assert.Equal("dev-1", snapshot.Hub.Subject);
        }
    }

    [Fact]
    public void Evaluate_StillLinkedButSilent_NotSeen()
    {
        // A chest strap taken off keeps its link but sends nothing: what counts is data.
        var snapshot = Evaluate(Ingest(), Radio(Tracker(state: TrackerLinkState.Streaming, lastData: s_now.AddMinutes(-25))));

        Assert.Equal(ParticipantStateCode.TrackerNotSeen, snapshot.Hub.State);
        Assert.Equal(s_now.AddMinutes(-25), snapshot.Hub.Since);
    }

    [Fact]
    public void Evaluate_NoDataSinceTheHubStarted_ConnectingThenNotSeenSinceTheStart()
    {
        var never = Tracker(state: TrackerLinkState.NotSeen, noData: true);

        var early = Evaluate(Ingest(startedAt: s_now.AddMinutes(-9)), Radio(never));
        var late = Evaluate(Ingest(startedAt: s_now.AddMinutes(-10)), Radio(never));

        Assert.Equal(ParticipantStateCode.Connecting, early.Hub.State);
        Assert.Equal(ParticipantStateCode.TrackerNotSeen, late.Hub.State);
        Assert.Equal(s_now.AddMinutes(-10), late.Hub.Since);
    }

    [Fact]
    public void Evaluate_LinkDroppedAMomentAgo_Connecting()
    {
        var snapshot = Evaluate(Ingest(), Radio(Tracker(state: TrackerLinkState.Waiting, lastData: s_now.AddSeconds(-30))));

        Assert.Equal(ParticipantStateCode.Connecting, snapshot.Hub.State);
        Assert.Empty(snapshot.Hub.Also);
    }

    [Theory]
    [InlineData(14, "charge-tracker")]
    [InlineData(15, "charge-tracker")]
    [InlineData(16, "working")]
    [InlineData(null, "working")]
    public void Evaluate_Battery_ChargeAtOrBelowTheThreshold(int? battery, string expected)
    {
        var snapshot = Evaluate(Ingest(), Radio(Tracker(battery: battery)));

        Assert.Equal(expected, ParticipantStates.WireName(snapshot.Hub.State));
        Assert.Equal(expected, ParticipantStates.WireName(snapshot.Hub.Trackers[0].State));
    }

    [Fact]
    public void Evaluate_SilentWithBatteryLastReadLow_ChargeTheTracker()
    {
        var snapshot = Evaluate(Ingest(), Radio(Tracker(battery: 5, state: TrackerLinkState.NotSeen, lastData: s_now.AddHours(-2))));

        Assert.Equal(ParticipantStateCode.ChargeTracker, snapshot.Hub.State);
        Assert.Equal("dev-1", snapshot.Hub.Subject);
    }

    [Theory]
    [InlineData("disconnected: connection refused", 30 * 60, "hub-offline")]
    [InlineData("connecting", 45 * 60, "hub-offline")]
    [InlineData("disconnected: connection refused", (30 * 60) - 1, "working")]
    [InlineData("connected", 3 * 60 * 60, "working")]
    [InlineData("local", 3 * 60 * 60, "working")]
    public void Evaluate_BrokerUnreachableWhileDataWaits_OfflineFromTheThresholdOn(string destination, int waitingSeconds, string expected)
    {
        var oldest = s_now.AddSeconds(-waitingSeconds);

        var snapshot = Evaluate(Ingest(destination, oldestUnsent: oldest), Radio(Tracker()));

        Assert.Equal(expected, ParticipantStates.WireName(snapshot.Hub.State));
        if (snapshot.Hub.State == ParticipantStateCode.HubOffline)
        {
            Assert.Equal(ParticipantStateColour.Red, snapshot.Hub.Colour);
            Assert.Equal(oldest, snapshot.Hub.Since);
            Assert.Null(snapshot.Hub.Subject);
            Assert.Equal(ParticipantStateCode.HubOffline, snapshot.Participants[0].State);
            // The trackers themselves are fine.
            Assert.Equal(ParticipantStateCode.Working, snapshot.Hub.Trackers[0].State);
        }
    }

    [Fact]
    public void Evaluate_BrokerUnreachableButNothingWaits_NotOffline()
    {
        var snapshot = Evaluate(Ingest("disconnected: timeout", oldestUnsent: null), Radio(Tracker()));

        Assert.Equal(ParticipantStateCode.Working, snapshot.Hub.State);
    }

    [Fact]
    public void Evaluate_BlueZGone_RadioProblemWithoutTheTrackersItSilenced()
    {
        var radio = Radio(Tracker(state: TrackerLinkState.NotSeen, lastData: s_now.AddHours(-1))) with { BackendAvailable = false, Adapters = [] };

        var snapshot = Evaluate(Ingest("disconnected: x", oldestUnsent: s_now.AddHours(-1)), radio);

        Assert.Equal(ParticipantStateCode.RadioProblem, snapshot.Hub.State);
        Assert.Equal(ParticipantStateColour.Red, snapshot.Hub.Colour);
        Assert.Null(snapshot.Hub.Subject);
        // Offline still holds; the unseen tracker is the radio's doing, so it is not listed.
        Assert.Equal([ParticipantStateCode.HubOffline], snapshot.Hub.Also.Select(a => a.State));
        Assert.Equal(ParticipantStateCode.RadioProblem, snapshot.Participants[0].State);
    }

    [Fact]
    public void Evaluate_NoAdapter_RadioProblem()
    {
        var snapshot = Evaluate(Ingest(), Radio(Tracker()) with { Adapters = [] });

        Assert.Equal(ParticipantStateCode.RadioProblem, snapshot.Hub.State);
    }

    [Fact]
    public void Evaluate_RadioProblemWithNothingEnrolled_RadioProblem()
    {
        var snapshot = Evaluate(Ingest(), RadioStatus.Empty);

        Assert.Equal(ParticipantStateCode.RadioProblem, snapshot.Hub.State);
        Assert.Equal([ParticipantStateCode.NoTracker], snapshot.Hub.Also.Select(a => a.State));
    }

    [Fact]
    public void Evaluate_BlockedTracker_TrackerBlocked()
    {
        var snapshot = Evaluate(Ingest(), Radio(Tracker(state: TrackerLinkState.Blocked, noData: true)));

        Assert.Equal(ParticipantStateCode.TrackerBlocked, snapshot.Hub.State);
        Assert.Equal(ParticipantStateColour.Red, snapshot.Hub.Colour);
    }

    [Fact]
    public void Precedence_NamesEveryStateOnce()
    {
        Assert.Equal(Enum.GetValues<ParticipantStateCode>().Order(), ParticipantStates.Precedence.Order());
        Assert.Equal(ParticipantStateCode.RadioProblem, ParticipantStates.Precedence[0]);
        Assert.Equal(ParticipantStateCode.Working, ParticipantStates.Precedence[^1]);
    }

    [Theory]
    [InlineData("unseen+charge+offline", "tracker-not-seen", "charge-tracker,hub-offline")]
    [InlineData("charge+offline", "charge-tracker", "hub-offline")]
    [InlineData("blocked+offline", "tracker-blocked", "hub-offline")]
    [InlineData("unseen+blocked", "tracker-not-seen", "tracker-blocked")]
    [InlineData("offline+connecting", "hub-offline", "")]
    [InlineData("connecting+working", "connecting", "")]
    public void Evaluate_SeveralHold_TheHighestIsShownTheOthersAlso(string combination, string shown, string also)
    {
        var parts = combination.Split('+');
        var trackers = new List<TrackerStatus>();
        foreach (var part in parts)
        {
            trackers.Add(part switch
            {
                "unseen" => Tracker("dev-unseen", lastData: s_now.AddMinutes(-40)),
                "charge" => Tracker("dev-charge", battery: 9),
                "blocked" => Tracker("dev-blocked", state: TrackerLinkState.Blocked),
                "connecting" => Tracker("dev-connecting", state: TrackerLinkState.Connecting),
                "working" => Tracker("dev-working"),
                _ => Tracker("dev-other"),
            });
        }

        var ingest = parts.Contains("offline") ? Ingest("disconnected: no route", oldestUnsent: s_now.AddHours(-2)) : Ingest();

        var snapshot = Evaluate(ingest, Radio([.. trackers]));

        Assert.Equal(shown, ParticipantStates.WireName(snapshot.Hub.State));
        Assert.Equal(also, string.Join(',', snapshot.Hub.Also.Select(a => ParticipantStates.WireName(a.State))));
    }

    [Fact]
    public void Evaluate_TwoTrackersUnseen_NamesTheOneSilentLongest()
    {
        var snapshot = Evaluate(Ingest(), Radio(Tracker("dev-a", lastData: s_now.AddMinutes(-20)), Tracker("dev-b", lastData: s_now.AddMinutes(-50))));

        Assert.Equal(ParticipantStateCode.TrackerNotSeen, snapshot.Hub.State);
        Assert.Equal("dev-b", snapshot.Hub.Subject);
        Assert.Equal(s_now.AddMinutes(-50), snapshot.Hub.Since);
    }

    [Fact]
    public void Evaluate_TwoParticipants_EachTheirOwnHubTheWorst()
    {
        var snapshot = Evaluate(Ingest(), Radio(
            Tracker("dev-1", participant: "P-1"),
            Tracker("dev-2", participant: "P-2", battery: 3),
            Tracker("dev-3", participant: "P-1")));

        Assert.Equal(["P-1", "P-2"], snapshot.Participants.Select(p => p.Participant));
        Assert.Equal(ParticipantStateCode.Working, snapshot.Participants[0].State);
        Assert.Equal(["dev-1", "dev-3"], snapshot.Participants[0].Trackers.Select(t => t.Device));
        Assert.Equal(ParticipantStateCode.ChargeTracker, snapshot.Participants[1].State);
        Assert.Equal(ParticipantStateCode.ChargeTracker, snapshot.Hub.State);
        Assert.Equal(3, snapshot.Hub.Trackers.Count);
    }

    [Fact]
    public void Evaluate_WithPrevious_SinceStaysWhileTheStateHoldsAndMovesWhenItChanges()
    {
        var first = Evaluate(Ingest(), Radio(Tracker(battery: 10)));
        Assert.Equal(s_now, first.Hub.Since);

        var later = s_now.AddMinutes(5);
        var same = ParticipantStates.Evaluate(Ingest(at: later), Radio(Tracker(battery: 9, lastData: later.AddSeconds(-1))), s_options, later, first);
        Assert.Equal(ParticipantStateCode.ChargeTracker, same.Hub.State);
        Assert.Equal(s_now, same.Hub.Since);
        Assert.Equal(s_now, same.Participants[0].Since);
        Assert.Equal(s_now, same.Hub.Trackers[0].Since);

        var charged = s_now.AddMinutes(7);
        var changed = ParticipantStates.Evaluate(Ingest(at: charged), Radio(Tracker(battery: 90, lastData: charged.AddSeconds(-1), connected: charged.AddMinutes(-1))),
            s_options, charged, same);
        Assert.Equal(ParticipantStateCode.Working, changed.Hub.State);
        Assert.Equal(charged, changed.Hub.Since);
        Assert.Equal(charged.AddMinutes(-1), changed.Hub.Trackers[0].Since);
    }

    [Fact]
    public void Monitor_KeepsSinceAcrossObservations()
    {
        var monitor = new ParticipantStateMonitor(s_options);

        var first = monitor.Observe(Ingest(), Radio(Tracker(battery: 10)), s_now);
        var second = monitor.Observe(Ingest(), Radio(Tracker(battery: 10)), s_now.AddMinutes(3));

        Assert.Equal(first.Hub.Since, second.Hub.Since);
        Assert.Equal(s_now.AddMinutes(3), second.At);
    }

    [Fact]
    public void WireName_IsFixedForEveryState()
    {
        Assert.Equal(
            ["working", "connecting", "no-tracker", "hub-offline", "charge-tracker", "tracker-not-seen", "tracker-blocked", "radio-problem"],
            Enum.GetValues<ParticipantStateCode>().Select(ParticipantStates.WireName));
        Assert.Equal([0, 1, 2, 3, 4, 5, 6, 7], Enum.GetValues<ParticipantStateCode>().Select(s => (int)s));
    }

    private static ParticipantStateSnapshot Evaluate(IngestStatus ingest, RadioStatus radio) => ParticipantStates.Evaluate(ingest, radio, s_options, s_now);

    internal static IngestStatus Ingest(string destinationState = "connected", DateTimeOffset? oldestUnsent = null, DateTimeOffset? startedAt = null, DateTimeOffset? at = null) => new()
    {
        At = at ?? s_now,
        StartedAt = startedAt ?? s_now.AddHours(-3),
        Destination = "mqtt://broker:1883",
        DestinationState = destinationState,
        OldestUnsentSample = oldestUnsent,
    };

    internal static RadioStatus Radio(params TrackerStatus[] trackers) =>
        new([new AdapterStatus("hci0", Powered: true, Discovering: true, Links: trackers.Length, MaxLinks: 7)], trackers, 0, 0, BackendAvailable: true, []);

    internal static TrackerStatus Tracker(string device = "dev-1", string participant = "P-1", TrackerLinkState state = TrackerLinkState.Streaming, int? battery = 80,
        DateTimeOffset? lastData = default, DateTimeOffset? connected = default, string profile = "polar-h10", bool noData = false)
    {
        lastData ??= noData ? null : s_now.AddSeconds(-2);
        connected ??= state == TrackerLinkState.Streaming ? s_now.AddHours(-1) : null;
        return new TrackerStatus(device, participant, profile, state, -60, battery, connected is { } c ? Ns(c) : 0, lastData is { } d ? Ns(d) : 0, 1, 0, 0, null);
    }

    internal static long Ns(DateTimeOffset time) => (time.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks) * 100;
}
