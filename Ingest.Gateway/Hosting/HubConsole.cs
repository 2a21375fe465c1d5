using Ingest.Gateway.Radio;
using Ingest.Gateway.Registry;
using Ingest.Gateway.Web;
using Ingest.Pipeline.Profiles;
using Ingest.Pipeline.Service;

namespace Ingest.Gateway.Hosting;

/// <summary>
/// <see cref="IHubConsole"/> over the running hub: the service's and the radio supervisor's status, the supervisor's
/// nearby trackers and live checks, and the enrollment registry. Enrolling goes through the registry exactly as
/// <c>wearable-ingest enroll</c> does (same rules, same audit entry, with the signed-in nurse as actor); the running
/// supervisor picks the new enrollment up within a tick.
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
internal sealed class HubConsole(IngestOptions hub, IngestService service, HubIntake intake, string dataDirectory) : IHubConsole
{
    /// <inheritdoc />
    public IngestOptions Hub => hub;

    /// <inheritdoc />
    public IngestStatus Ingest => service.Status;

    /// <inheritdoc />
    public RadioStatus Radio => intake.Supervisor.Status;

    /// <inheritdoc />
    public IReadOnlyList<FirmwareProfile> Profiles => intake.Profiles;

    /// <inheritdoc />
    public EnrollmentRegistry? Registry => intake.Registry;

    /// <inheritdoc />
    public string DataDirectory => dataDirectory;

    /// <inheritdoc />
    public IReadOnlyList<NearbyTracker> Nearby() => intake.Supervisor.Nearby;

    /// <inheritdoc />
    public LiveCheckView? StartLiveCheck(string candidate, string staff)
    {
        var view = intake.Supervisor.StartLiveCheck(candidate);
        if (view is not null && Registry is { } registry)
        {
            registry.Audit.Append(staff, AuditActions.LiveCheck, $"device {candidate}", "live check before binding: signal shown, nothing kept",
                System.Text.Json.JsonSerializer.Serialize(new Dictionary<string, string> { ["study"] = hub.Study, ["profile"] = view.ProfileId }));
        }

        return view;
    }

    /// <inheritdoc />
    public LiveCheckView? LiveCheck(string candidate) => intake.Supervisor.GetLiveCheck(candidate);

    /// <inheritdoc />
    public void StopLiveCheck(string candidate) => intake.Supervisor.StopLiveCheck(candidate);

    /// <inheritdoc />
    public EnrollmentResult Enroll(string candidate, string participant, string profileId, string reason, string staff, bool swap)
    {
        var registry = Registry ?? throw new RegistryException("this hub runs simulated trackers enrolled in memory (run --simulate); enroll on a hub that runs on its radio");
        var (address, type) = intake.Supervisor.AddressOf(candidate)
            ?? throw new KeyNotFoundException("the hub no longer hears this tracker; bring it closer and look for it again");
        var result = registry.Enroll(new EnrollmentRequest
        {
            Study = hub.Study,
            Site = hub.Site,
            Participant = participant,
            ProfileId = profileId,
            Address = address,
            AddressType = type,
            Reason = reason,
            Actor = staff,
            Swap = swap,
        });
        intake.Supervisor.StopLiveCheck(candidate);
        return result;
    }
}
