namespace Ingest.Pipeline.Publishing.Mqtt;

/// <summary>A message delivered to one of our subscriptions (receipts, broker check's round trip). The payload is a copy we own.</summary>
/// <param name="Topic">Topic it was published on.</param>
/// <param name="Payload">Payload bytes.</param>
/// <param name="ContentType">MQTT 5 Content Type, or null.</param>
/// <param name="ResponseTopic">MQTT 5 Response Topic, or null.</param>
/// <param name="CorrelationData">MQTT 5 Correlation Data, or null.</param>
/// <param name="UserProperties">MQTT 5 User Properties in order (empty under 3.1.1).</param>
/// <param name="Retained">Whether the broker delivered it from its retained store.</param>
internal sealed record MqttReceivedMessage(string Topic, ReadOnlyMemory<byte> Payload, string? ContentType, string? ResponseTopic,
    ReadOnlyMemory<byte>? CorrelationData, IReadOnlyList<KeyValuePair<string, string>> UserProperties, bool Retained);
