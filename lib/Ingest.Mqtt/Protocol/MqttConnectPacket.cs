namespace Ingest.Mqtt.Protocol;

/// <summary>CONNECT (MQTT 5 §3.1; MQTT 3.1.1 §3.1).</summary>
public sealed class MqttConnectPacket : MqttPacket
{
    /// <inheritdoc />
    public override MqttPacketType PacketType => MqttPacketType.Connect;

    /// <summary>Protocol level sent in the variable header.</summary>
    public MqttProtocolVersion ProtocolVersion { get; init; } = MqttProtocolVersion.V500;

    /// <summary>Client Identifier; empty asks the server to assign one.</summary>
    public string ClientId { get; init; } = string.Empty;

    /// <summary>Clean Start (MQTT 5) / Clean Session (MQTT 3.1.1).</summary>
    public bool CleanStart { get; init; }

    /// <summary>Keep Alive in seconds; 0 turns it off.</summary>
    public ushort KeepAliveSeconds { get; init; }

    /// <summary>User Name, or null.</summary>
    public string? UserName { get; init; }

    /// <summary>Password (Binary Data), or null.</summary>
    public ReadOnlyMemory<byte>? Password { get; init; }

    /// <summary>The Will, or null.</summary>
    public MqttWillMessage? Will { get; init; }

    /// <summary>CONNECT properties (MQTT 5 only).</summary>
    public MqttProperties? Properties { get; init; }
}
