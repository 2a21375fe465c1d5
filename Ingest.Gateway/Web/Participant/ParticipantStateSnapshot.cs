namespace Ingest.Gateway.Web.Participant;

/// <summary>The participant states of a hub at one moment: the page's view of the whole hub and one per participant.</summary>
/// <param name="At">When it was evaluated.</param>
/// <param name="Hub">Every tracker on the hub together (what the participant page shows; <see cref="ParticipantState.Participant"/> is null).</param>
/// <param name="Participants">One per participant with an enrolled tracker, in the radio's order (the status topic's <c>participants</c>).</param>
internal sealed record ParticipantStateSnapshot(DateTimeOffset At, ParticipantState Hub, IReadOnlyList<ParticipantState> Participants);
