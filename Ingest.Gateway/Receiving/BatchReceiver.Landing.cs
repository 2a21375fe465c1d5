using Ingest.Pipeline.Service;

namespace Ingest.Gateway.Receiving;

internal sealed partial class BatchReceiver
{
    /// <summary>User property of a receipt (the hub's <see cref="MqttBatchPublisher.ReceiptProperty"/>).</summary>
    public const string ReceiptProperty = MqttBatchPublisher.ReceiptProperty;

    /// <summary>User property of a rejecting receipt: why.</summary>
    public const string ReceiptReasonProperty = MqttBatchPublisher.ReceiptReasonProperty;

    /// <summary>Receipt value: the batch is durably stored (also for a duplicate with identical bytes).</summary>
    public const string ReceiptStored = "stored";

    /// <summary>Receipt value: the batch was refused (hash mismatch, unreadable, or its identity already stored with other bytes).</summary>
    public const string ReceiptRejected = "rejected";

    /// <summary>Inspect, land or quarantine, answer, then acknowledge. Nothing a payload contains can throw out of here.</summary>
    private async Task HandleAsync(Delivery delivery, CancellationToken cancellationToken)
    {
        Volatile.Write(ref _lastActivityTicks, _clock.Elapsed.Ticks);
        var inspection = BatchInspector.Inspect(delivery.Topic, delivery.Payload, delivery.UserProperties, _options.MaximumPayloadBytes, _options.MaximumRows);
        bool stored;
        string? reason = null;
        switch (inspection.Outcome)
        {
            case BatchInspectionOutcome.Ignored:
                Interlocked.Increment(ref _ignored);
                await AcknowledgeAsync(delivery, cancellationToken).ConfigureAwait(false);
                return;
            case BatchInspectionOutcome.Rejected:
                reason = inspection.Reason ?? "rejected";
                var where = _store.Quarantine(delivery.Topic, delivery.Payload, delivery.UserProperties, reason);
                Interlocked.Increment(ref _rejected);
                await Console.Error.WriteLineAsync($"receive: rejected a message on {BatchInspector.Excerpt(delivery.Topic)}: {reason} (kept as {where})").ConfigureAwait(false);
                stored = false;
                break;
            default:
                var batch = inspection.Batch!;
                using (batch.Batch)
                {
                    var outcome = _store.Land(batch);
                    switch (outcome)
                    {
                        case LandingOutcome.Stored:
                            Interlocked.Increment(ref _batches);
                            Interlocked.Add(ref _rows, batch.Rows);
                            if (!batch.HashVerified)
                            {
                                Interlocked.Increment(ref _unverified);
                            }

                            stored = true;
                            break;
                        case LandingOutcome.Duplicate:
                            Interlocked.Increment(ref _duplicates);
                            stored = true;
                            break;
                        default:
                            Interlocked.Increment(ref _conflicts);
                            reason = $"conflict: {batch.Identity.Hub}/{batch.Identity.Stream}/{batch.Identity.Sequence} is already stored with different bytes";
                            await Console.Error.WriteLineAsync("receive: " + reason + " (both kept in staging)").ConfigureAwait(false);
                            stored = false;
                            break;
                    }
                }

                break;
        }

        // A receipt the broker did not take leaves the batch unacknowledged: it comes again, lands as a duplicate and is answered then.
        if (await SendReceiptAsync(delivery, stored, reason, cancellationToken).ConfigureAwait(false))
        {
            await AcknowledgeAsync(delivery, cancellationToken).ConfigureAwait(false);
        }
    }
}
