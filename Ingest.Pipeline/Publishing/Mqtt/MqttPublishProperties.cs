namespace Ingest.Pipeline.Publishing.Mqtt;

/// <summary>
/// MQTT 5 properties of a batch publish. Under MQTT 3.1.1 they cannot be sent and are dropped on purpose (MQTTnet
/// would throw NotSupportedException): the batch identity also travels in the Arrow schema metadata.
/// </summary>
internal sealed class MqttPublishProperties
{
    /// <summary>Content Type, e.g. application/vnd.apache.arrow.stream.</summary>
    public string? ContentType { get; init; }

    /// <summary>Response Topic for the platform's receipt.</summary>
    public string? ResponseTopic { get; init; }

    /// <summary>Correlation Data echoed in the receipt (the batch identity).</summary>
    public ReadOnlyMemory<byte>? CorrelationData { get; init; }

    /// <summary>Message Expiry Interval in seconds; 0 for none.</summary>
    public uint MessageExpirySeconds { get; init; }

    /// <summary>User Properties in order (names may repeat, as MQTT allows).</summary>
    public IReadOnlyList<KeyValuePair<string, string>> UserProperties { get; init; } = [];
}
