using Ingest.Mqtt.Protocol;

namespace Ingest.Mqtt;

/// <summary>The outcome of a successful connect.</summary>
public sealed record MqttConnectResult
{
    /// <summary>The protocol version the broker accepted (5 or 3.1.1 after a fallback).</summary>
    public required MqttProtocolVersion ProtocolVersion { get; init; }

    /// <summary>Whether the server resumed an existing session.</summary>
    public required bool SessionPresent { get; init; }

    /// <summary>The client id in use (assigned by the server if we sent none).</summary>
    public required string ClientId { get; init; }

    /// <summary>The server's limits for this connection.</summary>
    public required MqttServerLimits Limits { get; init; }

    /// <summary>Reason String from CONNACK, if any.</summary>
    public string? ReasonString { get; init; }

    /// <summary>User Properties from CONNACK, if any.</summary>
    public IReadOnlyList<MqttUserProperty> UserProperties { get; init; } = [];
}
