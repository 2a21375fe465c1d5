using Ingest.Mqtt.Protocol;

namespace Ingest.Mqtt;

/// <summary>
/// Immutable settings of an <see cref="MqttClient"/>. Defaults are named constants with the reason for their value;
/// <see cref="Validate"/> checks everything in one place.
/// </summary>
public sealed class MqttClientOptions
{
    /// <summary>Plain MQTT port (IANA).</summary>
    public const int DefaultPort = 1883;

    /// <summary>MQTT over TLS port (IANA).</summary>
    public const int DefaultTlsPort = 8883;

    /// <summary>30 s: PINGREQ traffic stays negligible and a dead broker is noticed within 45 s.</summary>
    public const int DefaultKeepAliveSeconds = 30;

    /// <summary>10 s: long enough for TLS on a slow uplink, short enough for a person running broker check.</summary>
    public static readonly TimeSpan DefaultConnectTimeout = TimeSpan.FromSeconds(10);

    /// <summary>First reconnect delay: 100 ms, so a broker restart costs little.</summary>
    public static readonly TimeSpan DefaultReconnectMinimumDelay = TimeSpan.FromMilliseconds(100);

    /// <summary>Reconnect delay cap: 30 s keeps a fleet from hammering a broker that stays down.</summary>
    public static readonly TimeSpan DefaultReconnectMaximumDelay = TimeSpan.FromSeconds(30);

    /// <summary>Inbound Receive Maximum we advertise: 64 unacknowledged QoS 1/2 deliveries is plenty for receipts.</summary>
    public const int DefaultReceiveMaximum = 64;

    /// <summary>Received messages buffered before the reader stops reading (backpressure instead of growth).</summary>
    public const int DefaultReceivedMessageCapacity = 1024;

    /// <summary>Our own cap on QoS 1/2 publishes in flight; the server's Receive Maximum applies on top. 65,535 = no extra cap.</summary>
    public const int DefaultMaximumInFlight = ushort.MaxValue;

    /// <summary>
    /// Payloads at least this large are written from the caller's memory (a gathered send on TCP) instead of being copied
    /// into the send buffer: 16 KiB. Below that a copy (tens of nanoseconds per KiB) is cheaper than another segment in the
    /// send, which caps segments per system call; over TLS it is also one full record.
    /// </summary>
    public const int DefaultZeroCopyPayloadThreshold = 16 * 1024;

    /// <summary>Broker host name or address.</summary>
    public required string Host { get; init; }

    /// <summary>Broker port (defaults to 1883, or 8883 with <see cref="Tls"/>).</summary>
    public int? Port { get; init; }

    /// <summary>TLS settings; null for plain TCP.</summary>
    public MqttTlsOptions? Tls { get; init; }

    /// <summary>Client Identifier; empty lets an MQTT 5 server assign one (kept for reconnects).</summary>
    public string ClientId { get; init; } = string.Empty;

    /// <summary>User Name, or null.</summary>
    public string? UserName { get; init; }

    /// <summary>Password, or null.</summary>
    public ReadOnlyMemory<byte>? Password { get; init; }

    /// <summary>Protocol to try first. MQTT 5 unless the broker is known to be 3.1.1-only.</summary>
    public MqttProtocolVersion ProtocolVersion { get; init; } = MqttProtocolVersion.V500;

    /// <summary>
    /// Retry with MQTT 3.1.1 when the broker answers MQTT 5 with "unsupported protocol version" or closes before
    /// CONNACK (RabbitMQ 3.10, aedes). The fallback sticks for reconnects.
    /// </summary>
    public bool AllowFallbackToV311 { get; init; } = true;

    /// <summary>Clean Start on the first connect. Reconnects never set it when a session may exist.</summary>
    public bool CleanStart { get; init; } = true;

    /// <summary>Session Expiry Interval in seconds (MQTT 5); non-zero lets the session survive a reconnect.</summary>
    public uint SessionExpiryInterval { get; init; }

    /// <summary>Keep Alive in seconds; 0 disables it (not recommended: dead brokers go unnoticed).</summary>
    public int KeepAliveSeconds { get; init; } = DefaultKeepAliveSeconds;

    /// <summary>Timeout of TCP connect + TLS handshake + CONNACK.</summary>
    public TimeSpan ConnectTimeout { get; init; } = DefaultConnectTimeout;

    /// <summary>The Will (the hub's retained "offline" status).</summary>
    public MqttWillMessage? Will { get; init; }

    /// <summary>Reconnect automatically after a connection that was established is lost.</summary>
    public bool AutoReconnect { get; init; } = true;

    /// <summary>Smallest reconnect delay.</summary>
    public TimeSpan ReconnectMinimumDelay { get; init; } = DefaultReconnectMinimumDelay;

    /// <summary>Largest reconnect delay.</summary>
    public TimeSpan ReconnectMaximumDelay { get; init; } = DefaultReconnectMaximumDelay;

    /// <summary>Our cap on QoS 1/2 publishes in flight (the server's Receive Maximum also applies).</summary>
    public int MaximumInFlight { get; init; } = DefaultMaximumInFlight;

    /// <summary>Receive Maximum we advertise for inbound QoS 1/2 deliveries.</summary>
    public int ReceiveMaximum { get; init; } = DefaultReceiveMaximum;

    /// <summary>Largest packet we accept (advertised as Maximum Packet Size); bounds our receive buffer.</summary>
    public int MaximumIncomingPacketSize { get; init; } = MqttLimits.DefaultMaximumIncomingPacketSize;

    /// <summary>Received messages buffered before reading pauses.</summary>
    public int ReceivedMessageCapacity { get; init; } = DefaultReceivedMessageCapacity;

    /// <summary>Use Topic Aliases when the server allows them (saves the topic bytes on repeated topics).</summary>
    public bool UseTopicAliases { get; init; } = true;

    /// <summary>Payloads at least this large are sent as their own segment without copying.</summary>
    public int ZeroCopyPayloadThreshold { get; init; } = DefaultZeroCopyPayloadThreshold;

    /// <summary>The port in effect.</summary>
    public int EffectivePort => Port ?? (Tls is null ? DefaultPort : DefaultTlsPort);

    /// <summary>Throws <see cref="ArgumentException"/> when a setting is out of range.</summary>
    public void Validate()
    {
        if (string.IsNullOrWhiteSpace(Host))
        {
            throw new ArgumentException("Host is required", nameof(Host));
        }

        if (EffectivePort is < 1 or > 65535)
        {
            throw new ArgumentException("Port must be 1..65535", nameof(Port));
        }

        if (ProtocolVersion is not (MqttProtocolVersion.V500 or MqttProtocolVersion.V311))
        {
            throw new ArgumentException("ProtocolVersion must be V500 or V311", nameof(ProtocolVersion));
        }

        if (KeepAliveSeconds is < 0 or > ushort.MaxValue)
        {
            throw new ArgumentException("KeepAliveSeconds must be 0..65535", nameof(KeepAliveSeconds));
        }

        if (MaximumInFlight is < 1 or > ushort.MaxValue)
        {
            throw new ArgumentException("MaximumInFlight must be 1..65535", nameof(MaximumInFlight));
        }

        if (ReceiveMaximum is < 1 or > ushort.MaxValue)
        {
            throw new ArgumentException("ReceiveMaximum must be 1..65535", nameof(ReceiveMaximum));
        }

        if (MaximumIncomingPacketSize is < 64 or > MqttLimits.MaxPacketSize)
        {
            throw new ArgumentException("MaximumIncomingPacketSize must be 64..268,435,460", nameof(MaximumIncomingPacketSize));
        }

        if (ReceivedMessageCapacity < 1)
        {
            throw new ArgumentException("ReceivedMessageCapacity must be positive", nameof(ReceivedMessageCapacity));
        }

        if (ConnectTimeout <= TimeSpan.Zero || ReconnectMinimumDelay < TimeSpan.Zero || ReconnectMaximumDelay < ReconnectMinimumDelay)
        {
            throw new ArgumentException("timeouts must be positive and ReconnectMinimumDelay <= ReconnectMaximumDelay", nameof(ConnectTimeout));
        }

        if (ClientId.Length == 0 && ProtocolVersion == MqttProtocolVersion.V311 && !CleanStart)
        {
            throw new ArgumentException("MQTT 3.1.1 needs a client id for a persistent session", nameof(ClientId));
        }
    }
}
