namespace Ingest.Mqtt.Protocol;

/// <summary>The Protocol Level byte of CONNECT (MQTT 5 §3.1.2.2).</summary>
public enum MqttProtocolVersion : byte
{
    /// <summary>No version negotiated yet.</summary>
    Unknown = 0,

    /// <summary>MQTT 3.1.1 (protocol level 4).</summary>
    V311 = 4,

    /// <summary>MQTT 5.0 (protocol level 5).</summary>
    V500 = 5,
}
