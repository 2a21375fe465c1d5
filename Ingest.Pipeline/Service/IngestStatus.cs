namespace Ingest.Pipeline.Service;

/// <summary>
/// A snapshot of the service for people and dashboards: the gateway's status line, the hub's health message on the status
/// topic and the summary on exit all render this. Totals count since this process started.
/// </summary>
public sealed record IngestStatus
{
    /// <summary>When the snapshot was taken (UTC).</summary>
    public required DateTimeOffset At { get; init; }

    /// <summary>When the service started (UTC).</summary>
    public required DateTimeOffset StartedAt { get; init; }

    /// <summary>Notifications read from the source.</summary>
    public long Notifications { get; init; }

    /// <summary>Notifications from devices that were not admitted (not enrolled); counted, never decoded.</summary>
    public long NotificationsNotAdmitted { get; init; }

    /// <summary>Samples (rows) decoded.</summary>
    public long Samples { get; init; }

    /// <summary>Notifications rejected by a decoder, all reasons.</summary>
    public long FramesRejected { get; init; }

    /// <summary>Batches sealed.</summary>
    public long BatchesSealed { get; init; }

    /// <summary>Batches durable in the spool.</summary>
    public long BatchesSpooled { get; init; }

    /// <summary>
    /// Sealed batches that could not be spooled before a stop because the spool stayed full for the whole grace period
    /// (the destination was unreachable): never accepted, never published. Zero unless the spool was full at the stop.
    /// </summary>
    public long BatchesNotSpooledAtStop { get; init; }

    /// <summary>Batches the destination accepted (broker PUBACK, or the outbox file durable).</summary>
    public long BatchesPublished { get; init; }

    /// <summary>Batches released from the spool (after PUBACK, or the platform's receipt when required).</summary>
    public long BatchesReleased { get; init; }

    /// <summary>Publishes that failed (will be retried; a refused batch stays spooled and is reported).</summary>
    public long PublishFailures { get; init; }

    /// <summary>Batches the destination refused for good (too large, not authorised): kept in the spool, retried after a restart.</summary>
    public long BatchesRefused { get; init; }

    /// <summary>The last publish problem, for people (what the broker or the disk said), or null.</summary>
    public string? LastPublishProblem { get; init; }

    /// <summary>Batches waiting in the spool (unreleased).</summary>
    public long Backlog { get; init; }

    /// <summary>Bytes the spool holds (unreleased and not yet reclaimed).</summary>
    public long SpoolBytes { get; init; }

    /// <summary>The spool's size limit.</summary>
    public long SpoolLimitBytes { get; init; }

    /// <summary>Hub time of the oldest sample not yet published, or null when nothing waits.</summary>
    public DateTimeOffset? OldestUnsentSample { get; init; }

    /// <summary>True while intake is paused because the spool is full.</summary>
    public bool IntakePaused { get; init; }

    /// <summary>Where batches go: e.g. <c>mqtt://broker:1883</c> or <c>outbox /var/lib/wearable-ingest/outbox</c>.</summary>
    public required string Destination { get; init; }

    /// <summary>The destination's state for people: "connected", "connecting", "disconnected: reason", "local".</summary>
    public required string DestinationState { get; init; }

    /// <summary>Broker reconnects so far.</summary>
    public long Reconnects { get; init; }

    /// <summary>Gap records written (disconnects, paused intake, hub downtime).</summary>
    public long Gaps { get; init; }

    /// <summary>Rows written to the devices' clock streams (device → hub clock mapping; connection starts, resets, estimates).</summary>
    public long ClockRows { get; init; }

    /// <summary>The devices seen since start, by pseudonym.</summary>
    public IReadOnlyList<DeviceStatus> Devices { get; init; } = [];

    /// <summary>
    /// The data streams of the devices seen since start (not their gaps and clock streams), one per device and stream, in
    /// the order they were first seen: what the hub got from the radio and how complete that is against the profile's
    /// nominal rate. Built when the snapshot is taken. Batches waiting in the spool per stream are not known cheaply (the
    /// spool counts records, not streams): <see cref="Backlog"/> is for the whole hub.
    /// </summary>
    public IReadOnlyList<StreamStatus> Streams { get; init; } = [];

    /// <summary>Set when the service stopped on a failure (the spool faulted, the source failed).</summary>
    public string? Failure { get; init; }
}

/// <summary>One device in <see cref="IngestStatus.Devices"/>.</summary>
/// <param name="Device">Device pseudonym.</param>
/// <param name="Participant">Participant pseudonym.</param>
/// <param name="ProfileId">Firmware profile.</param>
/// <param name="Connected">Whether its link is up.</param>
/// <param name="LastNotification">Hub time of its last notification, or null.</param>
/// <param name="Samples">Samples decoded from it.</param>
/// <param name="FramesRejected">Its notifications rejected by a decoder.</param>
public sealed record DeviceStatus(string Device, string Participant, string ProfileId, bool Connected, DateTimeOffset? LastNotification, long Samples, long FramesRejected);

/// <summary>One data stream in <see cref="IngestStatus.Streams"/>.</summary>
public sealed record StreamStatus
{
    /// <summary>Device pseudonym.</summary>
    public required string Device { get; init; }

    /// <summary>Participant pseudonym.</summary>
    public required string Participant { get; init; }

    /// <summary>Firmware profile of the device.</summary>
    public required string ProfileId { get; init; }

    /// <summary>The stream's id in the profile (e.g. <c>ecg</c>).</summary>
    public required string StreamId { get; init; }

    /// <summary>The profile's nominal samples per second, or null for an event stream (battery, heart rate per beat).</summary>
    public double? NominalRateHz { get; init; }

    /// <summary>Whether the device's link is up now.</summary>
    public bool Connected { get; init; }

    /// <summary>How long the device has been connected since start (all its links, summed).</summary>
    public TimeSpan ConnectedFor { get; init; }

    /// <summary>Samples decoded since start.</summary>
    public long Samples { get; init; }

    /// <summary>
    /// Samples the nominal rate promises over <see cref="ConnectedFor"/> (<see cref="StreamCompleteness.ExpectedSamples"/>),
    /// or null without a nominal rate.
    /// </summary>
    public long? ExpectedSamples { get; init; }

    /// <summary><see cref="Samples"/> ÷ <see cref="ExpectedSamples"/>, capped at 1; null when nothing is expected.</summary>
    public double? Completeness { get; init; }

    /// <summary>Hub time of the last sample, or null before the first.</summary>
    public DateTimeOffset? LastSample { get; init; }

    /// <summary>Notifications of this stream a decoder rejected.</summary>
    public long FramesRejected { get; init; }
}
