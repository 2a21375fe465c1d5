using Ingest.Mqtt.Protocol;

namespace Ingest.Mqtt;

/// <summary>An application message the server delivered to one of our subscriptions. The payload is owned by the receiver.</summary>
public sealed class MqttReceivedMessage
{
    /// <summary>Topic Name.</summary>
    public required string Topic { get; init; }

    /// <summary>Payload (a copy owned by this message).</summary>
    public ReadOnlyMemory<byte> Payload { get; init; }

    /// <summary>QoS it was delivered with.</summary>
    public MqttQualityOfService QualityOfService { get; init; }

    /// <summary>RETAIN flag as delivered.</summary>
    public bool Retain { get; init; }

    /// <summary>DUP flag: the server may have delivered it before.</summary>
    public bool Duplicate { get; init; }

    /// <summary>PUBLISH properties (MQTT 5), or null.</summary>
    public MqttProperties? Properties { get; init; }
}
