using Ingest.Mqtt.Protocol;

namespace Ingest.Mqtt;

/// <summary>What the server allows on this connection, from CONNACK (MQTT 5 §3.2.2.3) or the 3.1.1 defaults.</summary>
public sealed record MqttServerLimits
{
    /// <summary>Server Receive Maximum: QoS 1/2 publishes it accepts in flight (65,535 when absent).</summary>
    public int ReceiveMaximum { get; init; } = MqttLimits.DefaultReceiveMaximum;

    /// <summary>Largest packet the server accepts, in bytes (the protocol maximum when absent).</summary>
    public long MaximumPacketSize { get; init; } = MqttLimits.MaxPacketSize;

    /// <summary>Highest Topic Alias the server accepts (0 = none).</summary>
    public int TopicAliasMaximum { get; init; }

    /// <summary>Highest QoS the server supports.</summary>
    public MqttQualityOfService MaximumQoS { get; init; } = MqttQualityOfService.ExactlyOnce;

    /// <summary>Whether retained messages are supported.</summary>
    public bool RetainAvailable { get; init; } = true;

    /// <summary>Whether wildcard subscriptions are supported.</summary>
    public bool WildcardSubscriptionAvailable { get; init; } = true;

    /// <summary>Whether subscription identifiers are supported.</summary>
    public bool SubscriptionIdentifiersAvailable { get; init; } = true;

    /// <summary>Whether shared subscriptions are supported.</summary>
    public bool SharedSubscriptionAvailable { get; init; } = true;

    /// <summary>Keep-alive in force, in seconds (the Server Keep Alive if the server sent one).</summary>
    public int KeepAliveSeconds { get; init; }

    /// <summary>Session Expiry Interval in force, in seconds.</summary>
    public uint SessionExpiryInterval { get; init; }
}
