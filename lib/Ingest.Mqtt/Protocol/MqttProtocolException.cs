namespace Ingest.Mqtt.Protocol;

/// <summary>
/// A packet from the peer is malformed or breaks the protocol. The connection must be closed with
/// <see cref="ReasonCode"/> (MQTT 5 §4.13). This is the only exception the decoders throw.
/// </summary>
public sealed class MqttProtocolException : Exception
{
    /// <summary>Creates an exception with a message only (reason 0x81 Malformed Packet).</summary>
    public MqttProtocolException()
        : this("malformed MQTT packet")
    {
    }

    /// <summary>Creates an exception with a message (reason 0x81 Malformed Packet).</summary>
    public MqttProtocolException(string message)
        : this(message, MqttReasonCode.MalformedPacket, -1, string.Empty)
    {
    }

    /// <summary>Creates an exception with a message and an inner exception (reason 0x81 Malformed Packet).</summary>
    public MqttProtocolException(string message, Exception innerException)
        : base(message, innerException)
    {
        ReasonCode = MqttReasonCode.MalformedPacket;
        Offset = -1;
        HexExcerpt = string.Empty;
    }

    /// <summary>Creates an exception with every detail.</summary>
    /// <param name="message">What is wrong, in words.</param>
    /// <param name="reasonCode">The DISCONNECT reason to send: 0x81, 0x82, 0x93, 0x94, 0x95 …</param>
    /// <param name="offset">Offset in the packet body where the problem was found, or -1.</param>
    /// <param name="hexExcerpt">Hex of the bytes around <paramref name="offset"/>.</param>
    public MqttProtocolException(string message, MqttReasonCode reasonCode, int offset, string hexExcerpt)
        : base(offset >= 0 ? $"{message} (offset {offset}{(hexExcerpt.Length > 0 ? ": " + hexExcerpt : string.Empty)})" : message)
    {
        ReasonCode = reasonCode;
        Offset = offset;
        HexExcerpt = hexExcerpt;
    }

    /// <summary>The reason code the connection is closed with.</summary>
    public MqttReasonCode ReasonCode { get; }

    /// <summary>Offset in the decoded input where the problem was found, or -1 when unknown.</summary>
    public int Offset { get; }

    /// <summary>Hex of up to <see cref="MqttLimits.ExceptionHexExcerptLength"/> bytes from <see cref="Offset"/>.</summary>
    public string HexExcerpt { get; }
}
