namespace Ingest.Mqtt.Protocol;

/// <summary>AUTH (MQTT 5 §3.15; no such packet in 3.1.1).</summary>
public sealed class MqttAuthPacket : MqttPacket
{
    /// <inheritdoc />
    public override MqttPacketType PacketType => MqttPacketType.Auth;

    /// <summary>0x00 Success, 0x18 Continue authentication or 0x19 Re-authenticate.</summary>
    public MqttReasonCode ReasonCode { get; init; }

    /// <summary>Properties: Authentication Method and Data, Reason String, User Properties.</summary>
    public MqttProperties? Properties { get; init; }
}
