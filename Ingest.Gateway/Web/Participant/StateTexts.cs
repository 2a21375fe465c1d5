namespace Ingest.Gateway.Web.Participant;

/// <summary>One state's words in one language.</summary>
/// <param name="Title">The big line, when the participant has one tracker (or the state is about the hub).</param>
/// <param name="TitleNamed">The big line naming the tracker (<c>{name}</c>) when they wear more than one; null: same as <paramref name="Title"/>.</param>
/// <param name="Action">The one thing to do.</param>
/// <param name="TrackerLabel">A tracker in this state, in the tracker list (empty for states that are about the hub).</param>
internal sealed record StateTexts(string Title, string? TitleNamed, string Action, string TrackerLabel);
