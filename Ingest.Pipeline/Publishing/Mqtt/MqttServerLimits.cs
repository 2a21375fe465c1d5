using MQTTnet.Protocol;

namespace Ingest.Pipeline.Publishing.Mqtt;

/// <summary>
/// What the server's CONNACK allows, after checking each value against the protocol's range (a value outside it is
/// replaced by the protocol default and never used as-is). MQTT 3.1.1 has none of these; its defaults apply.
/// </summary>
/// <param name="ReceiveMaximum">QoS 1/2 publishes the server takes unacknowledged (1..65535; 65535 when absent) [MQTT-3.2.2.3.3].</param>
/// <param name="MaximumPacketSize">Largest packet the server accepts in bytes; <see cref="NoPacketSizeLimit"/> when absent [3.2.2.3.6].</param>
/// <param name="MaximumQoS">Highest QoS the server accepts [3.2.2.3.4].</param>
/// <param name="RetainAvailable">Whether retained messages are accepted [3.2.2.3.5].</param>
/// <param name="TopicAliasMaximum">Topic aliases the server accepts [3.2.2.3.8].</param>
/// <param name="SharedSubscriptionAvailable">Whether $share subscriptions work [3.2.2.3.13].</param>
/// <param name="KeepAliveSeconds">Keep-alive in effect (the server may override ours) [3.2.2.3.14].</param>
internal sealed record MqttServerLimits(int ReceiveMaximum, long MaximumPacketSize, MqttQualityOfServiceLevel MaximumQoS, bool RetainAvailable,
    int TopicAliasMaximum, bool SharedSubscriptionAvailable, int KeepAliveSeconds)
{
    /// <summary>Maximum Packet Size when the server sets none: the protocol's largest packet (268,435,455 + 5 header bytes) [MQTT 5 §1.5.5].</summary>
    public const long NoPacketSizeLimit = 268_435_460;

    /// <summary>Receive Maximum when the server sets none [3.2.2.3.3].</summary>
    public const int DefaultReceiveMaximum = ushort.MaxValue;
}
