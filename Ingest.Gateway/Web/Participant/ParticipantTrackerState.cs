namespace Ingest.Gateway.Web.Participant;

/// <summary>One enrolled tracker's state, as part of a <see cref="ParticipantState"/>.</summary>
/// <param name="Device">Device pseudonym (the status topic's; never on the participant page).</param>
/// <param name="Participant">Participant pseudonym.</param>
/// <param name="ProfileId">Its firmware profile (the page names the tracker by the profile's name).</param>
/// <param name="State">
/// <see cref="ParticipantStateCode.Working"/>, <see cref="ParticipantStateCode.Connecting"/>,
/// <see cref="ParticipantStateCode.TrackerNotSeen"/>, <see cref="ParticipantStateCode.ChargeTracker"/> or
/// <see cref="ParticipantStateCode.TrackerBlocked"/>.
/// </param>
/// <param name="Since">When it began (see <see cref="ParticipantState.Since"/>; a working tracker: when its link came up).</param>
/// <param name="BatteryPercent">Last battery level read, if any.</param>
/// <param name="LastData">When its last data arrived, or null when none since the hub started.</param>
internal sealed record ParticipantTrackerState(
    string Device,
    string Participant,
    string ProfileId,
    ParticipantStateCode State,
    DateTimeOffset Since,
    int? BatteryPercent,
    DateTimeOffset? LastData);
