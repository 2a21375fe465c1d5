using Ingest.Gateway.Radio;
using Ingest.Pipeline.Profiles;
using Ingest.Pipeline.Service;
using Ingest.Tests.Support;

namespace Ingest.Tests.Web.Participant;

/// <summary>
/// A hub put in each participant state on a <see cref="FakeHubConsole"/>, at a fixed instant in a fixed time zone (UTC+1,
/// Berlin in winter), with pseudonyms and a hub id the tests look for in what the page must not show.
/// </summary>
internal static class ParticipantScenarios
{
    /// <summary>Now: 14:30 UTC, 15:30 on the hub's clock.</summary>
    public static readonly DateTimeOffset Now = new(2026, 11, 30, 14, 30, 0, TimeSpan.Zero);

    /// <summary>The hub's time zone.</summary>
    public static readonly TimeZoneInfo Zone = TimeZoneInfo.CreateCustomTimeZone("Test/UTC+1", TimeSpan.FromHours(1), "UTC+1", "UTC+1");

    public const string ParticipantPseudonym = "PX-7731";
    public const string DevicePseudonym = "DV-5520";
    public const string SecondDevicePseudonym = "DV-5521";
    public const string HubId = "hub-9f3c";
    public const string Study = "cardio-2";
    public const string Site = "site-west";

    /// <summary>Every scenario's name (a state's wire name, plus <c>two-trackers</c>).</summary>
    public static readonly IReadOnlyList<string> Names =
        ["working", "connecting", "no-tracker", "hub-offline", "charge-tracker", "tracker-not-seen", "tracker-blocked", "radio-problem", "two-trackers"];

    /// <summary>Identifiers that must never appear on the participant page or in its JSON.</summary>
    public static readonly IReadOnlyList<string> Identifiers = [ParticipantPseudonym, DevicePseudonym, SecondDevicePseudonym, HubId, Study, Site];

    private static readonly Lazy<IReadOnlyList<FirmwareProfile>> s_profiles = new(static () =>
    [
        ProfileLoader.Load(Path.Combine(Peers.RepositoryRoot, "firmware-profiles", "polar-h10")),
        ProfileLoader.Load(Path.Combine(Peers.RepositoryRoot, "firmware-profiles", "polar-verity-sense")),
    ]);

    /// <summary>A fake hub with the repository's Polar profiles, in <paramref name="scenario"/>.</summary>
    public static FakeHubConsole Hub(string scenario)
    {
        var hub = new FakeHubConsole(Peers.NewScratchDirectory("participant-" + scenario), profiles: s_profiles.Value)
        {
            Hub = new IngestOptions { HubId = HubId, Study = Study, Site = Site },
        };
        Set(hub, scenario);
        return hub;
    }

    /// <summary>Puts <paramref name="hub"/> in <paramref name="scenario"/>.</summary>
    public static void Set(FakeHubConsole hub, string scenario)
    {
        var ingest = Ingest("connected", oldestUnsent: Now.AddSeconds(-1));
        RadioStatus radio;
        switch (scenario)
        {
            case "working":
                radio = Radio(Tracker(DevicePseudonym));
                break;
            case "connecting":
                radio = Radio(Tracker(DevicePseudonym, TrackerLinkState.Connecting));
                break;
            case "no-tracker":
                radio = Radio();
                break;
            case "hub-offline":
                // Data has waited since 13:45 UTC (14:45 on the hub) while the broker is away.
                ingest = Ingest("disconnected: connection refused", oldestUnsent: Now.AddMinutes(-45));
                radio = Radio(Tracker(DevicePseudonym));
                break;
            case "charge-tracker":
                radio = Radio(Tracker(DevicePseudonym, battery: 9));
                break;
            case "tracker-not-seen":
                // Last data at 14:05 UTC: 15:05 on the hub.
                radio = Radio(Tracker(DevicePseudonym, TrackerLinkState.NotSeen, lastData: Now.AddMinutes(-25)));
                break;
            case "tracker-blocked":
                radio = Radio(Tracker(DevicePseudonym, TrackerLinkState.Blocked));
                break;
            case "radio-problem":
                radio = Radio(Tracker(DevicePseudonym, TrackerLinkState.NotSeen, lastData: Now.AddMinutes(-25))) with { BackendAvailable = false, Adapters = [] };
                break;
            case "two-trackers":
                // A chest strap that works and an arm band not seen since 15:05, while the broker is away.
                ingest = Ingest("disconnected: connection refused", oldestUnsent: Now.AddMinutes(-45));
                radio = Radio(Tracker(DevicePseudonym), Tracker(SecondDevicePseudonym, TrackerLinkState.NotSeen, lastData: Now.AddMinutes(-25), profile: "polar-verity-sense"));
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(scenario), scenario, "no such scenario");
        }

        hub.Ingest = ingest;
        hub.Radio = radio;
    }

    private static IngestStatus Ingest(string destinationState, DateTimeOffset? oldestUnsent) => new()
    {
        At = Now,
        StartedAt = Now.AddHours(-3),
        Destination = "mqtt://192.0.2.10:1883",
        DestinationState = destinationState,
        OldestUnsentSample = oldestUnsent,
    };

    private static RadioStatus Radio(params TrackerStatus[] trackers) =>
        new([new AdapterStatus("hci0", Powered: true, Discovering: true, Links: trackers.Length, MaxLinks: 7)], trackers, 0, 0, BackendAvailable: true,
            ["adapter hci0 (00:1A:7D:DA:71:13) example problem line that must not reach the page"]);

    private static TrackerStatus Tracker(string device, TrackerLinkState state = TrackerLinkState.Streaming, int? battery = 80, DateTimeOffset? lastData = null,
        string profile = "polar-h10") =>
        new(device, ParticipantPseudonym, profile, state, -58, battery,
            state == TrackerLinkState.Streaming ? ParticipantStatesTests.Ns(Now.AddHours(-1)) : 0,
            ParticipantStatesTests.Ns(lastData ?? Now.AddSeconds(-2)), 3, 0, 0, state == TrackerLinkState.Blocked ? "profile polar-h10 not on this hub" : null);
}

/// <summary>A clock that reads one instant in a given time zone (the page's times are checked to the minute).</summary>
internal sealed class ParticipantClock(DateTimeOffset now, TimeZoneInfo zone) : TimeProvider
{
    public DateTimeOffset Now { get; set; } = now;

    public override DateTimeOffset GetUtcNow() => Now;

    public override TimeZoneInfo LocalTimeZone => zone;
}
