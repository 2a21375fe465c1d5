namespace Ingest.Mqtt.Protocol;

/// <summary>A User Property (MQTT 5 §3.3.2.3.7): a UTF-8 name/value pair; order and repeats are preserved.</summary>
/// <param name="Name">The property name.</param>
/// <param name="Value">The property value.</param>
public readonly record struct MqttUserProperty(string Name, string Value);
