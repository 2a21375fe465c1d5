namespace Ingest.Gateway.Web.Participant;

/// <summary>The colour a state is shown in. Never the only signal: the page always pairs it with an icon and words.</summary>
internal enum ParticipantStateColour
{
    /// <summary>Nothing to do.</summary>
    Green = 0,

    /// <summary>Nothing to do yet, or nothing set up: information only.</summary>
    Neutral = 1,

    /// <summary>The participant can fix it (wear or charge the tracker).</summary>
    Amber = 2,

    /// <summary>Something is wrong with the hub or its connection.</summary>
    Red = 3,
}
