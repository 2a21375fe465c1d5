using Ingest.Pipeline.Batching;
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

    /// <summary>
    /// Batches landed at the same time: each landing waits on two fsyncs (≈ 5 ms each on this project's disks), and concurrent
    /// fsyncs share a journal commit, so overlapping a handful multiplies throughput; beyond 8 the disk, not the wait, limits.
    /// </summary>
    public const int LandingConcurrency = 8;

    /// <summary>
    /// Inspects a group in arrival order, lands the first occurrence of each identity concurrently, lands repeats after
    /// them (they are duplicates or conflicts of the first), then quarantines, answers and acknowledges in arrival order
    /// (PUBACKs go out in the order the PUBLISHes came [MQTT-4.6.0-2]). Nothing a payload contains can throw out of here.
    /// </summary>
    private async Task HandleGroupAsync(List<Delivery> group, CancellationToken cancellationToken)
    {
        Volatile.Write(ref _lastActivityTicks, _clock.Elapsed.Ticks);
        var inspections = new BatchInspection[group.Count];
        var outcomes = new LandingOutcome?[group.Count];
        var first = new List<int>(group.Count);
        var repeats = new List<int>();
        var seen = new HashSet<BatchIdentity>();
        for (var i = 0; i < group.Count; i++)
        {
            var delivery = group[i];
            inspections[i] = BatchInspector.Inspect(delivery.Topic, delivery.Payload, delivery.UserProperties, _options.MaximumPayloadBytes, _options.MaximumRows);
            if (inspections[i].Batch is { } batch)
            {
                (seen.Add(batch.Identity) ? first : repeats).Add(i);
            }
        }

        try
        {
            await Parallel.ForEachAsync(first, new ParallelOptions { MaxDegreeOfParallelism = LandingConcurrency, CancellationToken = cancellationToken },
                (index, _) =>
                {
                    LandOrReject(inspections, outcomes, index);
                    return ValueTask.CompletedTask;
                }).ConfigureAwait(false);
            foreach (var index in repeats)
            {
                LandOrReject(inspections, outcomes, index);
            }
        }
        finally
        {
            foreach (var inspection in inspections)
            {
                inspection.Batch?.Batch.Dispose();
            }
        }

        for (var i = 0; i < group.Count; i++)
        {
            await AnswerAsync(group[i], inspections[i], outcomes[i], cancellationToken).ConfigureAwait(false);
        }

        Volatile.Write(ref _lastActivityTicks, _clock.Elapsed.Ticks);
    }

    /// <summary>
    /// Lands one inspected batch. Disk errors propagate (the batch stays with the broker); anything else the Parquet writer
    /// throws is about the batch's content, which inspection should have caught: it becomes a rejection, not a crash.
    /// </summary>
    private void LandOrReject(BatchInspection[] inspections, LandingOutcome?[] outcomes, int index)
    {
        try
        {
            outcomes[index] = _store.Land(inspections[index].Batch!);
        }
#pragma warning disable CA1031 // see the summary: content errors from a native writer are a rejection
        catch (Exception ex) when (ex is not (IOException or UnauthorizedAccessException or OutOfMemoryException))
#pragma warning restore CA1031
        {
            inspections[index].Batch!.Batch.Dispose();
            inspections[index] = BatchInspection.Rejected($"could not be written as Parquet: {ex.GetType().Name}: {BatchInspector.Excerpt(ex.Message)}");
        }
    }

    private async Task AnswerAsync(Delivery delivery, BatchInspection inspection, LandingOutcome? outcome, CancellationToken cancellationToken)
    {
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

                break;
        }

        // A receipt the broker did not take leaves the batch unacknowledged: it comes again, lands as a duplicate and is answered then.
        if (await SendReceiptAsync(delivery, stored, reason, cancellationToken).ConfigureAwait(false))
        {
            await AcknowledgeAsync(delivery, cancellationToken).ConfigureAwait(false);
        }
    }
}
