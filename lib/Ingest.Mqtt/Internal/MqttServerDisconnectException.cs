using Ingest.Mqtt.Protocol;

namespace Ingest.Mqtt.Internal;

/// <summary>The broker sent DISCONNECT (MQTT 5 §3.14); carries its reason.</summary>
internal sealed class MqttServerDisconnectException : IOException
{
    public MqttServerDisconnectException(MqttReasonCode reasonCode, string? reasonString)
        : base($"the broker disconnected us: {reasonCode} (0x{(byte)reasonCode:X2}){(reasonString is null ? string.Empty : ": " + reasonString)}")
    {
        ReasonCode = reasonCode;
    }

    public MqttReasonCode ReasonCode { get; }
}
