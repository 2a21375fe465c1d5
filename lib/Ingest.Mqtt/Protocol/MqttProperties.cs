namespace Ingest.Mqtt.Protocol;

/// <summary>
/// The properties of one MQTT 5 packet (§2.2.2). Null means absent. Which properties a packet may carry is
/// checked by the encoder and the decoder. Instances are mutable and not thread-safe; a publisher may reuse one
/// for many messages as long as it does not change it while a publish that uses it is in flight.
/// </summary>
public sealed class MqttProperties
{
    private List<MqttUserProperty>? _userProperties;
    private List<int>? _subscriptionIdentifiers;

    /// <summary>0x01: 0 = unspecified bytes, 1 = UTF-8 (PUBLISH, Will).</summary>
    public byte? PayloadFormatIndicator { get; set; }

    /// <summary>0x02: lifetime of the message in seconds (PUBLISH, Will).</summary>
    public uint? MessageExpiryInterval { get; set; }

    /// <summary>0x03: MIME type of the payload (PUBLISH, Will).</summary>
    public string? ContentType { get; set; }

    /// <summary>0x08: topic for a response (PUBLISH, Will).</summary>
    public string? ResponseTopic { get; set; }

    /// <summary>0x09: correlates a response with its request (PUBLISH, Will).</summary>
    public ReadOnlyMemory<byte>? CorrelationData { get; set; }

    /// <summary>0x11: session lifetime in seconds; 0xFFFFFFFF = never expires (CONNECT, CONNACK, DISCONNECT).</summary>
    public uint? SessionExpiryInterval { get; set; }

    /// <summary>0x12: client id chosen by the server (CONNACK).</summary>
    public string? AssignedClientIdentifier { get; set; }

    /// <summary>0x13: keep-alive the server imposes, in seconds (CONNACK).</summary>
    public ushort? ServerKeepAlive { get; set; }

    /// <summary>0x15: extended authentication method (CONNECT, CONNACK, AUTH).</summary>
    public string? AuthenticationMethod { get; set; }

    /// <summary>0x16: extended authentication data (CONNECT, CONNACK, AUTH).</summary>
    public ReadOnlyMemory<byte>? AuthenticationData { get; set; }

    /// <summary>0x17: whether the server may send Reason Strings and User Properties on failures (CONNECT).</summary>
    public byte? RequestProblemInformation { get; set; }

    /// <summary>0x18: delay before the Will is published, in seconds (Will).</summary>
    public uint? WillDelayInterval { get; set; }

    /// <summary>0x19: ask the server for Response Information (CONNECT).</summary>
    public byte? RequestResponseInformation { get; set; }

    /// <summary>0x1A: basis for response topics (CONNACK).</summary>
    public string? ResponseInformation { get; set; }

    /// <summary>0x1C: another server to use (CONNACK, DISCONNECT).</summary>
    public string? ServerReference { get; set; }

    /// <summary>0x1F: human-readable diagnostic (acknowledgements, DISCONNECT, AUTH).</summary>
    public string? ReasonString { get; set; }

    /// <summary>0x21: how many QoS 1/2 publishes the sender of this packet accepts in flight (CONNECT, CONNACK).</summary>
    public ushort? ReceiveMaximum { get; set; }

    /// <summary>0x22: highest Topic Alias the sender of this packet accepts (CONNECT, CONNACK).</summary>
    public ushort? TopicAliasMaximum { get; set; }

    /// <summary>0x23: alias standing for the topic name (PUBLISH).</summary>
    public ushort? TopicAlias { get; set; }

    /// <summary>0x24: highest QoS the server supports, 0 or 1; absent = 2 (CONNACK).</summary>
    public byte? MaximumQoS { get; set; }

    /// <summary>0x25: whether retained messages are supported (CONNACK).</summary>
    public byte? RetainAvailable { get; set; }

    /// <summary>0x27: largest packet the sender of this packet accepts (CONNECT, CONNACK).</summary>
    public uint? MaximumPacketSize { get; set; }

    /// <summary>0x28: whether wildcard subscriptions are supported (CONNACK).</summary>
    public byte? WildcardSubscriptionAvailable { get; set; }

    /// <summary>0x29: whether subscription identifiers are supported (CONNACK).</summary>
    public byte? SubscriptionIdentifierAvailable { get; set; }

    /// <summary>0x2A: whether shared subscriptions are supported (CONNACK).</summary>
    public byte? SharedSubscriptionAvailable { get; set; }

    /// <summary>0x26: User Properties in order (every packet with properties).</summary>
    public IList<MqttUserProperty> UserProperties => _userProperties ??= new List<MqttUserProperty>();

    /// <summary>0x0B: Subscription Identifiers (one in SUBSCRIBE; one per matching subscription in a server PUBLISH).</summary>
    public IList<int> SubscriptionIdentifiers => _subscriptionIdentifiers ??= new List<int>();

    /// <summary>Number of User Properties without creating the list.</summary>
    public int UserPropertyCount => _userProperties?.Count ?? 0;

    /// <summary>Number of Subscription Identifiers without creating the list.</summary>
    public int SubscriptionIdentifierCount => _subscriptionIdentifiers?.Count ?? 0;

    internal List<MqttUserProperty>? UserPropertyList => _userProperties;

    internal List<int>? SubscriptionIdentifierList => _subscriptionIdentifiers;
}
