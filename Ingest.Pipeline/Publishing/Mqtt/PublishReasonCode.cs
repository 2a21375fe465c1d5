namespace Ingest.Pipeline.Publishing.Mqtt;

/// <summary>PUBACK reason codes [MQTT 5 §3.4.2.1] plus the ones we give locally when refusing before sending (§2.4).</summary>
internal enum PublishReasonCode : byte
{
    /// <summary>0x00: accepted (also what MQTT 3.1.1's PUBACK, which has no reason code, means).</summary>
    Success = 0x00,

    /// <summary>0x10: accepted, nobody subscribed.</summary>
    NoMatchingSubscribers = 0x10,

    /// <summary>0x80.</summary>
    UnspecifiedError = 0x80,

    /// <summary>0x83.</summary>
    ImplementationSpecificError = 0x83,

    /// <summary>0x87.</summary>
    NotAuthorized = 0x87,

    /// <summary>0x90.</summary>
    TopicNameInvalid = 0x90,

    /// <summary>0x91.</summary>
    PacketIdentifierInUse = 0x91,

    /// <summary>0x95: larger than the server's Maximum Packet Size (local refusal).</summary>
    PacketTooLarge = 0x95,

    /// <summary>0x97.</summary>
    QuotaExceeded = 0x97,

    /// <summary>0x99.</summary>
    PayloadFormatInvalid = 0x99,

    /// <summary>0x9A: the server has Retain Available 0 (local refusal).</summary>
    RetainNotSupported = 0x9A,

    /// <summary>0x9B: the server's Maximum QoS is 0 (local refusal).</summary>
    QoSNotSupported = 0x9B,
}
