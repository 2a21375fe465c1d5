using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace Ingest.Pipeline.Publishing.Mqtt;

/// <summary>
/// A broker address as people write it: <c>mqtt://host[:1883]</c>, <c>mqtts://host[:8883]</c>, <c>ws://host[:80][/path]</c>
/// or <c>wss://host[:443][/path]</c> (tcp://, ssl:// and tls:// are accepted as aliases; a bare host means mqtt://).
/// </summary>
/// <param name="Transport">TCP, TLS, WebSocket or secure WebSocket.</param>
/// <param name="Host">Host name or address (IPv6 without brackets; <see cref="HostText"/> has them).</param>
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

    /// <summary>Longest URL accepted: far beyond any real broker address.</summary>
    public const int MaximumLength = 2048;

    /// <summary>Lowest TCP port: 0 means "any port" to a socket API, never a broker's port.</summary>
    public const int MinimumPort = 1;

    /// <summary>Highest TCP port (16 bits).</summary>
    public const int MaximumPort = ushort.MaxValue;

    private const string Example = "mqtts://broker.example.org:8883";

    /// <summary>True for mqtts:// and wss://.</summary>
    public bool UsesTls => Transport is MqttTransport.Tls or MqttTransport.SecureWebSocket;

    /// <summary>True for ws:// and wss://.</summary>
    public bool UsesWebSocket => Transport is MqttTransport.WebSocket or MqttTransport.SecureWebSocket;

    /// <summary>
    /// Parses an address; returns false with a plain-words <paramref name="error"/> (to follow the option's name: "has no host; …") saying what to change when it is
    /// not one. User names and passwords inside the URL are refused rather than used: a URL ends up in logs, shell
    /// history and process lists, so credentials go in --username/--password (or WEARABLE_MQTT_PASSWORD); the error
    /// never repeats them. A path means something only for ws:// and wss:// (the WebSocket endpoint); for mqtt:// and
    /// mqtts:// it is refused rather than dropped.
    /// </summary>
    public static bool TryParse(string? text, [NotNullWhen(true)] out MqttBrokerUrl? url, out string error)
    {
        url = null;
        error = string.Empty;
        if (string.IsNullOrWhiteSpace(text))
        {
            error = "is empty; give the broker address, like " + Example;
            return false;
        }

        text = text.Trim();
        if (text.Length > MaximumLength)
        {
            error = $"is {text.Length.ToString("N0", CultureInfo.InvariantCulture)} characters long (at most {MaximumLength.ToString(CultureInfo.InvariantCulture)}); write it like {Example}";
            return false;
        }

        foreach (var c in text)
        {
            if (char.IsControl(c) || char.IsWhiteSpace(c))
            {
                error = $"contains a space or control character; write it like {Example}";
                return false;
            }
        }

        var schemeEnd = text.IndexOf("://", StringComparison.Ordinal);
        var scheme = schemeEnd < 0 ? "mqtt" : text[..schemeEnd];
        var rest = schemeEnd < 0 ? text : text[(schemeEnd + 3)..];
        MqttTransport transport;
        switch (scheme.ToUpperInvariant())
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
                error = $"has the unknown scheme {MqttOptionText.Quote(scheme)}; use mqtt:// (plain), mqtts:// (TLS), or ws:// / wss:// (WebSocket, e.g. when only port 443 is open)";
                return false;
        }

        var authorityEnd = rest.IndexOfAny(['/', '?', '#']);
        var authority = authorityEnd < 0 ? rest : rest[..authorityEnd];
        var tail = authorityEnd < 0 ? string.Empty : rest[authorityEnd..];
        if (authority.Contains('@', StringComparison.Ordinal))
        {
            error = "contains a user name or password; remove them from the address and pass --username and --password " +
                "(or set WEARABLE_MQTT_PASSWORD), so the password does not end up in logs and process lists";
            return false;
        }

        if (!TrySplitAuthority(authority, out var host, out var portText, out error))
        {
            return false;
        }

        var port = transport switch
        {
            MqttTransport.Tcp => DefaultTcpPort,
            MqttTransport.Tls => DefaultTlsPort,
            MqttTransport.WebSocket => DefaultWebSocketPort,
            _ => DefaultSecureWebSocketPort,
        };
        if (portText is not null)
        {
            // At most 5 digits before parsing, so a 2,000-digit port cannot overflow anything.
            if (portText.Length is 0 or > 5 || !portText.All(char.IsAsciiDigit))
            {
                error = $"has the port {MqttOptionText.Quote(portText)}, which is not a number; write the port after the host, like {Example}";
                return false;
            }

            port = int.Parse(portText, NumberStyles.None, CultureInfo.InvariantCulture);
            if (port is < MinimumPort or > MaximumPort)
            {
                error = $"has port {port.ToString(CultureInfo.InvariantCulture)}, which is out of range; use {MinimumPort} to {MaximumPort} (or leave it out for the scheme's usual port)";
                return false;
            }
        }

        var bracketed = host.Contains(':', StringComparison.Ordinal) ? "[" + host + "]" : host;
        if (!Uri.TryCreate($"{scheme.ToLowerInvariant()}://{bracketed}:{port.ToString(CultureInfo.InvariantCulture)}{tail}", UriKind.Absolute, out var uri))
        {
            error = $"has {MqttOptionText.Quote(tail)} after the host, which is not a valid path; write it like wss://broker.example.org/mqtt";
            return false;
        }

        if (uri.Fragment.Length > 0)
        {
            error = $"ends with {MqttOptionText.Quote(uri.Fragment)}; remove the '#…' part";
            return false;
        }

        var isWebSocket = transport is MqttTransport.WebSocket or MqttTransport.SecureWebSocket;
        var pathAndQuery = uri.PathAndQuery;
        if (!isWebSocket && pathAndQuery is not ("/" or ""))
        {
            error = $"has {MqttOptionText.Quote(pathAndQuery)} after the port, which means nothing for {scheme.ToLowerInvariant()}://; remove it, or use ws:// or wss:// if the broker is reached through a WebSocket path";
            return false;
        }

        var path = isWebSocket ? (pathAndQuery is "/" or "" ? DefaultWebSocketPath : pathAndQuery) : string.Empty;
        url = new MqttBrokerUrl(transport, uri.IdnHost.Trim('[', ']'), port, path);
        return true;
    }

    /// <summary>Host and port as written after the scheme: <c>host</c>, <c>host:port</c>, <c>[v6]</c> or <c>[v6]:port</c>.</summary>
    private static bool TrySplitAuthority(string authority, out string host, out string? port, out string error)
    {
        host = string.Empty;
        port = null;
        error = string.Empty;
        if (authority.StartsWith('['))
        {
            var close = authority.IndexOf(']', StringComparison.Ordinal);
            if (close < 0)
            {
                error = $"has the IPv6 address {MqttOptionText.Quote(authority)} without its closing ']'; write it like mqtt://[2001:db8::1]:1883";
                return false;
            }

            host = authority[1..close];
            if (!IPAddress.TryParse(host, out var address) || address.AddressFamily != AddressFamily.InterNetworkV6)
            {
                error = $"has {MqttOptionText.Quote(host)} in brackets, which is not an IPv6 address; brackets are only for IPv6, like mqtt://[2001:db8::1]:1883";
                return false;
            }

            var after = authority[(close + 1)..];
            if (after.Length > 0)
            {
                if (after[0] != ':')
                {
                    error = $"has {MqttOptionText.Quote(after)} after the IPv6 address, which is not a port; write it like mqtt://[2001:db8::1]:1883";
                    return false;
                }

                port = after[1..];
            }

            return true;
        }

        var colon = authority.IndexOf(':', StringComparison.Ordinal);
        if (colon >= 0 && authority.IndexOf(':', colon + 1) >= 0)
        {
            error = $"has {MqttOptionText.Quote(authority)}, which looks like an IPv6 address without brackets; write it in brackets with the port after them, like mqtt://[2001:db8::1]:1883";
            return false;
        }

        host = colon < 0 ? authority : authority[..colon];
        port = colon < 0 ? null : authority[(colon + 1)..];
        if (host.Length == 0)
        {
            error = $"has no host; write it like {Example}";
            return false;
        }

        if (Uri.CheckHostName(host) == UriHostNameType.Unknown && Uri.CheckHostName(IdnAscii(host)) == UriHostNameType.Unknown)
        {
            error = $"has {MqttOptionText.Quote(host)}, which is not a host name or address; write it like {Example}";
            return false;
        }

        return true;
    }

    private static string IdnAscii(string host)
    {
        try
        {
            return new IdnMapping().GetAscii(host);
        }
        catch (ArgumentException)
        {
            return string.Empty;
        }
    }

    /// <summary>The host as it is written in an address: IPv6 in brackets.</summary>
    public string HostText => Host.Contains(':', StringComparison.Ordinal) ? "[" + Host + "]" : Host;

    /// <summary>The address in canonical form (the WebSocket form is also what MQTTnet connects to).</summary>
    public override string ToString()
    {
        var host = HostText;
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
