namespace Ingest.Gateway.Web.Participant;

/// <summary>
/// One participant's state (or, for the page, the whole hub's: every tracker on it), computed by
/// <see cref="ParticipantStates.Evaluate"/>. Carries pseudonyms for the status topic; the participant page shows none of
/// them.
/// </summary>
/// <param name="Participant">Participant pseudonym, or null for the whole hub (the page's view).</param>
/// <param name="State">The state shown: the one with the highest <see cref="ParticipantStates.Precedence"/> of those that hold.</param>
/// <param name="Since">
/// When it began: for <see cref="ParticipantStateCode.TrackerNotSeen"/> the tracker's last data (or the hub's start), for
/// <see cref="ParticipantStateCode.HubOffline"/> the oldest sample still waiting; otherwise when the evaluation that
/// produced it first saw this state (the first evaluation of a process: then).
/// </param>
/// <param name="Subject">
/// Device pseudonym of the tracker the state is about (the tracker not seen longest, the one to charge), or null when the
/// state is about the hub.
/// </param>
/// <param name="Also">
/// The other states that hold, one each, by precedence, without <see cref="ParticipantStateCode.Working"/> and
/// <see cref="ParticipantStateCode.Connecting"/> (and without the trackers' states while the radio is down: every tracker
/// then looks unseen).
/// </param>
/// <param name="Trackers">Each enrolled tracker, in the radio's order (by device pseudonym).</param>
internal sealed record ParticipantState(
    string? Participant,
    ParticipantStateCode State,
    DateTimeOffset Since,
    string? Subject,
    IReadOnlyList<ParticipantCondition> Also,
    IReadOnlyList<ParticipantTrackerState> Trackers)
{
    /// <summary>The colour <see cref="State"/> is shown in.</summary>
    public ParticipantStateColour Colour => ParticipantStates.ColourOf(State);
}
