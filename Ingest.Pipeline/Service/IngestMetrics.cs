using System.Diagnostics.Metrics;
using Ingest.Pipeline.Decoding;

namespace Ingest.Pipeline.Service;

/// <summary>
/// The service's counters, kept as plain fields on the stage that owns each (so counting costs an increment, no
/// allocation, no lock) and published through <see cref="System.Diagnostics.Metrics"/> as observable instruments of the
/// meter <see cref="MeterName"/>, which any listener (OpenTelemetry, dotnet-counters) reads. Each field has one writer;
/// readers on other threads may see a value a moment old.
/// <para>
/// Names follow OpenTelemetry's semantic-convention naming: lower-case dot-separated namespaces under
/// <c>wearable_ingest</c>, snake_case words, no <c>total</c> in counter names, UCUM units with <c>{annotation}</c> for
/// counts (<c>By</c>, <c>s</c>), <c>.usage</c>/<c>.limit</c> for a limited resource. Device labels carry pseudonyms only,
/// and at most <see cref="MaxLabelledDevices"/> of them (docs/metrics.md lists every instrument).
/// </para>
/// </summary>
internal sealed class IngestMetrics : IDisposable
{
    /// <summary>The meter's name.</summary>
    public const string MeterName = "WearableIngest";

    /// <summary>
    /// Devices given their own <c>device</c> label, in the order the service first saw them; the rest are summed under
    /// <see cref="OtherDevices"/>. A hub carries a handful of trackers; the cap keeps a misconfigured hub (or a study
    /// that enrolls hundreds on one) from flooding the metrics store with series.
    /// </summary>
    public const int MaxLabelledDevices = 32;

    /// <summary>The <c>device</c> label of the devices past <see cref="MaxLabelledDevices"/> (not a possible pseudonym).</summary>
    public const string OtherDevices = "other";

    /// <summary>Publish duration buckets (s): a batch waits up to its age limit before it is sealed, then the broker's round trip.</summary>
    private static readonly double[] s_publishDurationBuckets = [0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 30, 60, 300];

    private readonly Meter _meter;
    private readonly Histogram<double> _publishDuration;
    private readonly Func<IngestStatus> _status;
    private readonly Func<IReadOnlyList<DeviceClockOffset>> _clocks;

    // Decode loop.
    public long Notifications;
    public long NotificationsNotAdmitted;
    public long Samples;
    public long FramesRejected;
    public readonly long[] RejectedByReason = new long[Enum.GetValues<RejectReason>().Length + 1];
    public long BatchesSealed;
    public long Gaps;
    public long ClockRows;

    // Spool stage.
    public long BatchesSpooled;
    public long BatchesNotSpooledAtStop;

    // Publish stage.
    public long BatchesPublished;
    public long PublishFailures;
    public long BatchesRefused;
    public long ReceiptRepublishes;

    // Release stage.
    public long BatchesReleased;

    /// <summary>Creates the meter and its instruments over the service's fields and readings.</summary>
    /// <param name="status">The service's status (spool, backlog, broker, <see cref="IngestStatus.Streams"/>).</param>
    /// <param name="clocks">Latest clock offsets (see <see cref="IngestService.ClockOffsets"/>).</param>
    public IngestMetrics(Func<IngestStatus> status, Func<IReadOnlyList<DeviceClockOffset>>? clocks = null)
    {
        _status = status;
        _clocks = clocks ?? (static () => []);
        _meter = new Meter(MeterName);

        // Intake and decoding.
        _meter.CreateObservableCounter("wearable_ingest.notifications", () => Volatile.Read(ref Notifications), "{notification}",
            "Notifications read from the radio or simulator");
        _meter.CreateObservableCounter("wearable_ingest.notifications.not_admitted", () => Volatile.Read(ref NotificationsNotAdmitted), "{notification}",
            "Notifications from devices not enrolled; never decoded");
        _meter.CreateObservableCounter("wearable_ingest.samples", () => Volatile.Read(ref Samples), "{sample}", "Samples decoded, all devices");
        _meter.CreateObservableCounter("wearable_ingest.frames.rejected", RejectedMeasurements, "{frame}", "Notifications a decoder rejected, by reason");
        _meter.CreateObservableCounter("wearable_ingest.gaps", () => Volatile.Read(ref Gaps), "{gap}", "Gap records written (disconnects, paused intake, hub downtime, lost frames)");
        _meter.CreateObservableCounter("wearable_ingest.clock.rows", () => Volatile.Read(ref ClockRows), "{row}", "Device clock mapping rows written");

        // Per stream and device (pseudonyms; at most MaxLabelledDevices).
        _meter.CreateObservableCounter("wearable_ingest.stream.samples", StreamSampleMeasurements, "{sample}", "Samples decoded, by device and stream");
        _meter.CreateObservableCounter("wearable_ingest.stream.samples.expected", ExpectedSampleMeasurements, "{sample}",
            "Samples the profile's nominal rate expects over the time the device was connected, by device and stream (streams with a nominal rate)");
        _meter.CreateObservableGauge("wearable_ingest.device.clock.offset", ClockOffsetMeasurements, "s",
            "Latest estimate of hub clock minus device clock, by device (includes the link's smallest delivery delay)");

        // Batches.
        _meter.CreateObservableCounter("wearable_ingest.batches.sealed", () => Volatile.Read(ref BatchesSealed), "{batch}", "Batches sealed and encoded");
        _meter.CreateObservableCounter("wearable_ingest.batches.spooled", () => Volatile.Read(ref BatchesSpooled), "{batch}", "Batches durable in the spool");
        _meter.CreateObservableCounter("wearable_ingest.batches.published", () => Volatile.Read(ref BatchesPublished), "{batch}", "Batches the destination acknowledged");
        _meter.CreateObservableCounter("wearable_ingest.batches.released", () => Volatile.Read(ref BatchesReleased), "{batch}", "Batches released from the spool");
        _meter.CreateObservableCounter("wearable_ingest.batches.refused", () => Volatile.Read(ref BatchesRefused), "{batch}",
            "Batches the destination refused for good (kept in the spool)");
        _meter.CreateObservableCounter("wearable_ingest.batches.republished", () => Volatile.Read(ref ReceiptRepublishes), "{batch}",
            "Batches published again because their receipt did not come in time or the broker reconnected");
        _meter.CreateObservableCounter("wearable_ingest.publish.failures", () => Volatile.Read(ref PublishFailures), "{failure}", "Publishes that failed (retried)");
        _publishDuration = _meter.CreateHistogram("wearable_ingest.publish.duration", "s",
            "From the hub receive time of a batch's first sample to the destination's acknowledgement",
            tags: null, advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = s_publishDurationBuckets });

        // Spool and broker.
        _meter.CreateObservableUpDownCounter("wearable_ingest.spool.backlog", () => status().Backlog, "{batch}", "Batches waiting in the spool (not yet released)");
        _meter.CreateObservableGauge("wearable_ingest.spool.oldest_unsent.age",
            () => status() is { OldestUnsentSample: { } oldest, At: var at } ? Math.Max(0, (at - oldest).TotalSeconds) : 0,
            "s", "Age of the oldest sample not yet published; 0 when nothing waits");
        _meter.CreateObservableUpDownCounter("wearable_ingest.spool.usage", () => status().SpoolBytes, "By", "Bytes the spool holds");
        _meter.CreateObservableUpDownCounter("wearable_ingest.spool.limit", () => status().SpoolLimitBytes, "By", "The spool's size limit (Spool:MaxBytes)");
        _meter.CreateObservableGauge("wearable_ingest.intake.paused", () => status().IntakePaused ? 1 : 0, unit: null,
            "1 while intake waits for spool space, else 0");
        _meter.CreateObservableCounter("wearable_ingest.broker.reconnects", () => status().Reconnects, "{reconnect}", "Broker reconnects");
    }

    /// <summary>The meter (one per service).</summary>
    public Meter Meter => _meter;

    /// <summary>Records one acknowledged batch's publish duration.</summary>
    public void RecordPublishDuration(TimeSpan duration) => _publishDuration.Record(duration.TotalSeconds);

    /// <inheritdoc />
    public void Dispose() => _meter.Dispose();

    private IEnumerable<Measurement<long>> RejectedMeasurements()
    {
        foreach (var reason in Enum.GetValues<RejectReason>())
        {
            // Every reason, also at 0: a series that exists from the start gives rate() and alerts a baseline.
            var count = Volatile.Read(ref RejectedByReason[(int)reason]);
            if (reason != RejectReason.None)
            {
                yield return new Measurement<long>(count, new KeyValuePair<string, object?>("reason", reason.ToString()));
            }
        }
    }

    private List<Measurement<long>> StreamSampleMeasurements()
    {
        var sums = SumByLabel(_status().Streams, static s => s.Samples);
        var list = new List<Measurement<long>>(sums.Count);
        foreach (var ((device, stream), value) in sums)
        {
            list.Add(new Measurement<long>((long)value, new("device", device), new("stream", stream)));
        }

        return list;
    }

    private List<Measurement<double>> ExpectedSampleMeasurements()
    {
        var sums = SumByLabel(_status().Streams, static s => s.ExpectedSamples);
        var list = new List<Measurement<double>>(sums.Count);
        foreach (var ((device, stream), value) in sums)
        {
            list.Add(new Measurement<double>(value, new("device", device), new("stream", stream)));
        }

        return list;
    }

    private List<Measurement<double>> ClockOffsetMeasurements()
    {
        var offsets = _clocks();
        var list = new List<Measurement<double>>(Math.Min(offsets.Count, MaxLabelledDevices));
        foreach (var offset in offsets)
        {
            // A gauge cannot be summed across devices: the devices past the cap are left out.
            if (list.Count == MaxLabelledDevices)
            {
                break;
            }

            list.Add(new Measurement<double>(offset.OffsetNs / 1e9, new KeyValuePair<string, object?>("device", offset.Device)));
        }

        return list;
    }

    /// <summary>
    /// Values by (device, stream), the devices past <see cref="MaxLabelledDevices"/> (in first-seen order, which never
    /// changes in a run, so each sum only grows) summed under <see cref="OtherDevices"/>. Null values are left out.
    /// </summary>
    private static Dictionary<(string Device, string Stream), double> SumByLabel(IReadOnlyList<StreamStatus> streams, Func<StreamStatus, double?> value)
    {
        var labelled = new HashSet<string>(StringComparer.Ordinal);
        var sums = new Dictionary<(string, string), double>();
        foreach (var stream in streams)
        {
            var device = labelled.Contains(stream.Device) || (labelled.Count < MaxLabelledDevices && labelled.Add(stream.Device)) ? stream.Device : OtherDevices;
            if (value(stream) is not { } v)
            {
                continue;
            }

            var key = (device, stream.StreamId);
            sums[key] = sums.GetValueOrDefault(key) + v;
        }

        return sums;
    }
}
