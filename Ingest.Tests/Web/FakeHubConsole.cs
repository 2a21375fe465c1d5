using Ingest.Gateway.Radio;
using Ingest.Gateway.Registry;
using Ingest.Gateway.Web;
using Ingest.Pipeline.Profiles;
using Ingest.Pipeline.Service;

namespace Ingest.Tests.Web;

/// <summary>
/// A hub the web pages can be shown over in page tests: every property is set by the test, so a page can be put in any
/// state (tracker not seen, battery low, broker away) without waiting for a real hub to get there. Flow tests use the real
/// gateway instead (the simulated radio or the BlueZ mock).
/// </summary>
internal sealed class FakeHubConsole : IHubConsole
{
    private readonly Dictionary<string, LiveCheckView> _checks = new(StringComparer.Ordinal);

    public FakeHubConsole(string dataDirectory, EnrollmentRegistry? registry = null, IReadOnlyList<FirmwareProfile>? profiles = null)
    {
        DataDirectory = dataDirectory;
        Registry = registry;
        Profiles = profiles ?? [];
        var now = DateTimeOffset.UtcNow;
        Ingest = new IngestStatus { At = now, StartedAt = now.AddMinutes(-5), Destination = "outbox", DestinationState = "writing" };
    }

    public IngestOptions Hub { get; set; } = new() { HubId = "hub-test", Study = "study-a", Site = "site-1" };

    public IngestStatus Ingest { get; set; }

    public RadioStatus Radio { get; set; } = RadioStatus.Empty;

    public IReadOnlyList<FirmwareProfile> Profiles { get; set; }

    public EnrollmentRegistry? Registry { get; set; }

    public string DataDirectory { get; set; }

    /// <summary>What <see cref="Nearby"/> returns.</summary>
    public List<NearbyTracker> NearbyTrackers { get; } = [];

    /// <summary>Addresses behind candidates (what only the hub knows), for <see cref="Enroll"/>.</summary>
    public Dictionary<string, string> Addresses { get; } = new(StringComparer.Ordinal);

    /// <summary>Live checks started, by candidate and staff name, in order.</summary>
    public List<(string Candidate, string Staff)> LiveChecksStarted { get; } = [];

    /// <summary>The view a started live check returns (set by the test; default: connecting, no streams).</summary>
    public Func<string, LiveCheckView>? LiveCheckViews { get; set; }

    public IReadOnlyList<NearbyTracker> Nearby() => [.. NearbyTrackers];

    public LiveCheckView? StartLiveCheck(string candidate, string staff)
    {
        if (!NearbyTrackers.Any(t => t.Candidate == candidate))
        {
            return null;
        }

        LiveChecksStarted.Add((candidate, staff));
        return LiveCheck(candidate);
    }

    public LiveCheckView? LiveCheck(string candidate)
    {
        if (!LiveChecksStarted.Any(c => c.Candidate == candidate))
        {
            return null;
        }

        var view = LiveCheckViews?.Invoke(candidate)
            ?? new LiveCheckView(candidate, NearbyTrackers.First(t => t.Candidate == candidate).ProfileId, LiveCheckState.Connecting, null, null, [], 0, 0);
        _checks[candidate] = view;
        return view;
    }

    public void StopLiveCheck(string candidate) => LiveChecksStarted.RemoveAll(c => c.Candidate == candidate);

    public EnrollmentResult Enroll(string candidate, string participant, string profileId, string reason, string staff, bool swap)
    {
        if (Registry is null || !Addresses.TryGetValue(candidate, out var address))
        {
            throw new KeyNotFoundException(candidate);
        }

        StopLiveCheck(candidate);
        return Registry.Enroll(new EnrollmentRequest
        {
            Study = Hub.Study, Site = Hub.Site, Participant = participant, ProfileId = profileId, Address = address, Reason = reason, Actor = staff, Swap = swap,
        });
    }
}
