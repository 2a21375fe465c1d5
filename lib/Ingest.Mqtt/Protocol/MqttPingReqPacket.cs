namespace Ingest.Mqtt.Protocol;

/// <summary>PINGREQ (MQTT 5 §3.12): <c>C0 00</c>.</summary>
public sealed class MqttPingReqPacket : MqttPacket
{
    /// <summary>The one instance (the packet has no fields).</summary>
    public static readonly MqttPingReqPacket Instance = new();

    private MqttPingReqPacket()
    {
    }

    /// <inheritdoc />
    public override MqttPacketType PacketType => MqttPacketType.PingReq;
}
