namespace Ingest.Mqtt.Protocol;

/// <summary>The fixed header of one framed packet (MQTT 5 §2.1).</summary>
/// <param name="PacketType">The control packet type.</param>
/// <param name="Flags">Bits 3–0 of the first byte.</param>
/// <param name="RemainingLength">Bytes after the fixed header.</param>
/// <param name="HeaderLength">Bytes of the fixed header itself (2–5).</param>
public readonly record struct MqttFixedHeader(MqttPacketType PacketType, byte Flags, int RemainingLength, int HeaderLength)
{
    /// <summary>Whole packet length: fixed header plus Remaining Length.</summary>
    public int PacketLength => HeaderLength + RemainingLength;
}
