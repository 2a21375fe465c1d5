namespace Ingest.Gateway.Web.Participant;

/// <summary>A state that holds, with the time its data carries (if any) and the tracker it is about (if any).</summary>
/// <param name="State">The state.</param>
/// <param name="Since">
/// Its own time: a tracker's last data for <see cref="ParticipantStateCode.TrackerNotSeen"/>, the oldest waiting sample for
/// <see cref="ParticipantStateCode.HubOffline"/>; null for the others.
/// </param>
/// <param name="Subject">Device pseudonym of the tracker it is about, or null when it is about the hub.</param>
internal readonly record struct ParticipantCondition(ParticipantStateCode State, DateTimeOffset? Since, string? Subject);
