using Ingest.Mqtt.Protocol;

namespace Ingest.Mqtt;

/// <summary>An application message to publish. Immutable; may be published many times.</summary>
public sealed class MqttApplicationMessage
{
    /// <summary>Topic Name (no wildcards).</summary>
    public required string Topic { get; init; }

    /// <summary>Payload; must not change while a publish of this message is in flight.</summary>
    public ReadOnlyMemory<byte> Payload { get; init; }

    /// <summary>QoS.</summary>
    public MqttQualityOfService QualityOfService { get; init; } = MqttQualityOfService.AtLeastOnce;

    /// <summary>RETAIN flag.</summary>
    public bool Retain { get; init; }

    /// <summary>PUBLISH properties: Content Type, Payload Format Indicator, Message Expiry, Response Topic, Correlation Data, User Properties.</summary>
    public MqttProperties? Properties { get; init; }
}
