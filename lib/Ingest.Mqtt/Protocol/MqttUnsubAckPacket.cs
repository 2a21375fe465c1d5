namespace Ingest.Mqtt.Protocol;

/// <summary>UNSUBACK (MQTT 5 §3.11). MQTT 3.1.1 carries no reason codes.</summary>
public sealed class MqttUnsubAckPacket : MqttPacket
{
    /// <inheritdoc />
    public override MqttPacketType PacketType => MqttPacketType.UnsubAck;

    /// <summary>Packet Identifier of the UNSUBSCRIBE.</summary>
    public ushort PacketId { get; init; }

    /// <summary>One reason code per filter (MQTT 5); empty for MQTT 3.1.1.</summary>
    public IReadOnlyList<MqttReasonCode> ReasonCodes { get; init; } = [];

    /// <summary>Properties (MQTT 5 only).</summary>
    public MqttProperties? Properties { get; init; }
}
