using MQTTnet.Formatter;

namespace Ingest.Pipeline.Publishing.Mqtt;

/// <summary>The result of a successful (re)connect.</summary>
/// <param name="ProtocolVersion">The version the broker accepted (3.1.1 after a fallback).</param>
/// <param name="FellBackToV311">True when MQTT 5 was refused and 3.1.1 worked.</param>
/// <param name="SessionPresent">Whether the broker resumed a session.</param>
/// <param name="Limits">The server's limits, checked.</param>
/// <param name="InFlightWindow">Our in-flight window in effect: min(our maximum, the server's Receive Maximum).</param>
internal sealed record MqttConnectionInfo(MqttProtocolVersion ProtocolVersion, bool FellBackToV311, bool SessionPresent, MqttServerLimits Limits, int InFlightWindow);
