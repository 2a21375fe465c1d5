namespace Ingest.Mqtt.Protocol;

/// <summary>SUBACK (MQTT 5 §3.9): one reason code per requested filter.</summary>
public sealed class MqttSubAckPacket : MqttPacket
{
    /// <inheritdoc />
    public override MqttPacketType PacketType => MqttPacketType.SubAck;

    /// <summary>Packet Identifier of the SUBSCRIBE.</summary>
    public ushort PacketId { get; init; }

    /// <summary>Granted QoS (0x00–0x02) or a failure (≥ 0x80) per filter, in order.</summary>
    public IReadOnlyList<MqttReasonCode> ReasonCodes { get; init; } = [];

    /// <summary>Properties (MQTT 5 only).</summary>
    public MqttProperties? Properties { get; init; }
}
