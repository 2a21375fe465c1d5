namespace Ingest.Mqtt.Protocol;

/// <summary>
/// Named limits checked against every length and count read from the wire before it is used to allocate or
/// slice (style.md §4). Protocol limits cite the spec; our own caps say why they are what they are.
/// </summary>
public static class MqttLimits
{
    /// <summary>MQTT 5 §1.5.5: a Variable Byte Integer has at most 4 bytes.</summary>
    public const int MaxVariableByteIntegerLength = 4;

    /// <summary>MQTT 5 §1.5.5: the largest Variable Byte Integer, <c>FF FF FF 7F</c>.</summary>
    public const int MaxVariableByteInteger = 268_435_455;

    /// <summary>MQTT 5 §2.1.4: the largest Remaining Length.</summary>
    public const int MaxRemainingLength = MaxVariableByteInteger;

    /// <summary>The largest whole packet the protocol allows: 1 type byte + 4 length bytes + Remaining Length.</summary>
    public const int MaxPacketSize = 1 + MaxVariableByteIntegerLength + MaxRemainingLength;

    /// <summary>MQTT 5 §1.5.4: a UTF-8 string or Binary Data field has a two-byte length.</summary>
    public const int MaxStringLength = ushort.MaxValue;

    /// <summary>
    /// Largest packet this client accepts unless configured otherwise (advertised as Maximum Packet Size in
    /// CONNECT). A hub receives only receipts and acknowledgements, so 1 MiB is generous and bounds the receive buffer.
    /// </summary>
    public const int DefaultMaximumIncomingPacketSize = 1024 * 1024;

    /// <summary>
    /// Our cap on User Properties in one decoded packet. The spec has none beyond the packet size; 1,024 bounds
    /// the list a hostile peer can make us grow from one packet of tiny pairs.
    /// </summary>
    public const int MaxUserProperties = 1024;

    /// <summary>Our cap on topic filters (or reason codes) in one SUBSCRIBE/SUBACK/UNSUBSCRIBE/UNSUBACK we decode.</summary>
    public const int MaxTopicFiltersPerPacket = 4096;

    /// <summary>Our cap on Subscription Identifiers in one server PUBLISH (one per matching subscription).</summary>
    public const int MaxSubscriptionIdentifiers = 256;

    /// <summary>MQTT 5 §2.2.1: Packet Identifiers are non-zero 16-bit integers.</summary>
    public const int MaxPacketIdentifier = ushort.MaxValue;

    /// <summary>MQTT 5 §3.2.2.3.3: Receive Maximum defaults to 65,535 when absent.</summary>
    public const int DefaultReceiveMaximum = ushort.MaxValue;

    /// <summary>MQTT 5 §3.3.2.3.4: Topic Alias is a Two Byte Integer, so at most 65,535.</summary>
    public const int MaxTopicAlias = ushort.MaxValue;

    /// <summary>Bytes of an offending packet copied into <see cref="MqttProtocolException.HexExcerpt"/>.</summary>
    public const int ExceptionHexExcerptLength = 32;
}
