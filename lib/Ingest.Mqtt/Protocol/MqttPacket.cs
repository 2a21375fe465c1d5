namespace Ingest.Mqtt.Protocol;

/// <summary>A decoded or to-be-encoded MQTT control packet. Instances are plain data and not thread-safe.</summary>
public abstract class MqttPacket
{
    /// <summary>The control packet type.</summary>
    public abstract MqttPacketType PacketType { get; }
}
