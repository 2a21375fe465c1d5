namespace Ingest.Mqtt.Protocol;

/// <summary>PINGRESP (MQTT 5 §3.13): <c>D0 00</c>.</summary>
public sealed class MqttPingRespPacket : MqttPacket
{
    /// <summary>The one instance (the packet has no fields).</summary>
    public static readonly MqttPingRespPacket Instance = new();

    private MqttPingRespPacket()
    {
    }

    /// <inheritdoc />
    public override MqttPacketType PacketType => MqttPacketType.PingResp;
}
