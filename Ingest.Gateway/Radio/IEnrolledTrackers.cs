using Ingest.Pipeline.Intake.Radio;

namespace Ingest.Gateway.Radio;

/// <summary>
/// What the radio supervisor asks the enrollment registry (<c>Registry/</c>): which trackers to connect, and whose they
/// are. Only a tracker this returns is ever connected; everything else is refused and counted. Implementations read
/// the registry database, which <c>enroll</c>/<c>unenroll</c> change while the service runs: <see cref="Version"/>
/// changes whenever the enrolled set does, and the supervisor polls it.
/// Thread-safety: any thread; calls are cheap (in-memory after a load) and never block on the radio.
/// </summary>
public interface IEnrolledTrackers
{
    /// <summary>Changes whenever an enrollment is added, ended or swapped (cheap to poll).</summary>
    long Version { get; }

    /// <summary>The trackers enrolled now.</summary>
    IReadOnlyList<EnrolledTracker> List();

    /// <summary>
    /// The enrollment of the tracker behind <paramref name="address"/>: equal to an enrolled public or static address,
    /// or a resolvable private address that an enrolled tracker's identity resolving key resolves. Null otherwise.
    /// </summary>
    EnrolledTracker? Find(string address, BleAddressType addressType);

    /// <summary>
    /// Records that a tracker matching a profile was seen and not admitted (counted; audited at most once per device and
    /// run, under its keyed pseudonym, never its address).
    /// </summary>
    void RecordRefusal(string address, string? profileId, string reason);

    /// <summary>
    /// The device pseudonym <paramref name="address"/> has, or would have once enrolled, in this hub's study: how the
    /// nurse pages name a tracker near the hub without showing its address. Null when the address is not valid.
    /// </summary>
    string? PseudonymOf(string address);
}

/// <summary>An enrolled tracker as the supervisor needs it. No radio address: the registry keeps that.</summary>
/// <param name="DevicePseudonym">Keyed pseudonym of the device (HMAC of its identity address with the study's hub-local key).</param>
/// <param name="Participant">Participant pseudonym, as the nurse entered it.</param>
/// <param name="Study">Study id.</param>
/// <param name="Site">Site id.</param>
/// <param name="ProfileId">The firmware profile that decodes it.</param>
public sealed record EnrolledTracker(string DevicePseudonym, string Participant, string Study, string Site, string ProfileId);
