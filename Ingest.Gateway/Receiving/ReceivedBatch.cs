using Apache.Arrow;
using Ingest.Pipeline.Batching;

namespace Ingest.Gateway.Receiving;

/// <summary>
/// A batch that passed <see cref="BatchInspector"/>: identity, origin and the decoded record batch, which wraps the payload
/// bytes (keep <see cref="Payload"/> alive while <see cref="Batch"/> is used).
/// </summary>
/// <param name="Identity">Hub, stream key and sequence: what the receiver deduplicates on.</param>
/// <param name="Origin">Study, site, participant, device, stream id and nominal rate (from the schema metadata, else the topic).</param>
/// <param name="Payload">The payload bytes as received (the Arrow IPC stream that is staged).</param>
/// <param name="Sha256">Lowercase hex SHA-256 of <see cref="Payload"/>, computed here.</param>
/// <param name="HashVerified">True when the publisher's <c>wearable.sha256</c> was present and matched (MQTT 5); false under MQTT 3.1.1.</param>
/// <param name="Batch">The one record batch of the payload.</param>
/// <param name="FirstHubTimeNs">Earliest <c>hub_time</c> of the rows (Unix ns).</param>
/// <param name="LastHubTimeNs">Latest <c>hub_time</c> of the rows (Unix ns).</param>
internal sealed record ReceivedBatch(BatchIdentity Identity, StreamOrigin Origin, ReadOnlyMemory<byte> Payload, string Sha256, bool HashVerified,
    RecordBatch Batch, long FirstHubTimeNs, long LastHubTimeNs)
{
    /// <summary>Rows in the batch.</summary>
    public int Rows => Batch.Length;

    /// <summary>True for a device's gaps stream (<c>{device}.gaps</c>), whose rows are intervals without data.</summary>
    public bool IsGapsStream => string.Equals(Origin.StreamId, GapsStreamId, StringComparison.Ordinal);

    /// <summary>Stream id of a device's gaps stream (docs/wire/mqtt-contract.md).</summary>
    public const string GapsStreamId = "gaps";
}
