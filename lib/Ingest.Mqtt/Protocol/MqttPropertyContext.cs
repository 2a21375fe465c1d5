namespace Ingest.Mqtt.Protocol;

/// <summary>Which packet a property block belongs to; decides which properties are allowed (MQTT 5 §2.2.2.2).</summary>
[Flags]
internal enum MqttPropertyContext
{
    None = 0,
    Connect = 1 << 0,
    ConnAck = 1 << 1,
    Publish = 1 << 2,
    Ack = 1 << 3,
    Subscribe = 1 << 4,
    SubAck = 1 << 5,
    Unsubscribe = 1 << 6,
    UnsubAck = 1 << 7,
    Disconnect = 1 << 8,
    Auth = 1 << 9,
    Will = 1 << 10,
}
