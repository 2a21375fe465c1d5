namespace Ingest.Mqtt.Protocol;

/// <summary>MQTT 5 property identifiers (§2.2.2.2). Values are frozen by tests.</summary>
public enum MqttPropertyId : byte
{
    /// <summary>Payload Format Indicator (Byte).</summary>
    PayloadFormatIndicator = 0x01,

    /// <summary>Message Expiry Interval (Four Byte Integer, seconds).</summary>
    MessageExpiryInterval = 0x02,

    /// <summary>Content Type (UTF-8 string).</summary>
    ContentType = 0x03,

    /// <summary>Response Topic (UTF-8 string).</summary>
    ResponseTopic = 0x08,

    /// <summary>Correlation Data (Binary Data).</summary>
    CorrelationData = 0x09,

    /// <summary>Subscription Identifier (Variable Byte Integer).</summary>
    SubscriptionIdentifier = 0x0B,

    /// <summary>Session Expiry Interval (Four Byte Integer, seconds).</summary>
    SessionExpiryInterval = 0x11,

    /// <summary>Assigned Client Identifier (UTF-8 string).</summary>
    AssignedClientIdentifier = 0x12,

    /// <summary>Server Keep Alive (Two Byte Integer, seconds).</summary>
    ServerKeepAlive = 0x13,

    /// <summary>Authentication Method (UTF-8 string).</summary>
    AuthenticationMethod = 0x15,

    /// <summary>Authentication Data (Binary Data).</summary>
    AuthenticationData = 0x16,

    /// <summary>Request Problem Information (Byte).</summary>
    RequestProblemInformation = 0x17,

    /// <summary>Will Delay Interval (Four Byte Integer, seconds).</summary>
    WillDelayInterval = 0x18,

    /// <summary>Request Response Information (Byte).</summary>
    RequestResponseInformation = 0x19,

    /// <summary>Response Information (UTF-8 string).</summary>
    ResponseInformation = 0x1A,

    /// <summary>Server Reference (UTF-8 string).</summary>
    ServerReference = 0x1C,

    /// <summary>Reason String (UTF-8 string).</summary>
    ReasonString = 0x1F,

    /// <summary>Receive Maximum (Two Byte Integer).</summary>
    ReceiveMaximum = 0x21,

    /// <summary>Topic Alias Maximum (Two Byte Integer).</summary>
    TopicAliasMaximum = 0x22,

    /// <summary>Topic Alias (Two Byte Integer).</summary>
    TopicAlias = 0x23,

    /// <summary>Maximum QoS (Byte).</summary>
    MaximumQoS = 0x24,

    /// <summary>Retain Available (Byte).</summary>
    RetainAvailable = 0x25,

    /// <summary>User Property (UTF-8 string pair, repeatable).</summary>
    UserProperty = 0x26,

    /// <summary>Maximum Packet Size (Four Byte Integer).</summary>
    MaximumPacketSize = 0x27,

    /// <summary>Wildcard Subscription Available (Byte).</summary>
    WildcardSubscriptionAvailable = 0x28,

    /// <summary>Subscription Identifier Available (Byte).</summary>
    SubscriptionIdentifierAvailable = 0x29,

    /// <summary>Shared Subscription Available (Byte).</summary>
    SharedSubscriptionAvailable = 0x2A,
}
