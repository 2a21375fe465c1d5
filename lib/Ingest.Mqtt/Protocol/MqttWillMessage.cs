namespace Ingest.Mqtt.Protocol;

/// <summary>The Will carried in CONNECT (MQTT 5 §3.1.2.5, §3.1.3.2): published by the server if we vanish.</summary>
public sealed class MqttWillMessage
{
    /// <summary>Topic the Will is published to.</summary>
    public required string Topic { get; init; }

    /// <summary>Will payload (Binary Data, at most 65,535 bytes).</summary>
    public ReadOnlyMemory<byte> Payload { get; init; }

    /// <summary>QoS of the Will publish.</summary>
    public MqttQualityOfService QualityOfService { get; init; }

    /// <summary>Whether the Will is retained.</summary>
    public bool Retain { get; init; }

    /// <summary>Will Properties (MQTT 5 only): Will Delay Interval, Payload Format Indicator, Content Type …</summary>
    public MqttProperties? Properties { get; init; }
}
