namespace Ingest.Mqtt.Protocol;

/// <summary>PUBACK, PUBREC, PUBREL or PUBCOMP (MQTT 5 §3.4–3.7): Packet Identifier, Reason Code, properties.</summary>
public sealed class MqttAckPacket : MqttPacket
{
    private readonly MqttPacketType _type;

    /// <summary>Creates an acknowledgement of the given type.</summary>
    public MqttAckPacket(MqttPacketType type)
    {
        if (type is not (MqttPacketType.PubAck or MqttPacketType.PubRec or MqttPacketType.PubRel or MqttPacketType.PubComp))
        {
            throw new ArgumentOutOfRangeException(nameof(type), type, "not a publish acknowledgement type");
        }

        _type = type;
    }

    /// <inheritdoc />
    public override MqttPacketType PacketType => _type;

    /// <summary>Packet Identifier being acknowledged.</summary>
    public ushort PacketId { get; init; }

    /// <summary>Reason code (always Success in MQTT 3.1.1).</summary>
    public MqttReasonCode ReasonCode { get; init; }

    /// <summary>Properties (MQTT 5 only): Reason String, User Properties.</summary>
    public MqttProperties? Properties { get; init; }
}
