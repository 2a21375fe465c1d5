using System.Diagnostics.CodeAnalysis;

namespace Ingest.Mqtt;

/// <summary>A broker address as people write it: <c>mqtt://host[:1883]</c> or <c>mqtts://host[:8883]</c> (also tcp://, ssl://, tls://).</summary>
/// <param name="Host">Host name or address.</param>
/// <param name="Port">TCP port.</param>
/// <param name="UseTls">Whether the scheme asks for TLS.</param>
public sealed record MqttBrokerAddress(string Host, int Port, bool UseTls)
{
    /// <summary>Parses an address; returns false with a plain-words <paramref name="error"/> when it is not one.</summary>
    public static bool TryParse(string? text, [NotNullWhen(true)] out MqttBrokerAddress? address, out string error)
    {
        address = null;
        error = string.Empty;
        if (string.IsNullOrWhiteSpace(text))
        {
            error = "no broker address given; write it like mqtts://broker.example.org:8883";
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

        bool tls;
        switch (uri.Scheme.ToUpperInvariant())
        {
            case "MQTT":
            case "TCP":
                tls = false;
                break;
            case "MQTTS":
            case "SSL":
            case "TLS":
                tls = true;
                break;
            default:
                error = $"unknown scheme '{uri.Scheme}'; use mqtt:// (plain) or mqtts:// (TLS)";
                return false;
        }

        var port = uri.IsDefaultPort || uri.Port <= 0 ? (tls ? MqttClientOptions.DefaultTlsPort : MqttClientOptions.DefaultPort) : uri.Port;
        address = new MqttBrokerAddress(uri.IdnHost.Trim('[', ']'), port, tls);
        return true;
    }

    /// <inheritdoc />
    public override string ToString() => $"{(UseTls ? "mqtts" : "mqtt")}://{Host}:{Port}";
}
