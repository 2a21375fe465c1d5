namespace Ingest.Gateway.Web.Participant;

/// <summary>
/// When the participant page (and the status topic's participant state) says something other than "working"
/// (<c>Participant:*</c>).
/// </summary>
internal sealed record ParticipantOptions
{
    /// <summary>Languages the page speaks (ISO 639-1).</summary>
    public static readonly IReadOnlyList<string> Languages = ["en", "de", "fr"];

    /// <summary>The page's language when the browser asks for none we have (<c>Participant:Language</c>, default en).</summary>
    public string Language { get; init; } = "en";

    /// <summary>"Tracker not seen since …" after this long without data (<c>Participant:TrackerNotSeenAfter</c>, default 10 min).</summary>
    public TimeSpan TrackerNotSeenAfter { get; init; } = TimeSpan.FromMinutes(10);

    /// <summary>"Charge the tracker" at or below this battery level (<c>Participant:BatteryLowPercent</c>, default 15).</summary>
    public int BatteryLowPercent { get; init; } = 15;

    /// <summary>"Hub offline from the trial" when nothing reached the platform for this long (<c>Participant:HubOfflineAfter</c>, default 30 min).</summary>
    public TimeSpan HubOfflineAfter { get; init; } = TimeSpan.FromMinutes(30);
}
