namespace Ingest.Mqtt.Protocol;

/// <summary>Delivery guarantee of a PUBLISH (MQTT 5 §4.3).</summary>
public enum MqttQualityOfService : byte
{
    /// <summary>At most once: no acknowledgement.</summary>
    AtMostOnce = 0,

    /// <summary>At least once: PUBLISH → PUBACK.</summary>
    AtLeastOnce = 1,

    /// <summary>Exactly once: PUBLISH → PUBREC → PUBREL → PUBCOMP.</summary>
    ExactlyOnce = 2,
}
