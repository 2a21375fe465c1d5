namespace Ingest.Gateway.Web.Participant;

/// <summary>
/// What the participant page and the status topic say about a participant (or one of their trackers). The wire name of
/// each (<see cref="ParticipantStates.WireName"/>) is what the status topic and <c>/api/participant-state</c> carry; the
/// numbers are fixed so a stored value keeps its meaning. When several hold at once, <see cref="ParticipantStates.Precedence"/>
/// says which one the page shows.
/// </summary>
internal enum ParticipantStateCode
{
    /// <summary>Every enrolled tracker streams and data reaches the platform (or the outbox). Green.</summary>
    Working = 0,

    /// <summary>A tracker is being connected (just started, or its link dropped a moment ago): nothing to do yet. Neutral.</summary>
    Connecting = 1,

    /// <summary>No tracker is enrolled on this hub. Neutral.</summary>
    NoTracker = 2,

    /// <summary>The broker has been unreachable while data waited on the hub for <see cref="ParticipantOptions.HubOfflineAfter"/>. Red.</summary>
    HubOffline = 3,

    /// <summary>A tracker's battery is at or below <see cref="ParticipantOptions.BatteryLowPercent"/>. Amber.</summary>
    ChargeTracker = 4,

    /// <summary>A tracker has sent nothing for <see cref="ParticipantOptions.TrackerNotSeenAfter"/>. Amber.</summary>
    TrackerNotSeen = 5,

    /// <summary>The hub cannot use a tracker until the study team acts (profile missing, firmware not covered, other study). Red.</summary>
    TrackerBlocked = 6,

    /// <summary>No Bluetooth: BlueZ is not running or no adapter is there. Red.</summary>
    RadioProblem = 7,
}
