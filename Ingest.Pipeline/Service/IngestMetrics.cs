using System.Diagnostics.Metrics;
using Ingest.Pipeline.Decoding;

namespace Ingest.Pipeline.Service;

/// <summary>
/// The service's counters, kept as plain fields on the stage that owns each (so counting costs an increment, no
/// allocation, no lock) and published through <see cref="System.Diagnostics.Metrics"/> as observable instruments of the
/// meter <see cref="MeterName"/>, which any listener (OpenTelemetry, dotnet-counters, the web page of issue 11) reads.
/// Each field has one writer; readers on other threads may see a value a moment old.
/// </summary>
internal sealed class IngestMetrics : IDisposable
{
    /// <summary>The meter's name.</summary>
    public const string MeterName = "WearableIngest";

    private readonly Meter _meter;
    private readonly Histogram<double> _publishLatency;

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

    public IngestMetrics(Func<IngestStatus> status)
    {
        _meter = new Meter(MeterName);
        _meter.CreateObservableCounter("wearable_ingest.notifications", () => Volatile.Read(ref Notifications), description: "notifications read from the radio or simulator");
        _meter.CreateObservableCounter("wearable_ingest.notifications.not_admitted", () => Volatile.Read(ref NotificationsNotAdmitted), description: "notifications from devices not enrolled; never decoded");
        _meter.CreateObservableCounter("wearable_ingest.samples", () => Volatile.Read(ref Samples), description: "samples decoded");
        _meter.CreateObservableCounter("wearable_ingest.frames.rejected", RejectedMeasurements, description: "notifications a decoder rejected, by reason");
        _meter.CreateObservableCounter("wearable_ingest.batches.sealed", () => Volatile.Read(ref BatchesSealed));
        _meter.CreateObservableCounter("wearable_ingest.batches.spooled", () => Volatile.Read(ref BatchesSpooled));
        _meter.CreateObservableCounter("wearable_ingest.batches.published", () => Volatile.Read(ref BatchesPublished));
        _meter.CreateObservableCounter("wearable_ingest.batches.released", () => Volatile.Read(ref BatchesReleased));
        _meter.CreateObservableCounter("wearable_ingest.publish.failures", () => Volatile.Read(ref PublishFailures));
        _meter.CreateObservableCounter("wearable_ingest.receipts.republished", () => Volatile.Read(ref ReceiptRepublishes),
            description: "batches published again because their receipt did not come in time or the broker reconnected");
        _meter.CreateObservableCounter("wearable_ingest.gaps", () => Volatile.Read(ref Gaps), description: "gap records written");
        _meter.CreateObservableCounter("wearable_ingest.clock_rows", () => Volatile.Read(ref ClockRows), description: "device clock mapping rows written");
        _meter.CreateObservableCounter("wearable_ingest.reconnects", () => status().Reconnects, description: "broker reconnects");
        _meter.CreateObservableGauge("wearable_ingest.spool.bytes", () => status().SpoolBytes, unit: "By");
        _meter.CreateObservableGauge("wearable_ingest.spool.backlog", () => status().Backlog, description: "batches waiting in the spool");
        _meter.CreateObservableGauge("wearable_ingest.spool.oldest_age", () => status() is { OldestUnsentSample: { } oldest, At: var at } ? (at - oldest).TotalSeconds : 0,
            unit: "s", description: "age of the oldest sample not yet published");
        _meter.CreateObservableGauge("wearable_ingest.intake.paused", () => status().IntakePaused ? 1 : 0, description: "1 while intake waits for spool space");
        _publishLatency = _meter.CreateHistogram<double>("wearable_ingest.publish.latency", unit: "ms",
            description: "from the hub receive time of a batch's first sample to the destination's acknowledgement");
    }

    /// <summary>The meter (one per service).</summary>
    public Meter Meter => _meter;

    /// <summary>Records one acknowledged batch's latency.</summary>
    public void RecordPublishLatency(TimeSpan latency) => _publishLatency.Record(latency.TotalMilliseconds);

    /// <inheritdoc />
    public void Dispose() => _meter.Dispose();

    private IEnumerable<Measurement<long>> RejectedMeasurements()
    {
        foreach (var reason in Enum.GetValues<RejectReason>())
        {
            var count = Volatile.Read(ref RejectedByReason[(int)reason]);
            if (reason != RejectReason.None && count > 0)
            {
                yield return new Measurement<long>(count, new KeyValuePair<string, object?>("reason", reason.ToString()));
            }
        }
    }
}
