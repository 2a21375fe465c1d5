using Ingest.Gateway.Radio;
using Ingest.Gateway.Registry;
using Ingest.Pipeline.Profiles;
using Ingest.Pipeline.Service;

namespace Ingest.Gateway.Web;

/// <summary>
/// What the web pages see of the running hub, and the few things they may ask of it. The hub host implements it over the
/// live service, the radio supervisor and the enrollment registry; tests may implement it over a rig. Everything here is
/// safe to call from any request thread. Nothing here carries a radio address: a tracker near the hub is named by the
/// device pseudonym it would have in this hub's study (<see cref="NearbyTracker.Candidate"/>).
/// </summary>
internal interface IHubConsole
{
    /// <summary>This hub: id, study, site.</summary>
    IngestOptions Hub { get; }

    /// <summary>The pipeline now (rates, backlog, spool, destination, per-device counters).</summary>
    IngestStatus Ingest { get; }

    /// <summary>The radio now (adapters, enrolled trackers' links, problems).</summary>
    RadioStatus Radio { get; }

    /// <summary>The firmware profiles this hub has.</summary>
    IReadOnlyList<FirmwareProfile> Profiles { get; }

    /// <summary>
    /// The enrollment registry and audit trail, or null when the hub runs simulated trackers enrolled in memory
    /// (<c>run --simulate</c>): onboarding then has nothing to enroll into, and the pages say so.
    /// </summary>
    EnrollmentRegistry? Registry { get; }

    /// <summary>The data directory (disk space checks).</summary>
    string DataDirectory { get; }

    /// <summary>Trackers heard now that match a profile, enrolled or not, strongest signal first.</summary>
    IReadOnlyList<NearbyTracker> Nearby();

    /// <summary>
    /// Connects a tracker that is not enrolled, for a few minutes, so a nurse sees its signal before binding it: its
    /// streams are decoded for the live view only and never spooled or published. Starting one that runs is a no-op that
    /// extends it. Audited under <paramref name="staff"/>.
    /// </summary>
    /// <returns>The check's view, or null when no tracker near the hub has that candidate id.</returns>
    LiveCheckView? StartLiveCheck(string candidate, string staff);

    /// <summary>The live check's view now (null: none for that candidate).</summary>
    LiveCheckView? LiveCheck(string candidate);

    /// <summary>Ends a live check (the link is dropped at once).</summary>
    void StopLiveCheck(string candidate);

    /// <summary>
    /// Enrolls the tracker behind <paramref name="candidate"/>: the registry's own <see cref="EnrollmentRegistry.Enroll"/>
    /// with the address only the hub knows. A live check of it ends; the supervisor connects it as enrolled.
    /// </summary>
    /// <exception cref="RegistryException">A rule refused it (the message says which and what to change).</exception>
    /// <exception cref="KeyNotFoundException">No tracker near the hub has that candidate id (it went away).</exception>
    EnrollmentResult Enroll(string candidate, string participant, string profileId, string reason, string staff, bool swap);
}

/// <summary>A tracker heard near the hub.</summary>
/// <param name="Candidate">Its device pseudonym in this hub's study (the same one it gets when enrolled).</param>
/// <param name="Name">Advertised name, if any (the model and the serial printed on the device).</param>
/// <param name="ProfileId">The profile it matches, by advertisement.</param>
/// <param name="Rssi">Signal strength, dBm.</param>
/// <param name="BatteryPercent">Battery, when known (read by a live check or while connected), else null.</param>
/// <param name="Participant">The participant it is enrolled to, or null when not enrolled.</param>
/// <param name="LastSeenNs">When the hub last heard it (UTC ns).</param>
internal sealed record NearbyTracker(string Candidate, string? Name, string ProfileId, short? Rssi, int? BatteryPercent, string? Participant, long LastSeenNs);

/// <summary>Where a live check is.</summary>
internal enum LiveCheckState
{
    /// <summary>Connecting and starting the streams.</summary>
    Connecting,

    /// <summary>Streams flowing.</summary>
    Streaming,

    /// <summary>The tracker went away (link lost, out of range); <see cref="LiveCheckView.Problem"/> says what happened.</summary>
    Lost,

    /// <summary>Connect or setup failed; <see cref="LiveCheckView.Problem"/> says why.</summary>
    Failed,

    /// <summary>Ended by the nurse, by enrollment, or because it ran its time.</summary>
    Ended,
}

/// <summary>A live check now.</summary>
/// <param name="Candidate">The tracker.</param>
/// <param name="ProfileId">Its profile.</param>
/// <param name="State">Where it is.</param>
/// <param name="Problem">What went wrong, in words, or null.</param>
/// <param name="BatteryPercent">Battery read at connect, if the tracker has the service.</param>
/// <param name="Streams">Each stream of the profile.</param>
/// <param name="StartedNs">When the check started (UTC ns).</param>
/// <param name="EndsNs">When it ends unless extended (UTC ns).</param>
internal sealed record LiveCheckView(string Candidate, string ProfileId, LiveCheckState State, string? Problem, int? BatteryPercent,
    IReadOnlyList<LiveStreamView> Streams, long StartedNs, long EndsNs);

/// <summary>One stream of a live check.</summary>
/// <param name="Stream">Stream id in the profile.</param>
/// <param name="Column">The column shown (heart rate, ECG voltage, acceleration x).</param>
/// <param name="Unit">Its unit.</param>
/// <param name="ExpectedRate">Samples per second the profile says (null: irregular, like heart rate per beat).</param>
/// <param name="MeasuredRate">Samples per second over the last seconds.</param>
/// <param name="Samples">Samples decoded since the check started.</param>
/// <param name="Recent">The last seconds of <paramref name="Column"/>, oldest first, at most <see cref="LiveStreamView.MaxRecent"/> points (scaled to the unit).</param>
internal sealed record LiveStreamView(string Stream, string Column, string? Unit, double? ExpectedRate, double MeasuredRate, long Samples, IReadOnlyList<double> Recent)
{
    /// <summary>Most points a live view carries (a small chart).</summary>
    public const int MaxRecent = 256;
}
