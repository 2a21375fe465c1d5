using Ingest.Gateway.Radio;
using Ingest.Pipeline.Service;

namespace Ingest.Gateway.Web.Participant;

/// <summary>
/// The participant states, computed from what the hub knows now: a pure function of the pipeline's
/// <see cref="IngestStatus"/>, the radio's <see cref="RadioStatus"/>, the thresholds in <see cref="ParticipantOptions"/>
/// and the time. The state itself never depends on history, so a page opened after a day says the right thing at once;
/// only <see cref="ParticipantState.Since"/> of states whose data carries no time of its own is taken from the
/// previous evaluation (when one is given).
/// </summary>
/// <remarks>
/// Precedence, highest first (docs/web.md "Participant page"): a radio problem stops every tracker, so it comes first;
/// then what loses data now and the participant can fix (a tracker not seen, then one to charge); then what only the study
/// team can fix (a blocked tracker); then the hub offline from the trial, which delays data but loses none (it is kept on
/// the hub); then the neutral states.
/// </remarks>
internal static class ParticipantStates
{
    /// <summary>The states from highest to lowest precedence: the page shows the first that holds.</summary>
    public static readonly IReadOnlyList<ParticipantStateCode> Precedence =
    [
        ParticipantStateCode.RadioProblem,
        ParticipantStateCode.TrackerNotSeen,
        ParticipantStateCode.ChargeTracker,
        ParticipantStateCode.TrackerBlocked,
        ParticipantStateCode.HubOffline,
        ParticipantStateCode.NoTracker,
        ParticipantStateCode.Connecting,
        ParticipantStateCode.Working,
    ];

    /// <summary>
    /// Computes the states now. <paramref name="previous"/> (the last result, or null) only keeps <c>Since</c> stable for
    /// states that carry no time of their own.
    /// </summary>
    public static ParticipantStateSnapshot Evaluate(IngestStatus ingest, RadioStatus radio, ParticipantOptions options, DateTimeOffset now,
        ParticipantStateSnapshot? previous = null)
    {
        ArgumentNullException.ThrowIfNull(ingest);
        ArgumentNullException.ThrowIfNull(radio);
        ArgumentNullException.ThrowIfNull(options);

        var hubConditions = new List<ParticipantCondition>(2);
        if (!radio.BackendAvailable || radio.Adapters.Count == 0)
        {
            hubConditions.Add(new ParticipantCondition(ParticipantStateCode.RadioProblem, null, null));
        }

        if (IsBrokerUnreachable(ingest.DestinationState) && ingest.OldestUnsentSample is { } oldest && now - oldest >= options.HubOfflineAfter)
        {
            // The oldest sample waiting is when data stopped reaching the trial.
            hubConditions.Add(new ParticipantCondition(ParticipantStateCode.HubOffline, oldest, null));
        }

        var trackers = new List<ParticipantTrackerState>(radio.Trackers.Count);
        foreach (var tracker in radio.Trackers)
        {
            trackers.Add(Tracker(tracker, ingest, options, now, previous));
        }

        var participants = new List<ParticipantState>();
        foreach (var tracker in trackers)
        {
            if (participants.Exists(p => string.Equals(p.Participant, tracker.Participant, StringComparison.Ordinal)))
            {
                continue;
            }

            var theirs = trackers.FindAll(t => string.Equals(t.Participant, tracker.Participant, StringComparison.Ordinal));
            var before = previous?.Participants.FirstOrDefault(p => string.Equals(p.Participant, tracker.Participant, StringComparison.Ordinal));
            participants.Add(Combine(tracker.Participant, theirs, hubConditions, now, before));
        }

        return new ParticipantStateSnapshot(now, Combine(null, trackers, hubConditions, now, previous?.Hub), participants);
    }

    /// <summary>The name a state has on the wire (status topic, JSON endpoint, CSS class).</summary>
    public static string WireName(ParticipantStateCode state) => state switch
    {
        ParticipantStateCode.Working => "working",
        ParticipantStateCode.Connecting => "connecting",
        ParticipantStateCode.NoTracker => "no-tracker",
        ParticipantStateCode.HubOffline => "hub-offline",
        ParticipantStateCode.ChargeTracker => "charge-tracker",
        ParticipantStateCode.TrackerNotSeen => "tracker-not-seen",
        ParticipantStateCode.TrackerBlocked => "tracker-blocked",
        ParticipantStateCode.RadioProblem => "radio-problem",
        _ => throw new ArgumentOutOfRangeException(nameof(state), state, "not a participant state"),
    };

    /// <summary>The colour a state is shown in.</summary>
    public static ParticipantStateColour ColourOf(ParticipantStateCode state) => state switch
    {
        ParticipantStateCode.Working => ParticipantStateColour.Green,
        ParticipantStateCode.Connecting or ParticipantStateCode.NoTracker => ParticipantStateColour.Neutral,
        ParticipantStateCode.ChargeTracker or ParticipantStateCode.TrackerNotSeen => ParticipantStateColour.Amber,
        ParticipantStateCode.HubOffline or ParticipantStateCode.TrackerBlocked or ParticipantStateCode.RadioProblem => ParticipantStateColour.Red,
        _ => throw new ArgumentOutOfRangeException(nameof(state), state, "not a participant state"),
    };

    /// <summary>
    /// The destination is a broker the hub cannot reach now (<see cref="MqttBatchPublisher.State"/>: <c>connecting</c> or
    /// <c>disconnected: …</c>). The outbox (<c>local</c>) never is: its files are the platform's copy.
    /// </summary>
    public static bool IsBrokerUnreachable(string destinationState) =>
        string.Equals(destinationState, "connecting", StringComparison.Ordinal)
        || destinationState.StartsWith("disconnected", StringComparison.Ordinal);

    private static ParticipantTrackerState Tracker(TrackerStatus tracker, IngestStatus ingest, ParticipantOptions options, DateTimeOffset now,
        ParticipantStateSnapshot? previous)
    {
        DateTimeOffset? lastData = tracker.LastDataNs > 0 ? FromUnixNs(tracker.LastDataNs) : null;
        var batteryLow = tracker.BatteryPercent is { } battery && battery <= options.BatteryLowPercent;
        ParticipantStateCode state;
        DateTimeOffset? ownSince = null;
        if (tracker.State == TrackerLinkState.Blocked)
        {
            state = ParticipantStateCode.TrackerBlocked;
        }
        else if (lastData is { } last && now - last < options.TrackerNotSeenAfter)
        {
            // Data arrived recently: it works, unless its battery is low or its link dropped a moment ago.
            state = batteryLow ? ParticipantStateCode.ChargeTracker
                : tracker.State == TrackerLinkState.Streaming ? ParticipantStateCode.Working
                : ParticipantStateCode.Connecting;
            ownSince = state == ParticipantStateCode.Working && tracker.ConnectedSinceNs > 0 ? FromUnixNs(tracker.ConnectedSinceNs) : null;
        }
        else
        {
            // Nothing recent: counted from its last data, or from the hub's start when none came since. A battery last
            // read low is the likely reason, and charging it the one thing to do.
            var reference = lastData ?? ingest.StartedAt;
            var unseen = now - reference >= options.TrackerNotSeenAfter;
            state = batteryLow ? ParticipantStateCode.ChargeTracker
                : unseen ? ParticipantStateCode.TrackerNotSeen
                : ParticipantStateCode.Connecting;
            ownSince = state == ParticipantStateCode.TrackerNotSeen ? reference : null;
        }

        var before = previous?.Hub.Trackers.FirstOrDefault(t => string.Equals(t.Device, tracker.Device, StringComparison.Ordinal));
        var since = ownSince ?? (before is not null && before.State == state ? before.Since : now);
        return new ParticipantTrackerState(tracker.Device, tracker.Participant, tracker.ProfileId, state, since, tracker.BatteryPercent, lastData);
    }

    private static ParticipantState Combine(string? participant, List<ParticipantTrackerState> trackers, List<ParticipantCondition> hubConditions, DateTimeOffset now,
        ParticipantState? previous)
    {
        var candidates = new List<ParticipantCondition>(hubConditions);
        if (trackers.Count == 0)
        {
            candidates.Add(new ParticipantCondition(ParticipantStateCode.NoTracker, null, null));
        }

        foreach (var tracker in trackers)
        {
            // A working tracker's own time is when its link came up; that is not when the participant's state began.
            candidates.Add(new ParticipantCondition(tracker.State, tracker.State == ParticipantStateCode.TrackerNotSeen ? tracker.Since : null, tracker.Device));
        }

        var radioDown = hubConditions.Exists(static c => c.State == ParticipantStateCode.RadioProblem);
        ParticipantCondition? shown = null;
        var also = new List<ParticipantCondition>();
        foreach (var state in Precedence)
        {
            var holding = candidates.FindAll(c => c.State == state);
            if (holding.Count == 0)
            {
                continue;
            }

            if (shown is null)
            {
                // Of several trackers in the same state, the one in it longest (the earliest own time) is named.
                shown = holding.MinBy(static c => c.Since ?? DateTimeOffset.MaxValue);
            }
            else if (state is not (ParticipantStateCode.Working or ParticipantStateCode.Connecting)
                && !(radioDown && holding.TrueForAll(static c => c.Subject is not null)))
            {
                // Without a radio every tracker looks unseen; what is said of them then would mislead.
                also.Add(holding.MinBy(static c => c.Since ?? DateTimeOffset.MaxValue));
            }
        }

        var main = shown!.Value;
        var since = main.Since ?? (previous is not null && previous.State == main.State ? previous.Since : now);
        return new ParticipantState(participant, main.State, since, main.Subject, also, trackers);
    }

    private static DateTimeOffset FromUnixNs(long unixNs) => DateTimeOffset.UnixEpoch.AddTicks(unixNs / 100);
}
