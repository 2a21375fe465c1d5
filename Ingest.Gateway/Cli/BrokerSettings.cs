using Ingest.Pipeline.Publishing.Mqtt;
using MQTTnet.Formatter;

namespace Ingest.Gateway.Cli;

/// <summary>The checked broker options (<see cref="BrokerOptions.Read"/>): where, who, TLS and which MQTT version to try first.</summary>
internal sealed record BrokerSettings(MqttBrokerUrl Broker, string? UserName, string? Password, MqttTlsSettings? Tls, MqttProtocolVersion Version);
