using System.Diagnostics.CodeAnalysis;
using System.Globalization;

namespace Ingest.Pipeline.Publishing.Mqtt;

/// <summary>
/// A broker address as people write it: <c>mqtt://host[:1883]</c>, <c>mqtts://host[:8883]</c>, <c>ws://host[:80][/path]</c>
/// or <c>wss://host[:443][/path]</c> (tcp://, ssl:// and tls:// are accepted as aliases; a bare host means mqtt://).
/// </summary>
/// <param name="Transport">TCP, TLS, WebSocket or secure WebSocket.</param>
/// <param name="Host">Host name or address (IPv6 without brackets).</param>
/// <param name="Port">TCP port.</param>
/// <param name="Path">WebSocket path and query (starts with '/'); empty for TCP transports.</param>
internal sealed record MqttBrokerUrl(MqttTransport Transport, string Host, int Port, string Path)
{
    /// <summary>Plain MQTT port (IANA).</summary>
    public const int DefaultTcpPort = 1883;

    /// <summary>MQTT over TLS port (IANA).</summary>
    public const int DefaultTlsPort = 8883;

    /// <summary>HTTP port: a ws:// URL without a port uses it, as a browser would.</summary>
    public const int DefaultWebSocketPort = 80;

    /// <summary>HTTPS port: the one port most hospital networks let out.</summary>
    public const int DefaultSecureWebSocketPort = 443;

    /// <summary>
    /// WebSocket path when the URL gives none: /mqtt is what mosquitto's examples, HiveMQ, EMQX and MQTTnet.AspNetCore
    /// use, so a URL copied without its path still reaches the usual endpoint.
    /// </summary>
    public const string DefaultWebSocketPath = "/mqtt";

    /// <summary>Longest URL accepted: far beyond any real broker address, short enough to print in an error.</summary>
    public const int MaximumLength = 2048;

    /// <summary>True for mqtts:// and wss://.</summary>
    public bool UsesTls => Transport is MqttTransport.Tls or MqttTransport.SecureWebSocket;

    /// <summary>True for ws:// and wss://.</summary>
    public bool UsesWebSocket => Transport is MqttTransport.WebSocket or MqttTransport.SecureWebSocket;

    /// <summary>
    /// Parses an address; returns false with a plain-words <paramref name="error"/> saying what to change when it is
    /// not one. User names and passwords inside the URL are refused rather than used: a URL ends up in logs, shell
    /// history and process lists, so credentials go in --username/--password (or WEARABLE_MQTT_PASSWORD).
    /// </summary>
    public static bool TryParse(string? text, [NotNullWhen(true)] out MqttBrokerUrl? url, out string error)
    {
        url = null;
        error = string.Empty;
        if (string.IsNullOrWhiteSpace(text))
        {
            error = "no broker address given; write it like mqtts://broker.example.org:8883";
            return false;
        }

        text = text.Trim();
        if (text.Length > MaximumLength)
        {
            error = $"the broker address is {text.Length.ToString(CultureInfo.InvariantCulture)} characters long (at most {MaximumLength.ToString(CultureInfo.InvariantCulture)}); write it like mqtts://broker.example.org:8883";
            return false;
        }

        if (!text.Contains("://", StringComparison.Ordinal))
        {
            text = "mqtt://" + text;
        }

        if (!Uri.TryCreate(text, UriKind.Absolute, out var uri) || string.IsNullOrEmpty(uri.Host))
        {
            error = $"'{text}' is not a broker address; write it like mqtts://broker.example.org:8883";
            return false;
        }

        MqttTransport transport;
        switch (uri.Scheme.ToUpperInvariant())
        {
            case "MQTT":
            case "TCP":
                transport = MqttTransport.Tcp;
                break;
            case "MQTTS":
            case "SSL":
            case "TLS":
                transport = MqttTransport.Tls;
                break;
            case "WS":
                transport = MqttTransport.WebSocket;
                break;
            case "WSS":
                transport = MqttTransport.SecureWebSocket;
                break;
            default:
                error = $"unknown scheme '{uri.Scheme}'; use mqtt:// (plain), mqtts:// (TLS), or ws:// / wss:// (WebSocket, e.g. when only port 443 is open)";
                return false;
        }

        if (uri.UserInfo.Length > 0)
        {
            error = "the broker address contains a user name or password; remove it from the address and pass --username and --password " +
                "(or set WEARABLE_MQTT_PASSWORD), so the password does not end up in logs and process lists";
            return false;
        }

        if (uri.Fragment.Length > 0)
        {
            error = $"the broker address ends with '{uri.Fragment}'; remove the '#…' part";
            return false;
        }

        var isWebSocket = transport is MqttTransport.WebSocket or MqttTransport.SecureWebSocket;
        var pathAndQuery = uri.PathAndQuery;
        if (!isWebSocket && pathAndQuery is not ("/" or ""))
        {
            error = $"'{pathAndQuery}' after the port means nothing for {uri.Scheme}://; remove it, or use ws:// or wss:// if the broker is reached through a WebSocket path";
            return false;
        }

        var port = uri.IsDefaultPort || uri.Port <= 0
            ? transport switch
            {
                MqttTransport.Tcp => DefaultTcpPort,
                MqttTransport.Tls => DefaultTlsPort,
                MqttTransport.WebSocket => DefaultWebSocketPort,
                _ => DefaultSecureWebSocketPort,
            }
            : uri.Port;
        var path = isWebSocket ? (pathAndQuery is "/" or "" ? DefaultWebSocketPath : pathAndQuery) : string.Empty;
        url = new MqttBrokerUrl(transport, uri.IdnHost.Trim('[', ']'), port, path);
        return true;
    }

    /// <summary>The address in canonical form (the WebSocket form is also what MQTTnet connects to).</summary>
    public override string ToString()
    {
        var host = Host.Contains(':', StringComparison.Ordinal) ? "[" + Host + "]" : Host;
        var port = Port.ToString(CultureInfo.InvariantCulture);
        return Transport switch
        {
            MqttTransport.Tcp => $"mqtt://{host}:{port}",
            MqttTransport.Tls => $"mqtts://{host}:{port}",
            MqttTransport.WebSocket => $"ws://{host}:{port}{Path}",
            _ => $"wss://{host}:{port}{Path}",
        };
    }
}
