namespace Ingest.Mqtt.Protocol;

/// <summary>PUBLISH (MQTT 5 §3.3). The payload is not length-prefixed: it is the rest of the packet.</summary>
public sealed class MqttPublishPacket : MqttPacket
{
    /// <inheritdoc />
    public override MqttPacketType PacketType => MqttPacketType.Publish;

    /// <summary>Topic Name; empty only when a Topic Alias stands for it.</summary>
    public string Topic { get; init; } = string.Empty;

    /// <summary>Packet Identifier (QoS 1 and 2 only; 0 for QoS 0).</summary>
    public ushort PacketId { get; init; }

    /// <summary>QoS.</summary>
    public MqttQualityOfService QualityOfService { get; init; }

    /// <summary>RETAIN flag.</summary>
    public bool Retain { get; init; }

    /// <summary>DUP flag: this is a resend (QoS 1 and 2 only).</summary>
    public bool Duplicate { get; init; }

    /// <summary>PUBLISH properties (MQTT 5 only).</summary>
    public MqttProperties? Properties { get; init; }

    /// <summary>Application payload.</summary>
    public ReadOnlyMemory<byte> Payload { get; init; }
}
