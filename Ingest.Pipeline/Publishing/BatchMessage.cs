using System.Globalization;
using System.Security.Cryptography;
using Ingest.Pipeline.Batching;
using Ingest.Pipeline.Publishing.Mqtt;

namespace Ingest.Pipeline.Publishing;

/// <summary>
/// The MQTT 5 properties of one batch publish (docs/wire/mqtt-contract.md): content type, and as user properties the
/// batch identity, row count, time range, profile and a SHA-256 of the payload, so a receiver can route, deduplicate
/// and verify a batch without opening it. The same values sit in the Arrow schema metadata, which is all an MQTT
/// 3.1.1 receiver gets. Built once per sealed batch, not per notification.
/// </summary>
public static class BatchMessage
{
    /// <summary>Content Type of a batch: one Arrow IPC stream (IANA-registered media type).</summary>
    public const string ContentType = "application/vnd.apache.arrow.stream";

    /// <summary>User property: lowercase hex SHA-256 of the payload bytes.</summary>
    public const string Sha256Property = "wearable.sha256";

    /// <summary>User property: rows in the batch.</summary>
    public const string RowsProperty = "wearable.rows";

    /// <summary>Lowercase hex SHA-256 of <paramref name="payload"/>.</summary>
    public static string Sha256Hex(ReadOnlySpan<byte> payload)
    {
        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(payload, hash);
        return Convert.ToHexStringLower(hash);
    }

    /// <summary>The properties of a publish of <paramref name="payload"/>, the encoded batch of <paramref name="identity"/>.</summary>
    internal static MqttPublishProperties Properties(BatchIdentity identity, StreamDescription description, int rows,
        long firstHubTimeNs, long lastHubTimeNs, ReadOnlySpan<byte> payload) =>
        Properties(identity, rows, Captures.CaptureReader.FormatTime(firstHubTimeNs), Captures.CaptureReader.FormatTime(lastHubTimeNs),
            description.ProfileId, description.ProfileVersion, payload);

    /// <summary>
    /// The same properties from values already formatted as the schema metadata holds them (the publishing stage reads
    /// them back from a spooled batch's own metadata).
    /// </summary>
    internal static MqttPublishProperties Properties(BatchIdentity identity, int rows, string firstHubTime, string lastHubTime,
        string profileId, string profileVersion, ReadOnlySpan<byte> payload) => new()
        {
            ContentType = ContentType,
            UserProperties =
            [
                new(BatchMetadataKeys.Hub, identity.Hub),
                new(BatchMetadataKeys.Stream, identity.Stream),
                new(BatchMetadataKeys.Sequence, identity.Sequence.ToString(CultureInfo.InvariantCulture)),
                new(Sha256Property, Sha256Hex(payload)),
                new(RowsProperty, rows.ToString(CultureInfo.InvariantCulture)),
                new(BatchMetadataKeys.FirstHubTime, firstHubTime),
                new(BatchMetadataKeys.LastHubTime, lastHubTime),
                new(BatchMetadataKeys.ProfileId, profileId),
                new(BatchMetadataKeys.ProfileVersion, profileVersion),
            ],
        };
}
