namespace Ingest.Mqtt.Protocol;

/// <summary>SUBSCRIBE (MQTT 5 §3.8).</summary>
public sealed class MqttSubscribePacket : MqttPacket
{
    /// <inheritdoc />
    public override MqttPacketType PacketType => MqttPacketType.Subscribe;

    /// <summary>Packet Identifier.</summary>
    public ushort PacketId { get; init; }

    /// <summary>Topic filters with options (at least one).</summary>
    public IReadOnlyList<MqttSubscription> Subscriptions { get; init; } = [];

    /// <summary>Properties (MQTT 5 only): Subscription Identifier, User Properties.</summary>
    public MqttProperties? Properties { get; init; }
}
