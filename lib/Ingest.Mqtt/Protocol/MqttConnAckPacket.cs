namespace Ingest.Mqtt.Protocol;

/// <summary>CONNACK (MQTT 5 §3.2; MQTT 3.1.1 §3.2).</summary>
public sealed class MqttConnAckPacket : MqttPacket
{
    /// <inheritdoc />
    public override MqttPacketType PacketType => MqttPacketType.ConnAck;

    /// <summary>Session Present flag.</summary>
    public bool SessionPresent { get; init; }

    /// <summary>
    /// The reason code. An MQTT 3.1.1 return code (or one sent by a 3.1.1 server to our MQTT 5 CONNECT) is mapped to
    /// its MQTT 5 equivalent: 1 → 0x84, 2 → 0x85, 3 → 0x88, 4 → 0x86, 5 → 0x87.
    /// </summary>
    public MqttReasonCode ReasonCode { get; init; }

    /// <summary>The byte on the wire (a 3.1.1 return code or an MQTT 5 reason code).</summary>
    public byte RawReasonCode { get; init; }

    /// <summary>True when the server answered in the 3.1.1 form (Remaining Length 2, no properties).</summary>
    public bool IsVersion311Form { get; init; }

    /// <summary>CONNACK properties (MQTT 5 only).</summary>
    public MqttProperties? Properties { get; init; }
}
