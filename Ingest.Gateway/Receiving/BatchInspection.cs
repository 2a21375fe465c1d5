namespace Ingest.Gateway.Receiving;

/// <summary>What <see cref="BatchInspector.Inspect"/> made of one message: a batch to land, a message to ignore, or a rejection with its reason.</summary>
internal readonly record struct BatchInspection(BatchInspectionOutcome Outcome, ReceivedBatch? Batch, string? Reason)
{
    public static BatchInspection Accepted(ReceivedBatch batch) => new(BatchInspectionOutcome.Accepted, batch, null);

    public static BatchInspection Rejected(string reason) => new(BatchInspectionOutcome.Rejected, null, reason);

    public static BatchInspection Ignored(string reason) => new(BatchInspectionOutcome.Ignored, null, reason);
}

/// <summary>Outcome of inspecting one message.</summary>
internal enum BatchInspectionOutcome
{
    /// <summary>A well-formed batch: land it.</summary>
    Accepted = 0,

    /// <summary>Not a batch and not meant to be one (a hub's status or receipt topic under the same filter): acknowledge and skip.</summary>
    Ignored = 1,

    /// <summary>A broken or inconsistent batch: quarantine, count, acknowledge, and reject in a receipt when one is asked for.</summary>
    Rejected = 2,
}
