namespace Ingest.Pipeline.Publishing.Mqtt;

/// <summary>How the hub reaches the broker, chosen by the URL scheme.</summary>
internal enum MqttTransport
{
    /// <summary><c>mqtt://</c>: plain TCP (port 1883).</summary>
    Tcp = 1,

    /// <summary><c>mqtts://</c>: TCP with TLS (port 8883).</summary>
    Tls = 2,

    /// <summary><c>ws://</c>: MQTT over WebSocket (port 80), for networks that only let web traffic out.</summary>
    WebSocket = 3,

    /// <summary><c>wss://</c>: MQTT over WebSocket with TLS (port 443), for networks that only let port 443 out.</summary>
    SecureWebSocket = 4,
}
