using Ingest.Pipeline.Batching;
using Ingest.Pipeline.Publishing.Mqtt;

namespace Ingest.Pipeline.Service;

/// <summary>
/// Where the publishing stage sends spooled batches: the trial platform's broker (<see cref="MqttBatchPublisher"/>) or,
/// with no broker configured, a local outbox folder (<see cref="OutboxPublisher"/>). The stage calls
/// <see cref="PublishAsync"/> from one task, possibly several times before earlier calls complete (the broker's Receive
/// Maximum bounds that); a batch is released from the spool only after its call reports
/// <see cref="BatchPublishOutcome.Accepted"/> (or, with receipts required, after <see cref="Receipts"/> names it).
/// </summary>
internal interface IBatchPublisher : IAsyncDisposable
{
    /// <summary>Where batches go, for people: <c>mqtt://host:1883</c>, <c>outbox /data/outbox</c>.</summary>
    string Destination { get; }

    /// <summary>The destination's state for people: "connected", "connecting", "local", "disconnected: reason".</summary>
    string State { get; }

    /// <summary>Reconnects so far (0 for the outbox).</summary>
    long Reconnects { get; }

    /// <summary>Platform receipts for published batches (only when receipts were requested; otherwise never written).</summary>
    System.Threading.Channels.ChannelReader<BatchIdentity> Receipts { get; }

    /// <summary>Publishes one batch. Never throws for a broker's refusal or a lost connection: the outcome says which.</summary>
    ValueTask<BatchPublishResult> PublishAsync(OutgoingBatch batch, CancellationToken cancellationToken);
}

/// <summary>One spooled batch ready to publish: where, with which properties, and its bytes.</summary>
/// <param name="Identity">The batch identity.</param>
/// <param name="Topic">The data topic.</param>
/// <param name="Properties">The MQTT 5 properties (content type, identity, SHA-256, time range, profile; receipt request).</param>
/// <param name="Payload">The Arrow IPC stream bytes, exactly as spooled.</param>
/// <param name="Origin">Whose data and which stream (from the payload's metadata).</param>
/// <param name="FirstHubTimeNs">Hub time of the batch's earliest sample (UTC ns), or 0 when its metadata has none.</param>
internal sealed record OutgoingBatch(BatchIdentity Identity, string Topic, MqttPublishProperties Properties, ReadOnlyMemory<byte> Payload, StreamOrigin Origin,
    long FirstHubTimeNs);

/// <summary>What happened to one publish.</summary>
internal enum BatchPublishOutcome
{
    /// <summary>Accepted by the destination (PUBACK with success, or the outbox file is durable).</summary>
    Accepted,

    /// <summary>Not delivered for now (no connection, timeout, broker busy): retry later; the batch stays spooled.</summary>
    Transient,

    /// <summary>Refused for good by the destination (too large, not authorised): kept in the spool, reported, retried only after a restart.</summary>
    Refused,
}

/// <summary>Outcome of <see cref="IBatchPublisher.PublishAsync"/>.</summary>
/// <param name="Outcome">Accepted, transient or refused.</param>
/// <param name="Detail">For people, when not accepted: what the destination said.</param>
internal readonly record struct BatchPublishResult(BatchPublishOutcome Outcome, string? Detail = null)
{
    /// <summary>An accepted publish.</summary>
    public static BatchPublishResult Accepted => new(BatchPublishOutcome.Accepted);
}
