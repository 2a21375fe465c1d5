namespace Ingest.Mqtt.Protocol;

/// <summary>One topic filter of a SUBSCRIBE with its options (MQTT 5 §3.8.3.1).</summary>
public sealed record MqttSubscription
{
    /// <summary>Topic filter, possibly with wildcards or a <c>$share/{name}/</c> prefix.</summary>
    public required string TopicFilter { get; init; }

    /// <summary>Maximum QoS the server may deliver with.</summary>
    public MqttQualityOfService MaximumQoS { get; init; } = MqttQualityOfService.AtLeastOnce;

    /// <summary>No Local: do not receive our own publishes (Protocol Error on a shared subscription).</summary>
    public bool NoLocal { get; init; }

    /// <summary>Retain As Published: keep the RETAIN flag as the publisher set it.</summary>
    public bool RetainAsPublished { get; init; }

    /// <summary>When retained messages are sent.</summary>
    public MqttRetainHandling RetainHandling { get; init; }
}
