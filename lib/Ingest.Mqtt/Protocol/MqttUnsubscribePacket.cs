namespace Ingest.Mqtt.Protocol;

/// <summary>UNSUBSCRIBE (MQTT 5 §3.10).</summary>
public sealed class MqttUnsubscribePacket : MqttPacket
{
    /// <inheritdoc />
    public override MqttPacketType PacketType => MqttPacketType.Unsubscribe;

    /// <summary>Packet Identifier.</summary>
    public ushort PacketId { get; init; }

    /// <summary>Topic filters to remove (at least one).</summary>
    public IReadOnlyList<string> TopicFilters { get; init; } = [];

    /// <summary>Properties (MQTT 5 only): User Properties.</summary>
    public MqttProperties? Properties { get; init; }
}
