namespace Ingest.Mqtt.Protocol;

/// <summary>DISCONNECT (MQTT 5 §3.14; in MQTT 3.1.1 client-only and empty).</summary>
public sealed class MqttDisconnectPacket : MqttPacket
{
    /// <inheritdoc />
    public override MqttPacketType PacketType => MqttPacketType.Disconnect;

    /// <summary>Reason code (0x00 normal, 0x04 with Will, or an error).</summary>
    public MqttReasonCode ReasonCode { get; init; }

    /// <summary>Properties (MQTT 5 only): Session Expiry (client), Reason String, Server Reference.</summary>
    public MqttProperties? Properties { get; init; }
}
