using System.Threading.Channels;
using Ingest.Pipeline.Batching;
using Ingest.Pipeline.Captures;
using Ingest.Pipeline.Intake;
using Ingest.Pipeline.Service;

namespace Ingest.Bench.Pipeline.Service;

/// <summary>
/// Wraps the service's publisher (MQTT, or <see cref="AcceptingPublisher"/> for no broker) and counts what went through
/// it: batches accepted, transient and refused, payload bytes, and latency from a batch's first sample hub time to its
/// acknowledgement (what the service's own <c>wearable_ingest.publish.duration</c> records). With a
/// <see cref="NotificationLatency"/> it also records each notification's exact latency. Its counters are the harness's
/// check that no batch was lost: they must agree with the service's.
/// </summary>
internal sealed class MeasuringPublisher(IBatchPublisher inner, NotificationLatency? notifications = null) : IBatchPublisher
{
    private long _accepted;
    private long _transient;
    private long _refused;
    private long _payloadBytes;

    public long Accepted => Interlocked.Read(ref _accepted);

    public long Transient => Interlocked.Read(ref _transient);

    public long Refused => Interlocked.Read(ref _refused);

    /// <summary>Payload bytes of accepted batches.</summary>
    public long PayloadBytes => Interlocked.Read(ref _payloadBytes);

    /// <summary>Batch latency: first sample's hub time → acknowledgement (data streams only).</summary>
    public LatencyHistogram BatchLatency { get; } = new();

    /// <summary>Whether <see cref="BatchLatency"/> records (off while warming up).</summary>
    public bool RecordBatchLatency { get; set; }

    /// <summary>The last error the destination reported, for the harness's message.</summary>
    public string? LastProblem { get; private set; }

    public string Destination => inner.Destination;

    public string State => inner.State;

    public long Reconnects => inner.Reconnects;

    public ChannelReader<BatchIdentity> Receipts => inner.Receipts;

    public ValueTask<BatchPublishResult> PublishAsync(OutgoingBatch batch, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(batch);
        var (firstNs, lastNs) = HubTimes(batch);
        var range = notifications?.Published(batch, lastNs) ?? (-1, 0, 0);
        var pending = inner.PublishAsync(batch, cancellationToken);
        if (pending.IsCompletedSuccessfully)
        {
            Done(pending.Result, batch.Payload.Length, firstNs, range);
            return pending;
        }

        return AwaitAsync(pending, batch.Payload.Length, firstNs, range);
    }

    private async ValueTask<BatchPublishResult> AwaitAsync(ValueTask<BatchPublishResult> pending, int bytes, long firstNs, (int, int, int) range)
    {
        var result = await pending.ConfigureAwait(false);
        Done(result, bytes, firstNs, range);
        return result;
    }

    private void Done(BatchPublishResult result, int bytes, long firstNs, (int Stream, int From, int To) range)
    {
        switch (result.Outcome)
        {
            case BatchPublishOutcome.Accepted:
                var now = HubTime.ToUnixNs(DateTimeOffset.UtcNow);
                Interlocked.Increment(ref _accepted);
                Interlocked.Add(ref _payloadBytes, bytes);
                if (RecordBatchLatency && firstNs != 0)
                {
                    BatchLatency.Record(now - firstNs);
                }

                notifications?.RecordAcknowledged(range, now);
                break;
            case BatchPublishOutcome.Transient:
                Interlocked.Increment(ref _transient);
                LastProblem = result.Detail;
                break;
            default:
                Interlocked.Increment(ref _refused);
                LastProblem = result.Detail;
                break;
        }
    }

    /// <summary>First and last hub time from the batch's properties; 0 for the gaps streams (their rows are not samples).</summary>
    private static (long First, long Last) HubTimes(OutgoingBatch batch)
    {
        if (batch.Origin.StreamId == Gaps.StreamId)
        {
            return (0, 0);
        }

        long first = 0, last = 0;
        foreach (var property in batch.Properties.UserProperties)
        {
            if (property.Key == BatchMetadataKeys.FirstHubTime)
            {
                _ = CaptureReader.TryParseTime(property.Value, out first);
            }
            else if (property.Key == BatchMetadataKeys.LastHubTime)
            {
                _ = CaptureReader.TryParseTime(property.Value, out last);
            }
        }

        return (first, last);
    }

    public ValueTask DisposeAsync() => inner.DisposeAsync();
}

/// <summary>A destination that accepts every batch at once: the pipeline's cost without MQTT, for the split by stage.</summary>
internal sealed class AcceptingPublisher : IBatchPublisher
{
    private readonly Channel<BatchIdentity> _receipts = Channel.CreateUnbounded<BatchIdentity>();

    public string Destination => "nowhere (accepting)";

    public string State => "local";

    public long Reconnects => 0;

    public ChannelReader<BatchIdentity> Receipts => _receipts.Reader;

    public ValueTask<BatchPublishResult> PublishAsync(OutgoingBatch batch, CancellationToken cancellationToken) => new(BatchPublishResult.Accepted);

    public ValueTask DisposeAsync() => default;
}
