using System.Globalization;
using MQTTnet.Formatter;

namespace Ingest.Pipeline.Publishing.Mqtt;

/// <summary>
/// Immutable settings of an <see cref="MqttPublisher"/>. Defaults are named constants with the reason for their
/// value; <see cref="Validate"/> checks everything in one place and says what to change.
/// </summary>
internal sealed record MqttPublisherOptions
{
    /// <summary>30 s: PINGREQ traffic stays negligible and a dead broker is noticed within 45 s [MQTT-3.1.2-22].</summary>
    public const int DefaultKeepAliveSeconds = 30;

    /// <summary>
    /// 0 (session ends with the connection): MQTTnet does not resend in-flight QoS 1 after a reconnect even when the
    /// session is present, so a kept session buys a publisher nothing; the spool republishes instead.
    /// </summary>
    public const uint DefaultSessionExpirySeconds = 0;

    /// <summary>
    /// 64 publishes awaiting PUBACK: enough to keep a 100 ms uplink busy at 300 batches/s; the server's Receive Maximum
    /// lowers it further (MQTTnet does no flow control of its own).
    /// </summary>
    public const int DefaultMaximumInFlight = 64;

    /// <summary>
    /// 4 MiB socket buffers, Linux's TCP autotuning ceiling (tcp_wmem max), which MQTTnet's explicit setting otherwise
    /// switches off: its 8 KiB default throttles 16 KiB publishes to ≈ 500/s (libraries.md), and at 128 KiB 208 KiB gave
    /// 0.55 of the raw reference against 0.88 for 4 MiB (docs/wire/mqtt.md). The kernel caps it at net.core.wmem_max.
    /// </summary>
    public const int DefaultSocketBufferBytes = 4 * 1024 * 1024;

    /// <summary>Smallest socket buffer accepted: below one 8 KiB chunk MQTTnet's writes fragment badly.</summary>
    public const int MinimumSocketBufferBytes = 8 * 1024;

    /// <summary>Largest socket buffer accepted: Linux caps net.core.wmem_max at a few MiB anyway.</summary>
    public const int MaximumSocketBufferBytes = 16 * 1024 * 1024;

    /// <summary>Received messages buffered for the reader of <see cref="MqttPublisher.ReceivedMessages"/>: receipts and broker check only.</summary>
    public const int DefaultReceivedMessageCapacity = 256;

    /// <summary>
    /// Longest client id accepted: 128 (AWS IoT's limit; mosquitto, EMQX and HiveMQ take more). Servers only have to accept
    /// 23 characters [MQTT-3.1.3-5], so keep ids short where the broker is unknown.
    /// </summary>
    public const int MaximumClientIdLength = 128;

    /// <summary>Longest topic accepted (UTF-8 bytes): the MQTT string limit [MQTT-1.5.4].</summary>
    public const int MaximumTopicBytes = ushort.MaxValue;

    /// <summary>10 s: long enough for TLS on a slow uplink, short enough for a person running broker check.</summary>
    public static readonly TimeSpan DefaultConnectTimeout = TimeSpan.FromSeconds(10);

    /// <summary>Shortest connect timeout: 1 s; below it a TLS handshake over a home uplink fails for no fault of the broker.</summary>
    public static readonly TimeSpan MinimumConnectTimeout = TimeSpan.FromSeconds(1);

    /// <summary>Longest connect timeout: 5 min; a broker that takes longer to answer is down, and waiting hides it.</summary>
    public static readonly TimeSpan MaximumConnectTimeout = TimeSpan.FromMinutes(5);

    /// <summary>
    /// Longest publish timeout: 1 hour. Waiting longer for a PUBACK only keeps the batch from being republished (and
    /// timers hold at most ~24.8 days anyway).
    /// </summary>
    public static readonly TimeSpan MaximumPublishTimeout = TimeSpan.FromHours(1);

    /// <summary>
    /// 30 s without PUBACK and a publish gives up with <see cref="PublishOutcome.TimedOut"/>: MQTTnet would wait forever;
    /// the spool republishes it.
    /// </summary>
    public static readonly TimeSpan DefaultPublishTimeout = TimeSpan.FromSeconds(30);

    /// <summary>First reconnect delay: 100 ms, so a broker restart costs little.</summary>
    public static readonly TimeSpan DefaultReconnectMinimumDelay = TimeSpan.FromMilliseconds(100);

    /// <summary>Reconnect delay cap: 30 s keeps a fleet from hammering a broker that stays down.</summary>
    public static readonly TimeSpan DefaultReconnectMaximumDelay = TimeSpan.FromSeconds(30);

    /// <summary>Where the broker is.</summary>
    public required MqttBrokerUrl Broker { get; init; }

    /// <summary>Client Identifier: letters, digits, '-' and '_' (what every broker accepts [MQTT-3.1.3-5]).</summary>
    public required string ClientId { get; init; }

    /// <summary>User Name, or null.</summary>
    public string? UserName { get; init; }

    /// <summary>Password, or null (needs a <see cref="UserName"/> under MQTT 3.1.1 [MQTT-3.1.2-22]).</summary>
    public string? Password { get; init; }

    /// <summary>TLS settings; required exactly when the URL is mqtts:// or wss:// (null there means: system trust store).</summary>
    public MqttTlsSettings? Tls { get; init; }

    /// <summary>Protocol to try first: MQTT 5 unless the broker is known to be 3.1.1-only.</summary>
    public MqttProtocolVersion ProtocolVersion { get; init; } = MqttProtocolVersion.V500;

    /// <summary>
    /// Retry with MQTT 3.1.1 when the broker refuses MQTT 5 (CONNACK 0x84, or 3.1.1 return code 1) or closes before
    /// CONNACK. The version that worked sticks for reconnects.
    /// </summary>
    public bool AllowFallbackToV311 { get; init; } = true;

    /// <summary>Keep Alive in seconds; 0 disables it (not recommended: a dead broker goes unnoticed).</summary>
    public int KeepAliveSeconds { get; init; } = DefaultKeepAliveSeconds;

    /// <summary>Session Expiry Interval in seconds (MQTT 5). Non-zero also sets Clean Start off on reconnects.</summary>
    public uint SessionExpirySeconds { get; init; } = DefaultSessionExpirySeconds;

    /// <summary>The retained "offline" Will, or null for none.</summary>
    public MqttOfflineWill? Will { get; init; }

    /// <summary>Timeout of TCP connect + TLS handshake + CONNACK.</summary>
    public TimeSpan ConnectTimeout { get; init; } = DefaultConnectTimeout;

    /// <summary>How long a publish waits for its PUBACK before it ends as <see cref="PublishOutcome.TimedOut"/>.</summary>
    public TimeSpan PublishTimeout { get; init; } = DefaultPublishTimeout;

    /// <summary>Reconnect by itself after an established connection is lost.</summary>
    public bool AutoReconnect { get; init; } = true;

    /// <summary>Smallest reconnect delay.</summary>
    public TimeSpan ReconnectMinimumDelay { get; init; } = DefaultReconnectMinimumDelay;

    /// <summary>Largest reconnect delay.</summary>
    public TimeSpan ReconnectMaximumDelay { get; init; } = DefaultReconnectMaximumDelay;

    /// <summary>Our cap on publishes awaiting PUBACK; the server's Receive Maximum lowers it further.</summary>
    public int MaximumInFlight { get; init; } = DefaultMaximumInFlight;

    /// <summary>Socket send and receive buffer size, set on the built MQTTnet options (TCP transports).</summary>
    public int SocketBufferBytes { get; init; } = DefaultSocketBufferBytes;

    /// <summary>Capacity of <see cref="MqttPublisher.ReceivedMessages"/>; when full, the oldest message is dropped and counted.</summary>
    public int ReceivedMessageCapacity { get; init; } = DefaultReceivedMessageCapacity;

    /// <summary>Throws <see cref="MqttOptionsException"/> naming the first setting that is out of range and what to change.</summary>
    public void Validate()
    {
        if (Broker is null)
        {
            throw new MqttOptionsException("no broker address given; write it like mqtts://broker.example.org:8883");
        }

        if (ProblemWithClientId(ClientId) is { } clientIdProblem)
        {
            throw new MqttOptionsException("--client-id", clientIdProblem);
        }

        if (UserName is not null && ProblemWithUserName(UserName) is { } userProblem)
        {
            throw new MqttOptionsException("--username", userProblem);
        }

        if (Password is not null && ProblemWithPassword(Password) is { } passwordProblem)
        {
            throw new MqttOptionsException("--password", passwordProblem);
        }

        if (ProtocolVersion is not (MqttProtocolVersion.V500 or MqttProtocolVersion.V311))
        {
            throw new MqttOptionsException($"MQTT version {ProtocolVersion} is not supported; use 5 (with fallback to 3.1.1) or 3.1.1");
        }

        if (Password is not null && UserName is null)
        {
            throw new MqttOptionsException("a password was given without a user name; pass --username as well");
        }

        if (Tls is not null && !Broker.UsesTls)
        {
            throw new MqttOptionsException($"TLS settings were given for {Broker}, which is not encrypted; use mqtts:// or wss:// to connect with TLS");
        }

        if (KeepAliveSeconds is < 0 or > ushort.MaxValue)
        {
            throw new MqttOptionsException($"keep-alive {KeepAliveSeconds.ToString(CultureInfo.InvariantCulture)} s is out of range; use 0..65535 seconds");
        }

        if (MaximumInFlight is < 1 or > ushort.MaxValue)
        {
            throw new MqttOptionsException($"maximum in-flight {MaximumInFlight.ToString(CultureInfo.InvariantCulture)} is out of range; use 1..65535");
        }

        if (SocketBufferBytes is < MinimumSocketBufferBytes or > MaximumSocketBufferBytes)
        {
            throw new MqttOptionsException($"socket buffer {SocketBufferBytes.ToString(CultureInfo.InvariantCulture)} bytes is out of range; use {MinimumSocketBufferBytes}..{MaximumSocketBufferBytes}");
        }

        if (ReceivedMessageCapacity < 1)
        {
            throw new MqttOptionsException("received-message capacity must be at least 1");
        }

        if (ConnectTimeout <= TimeSpan.Zero || PublishTimeout <= TimeSpan.Zero)
        {
            throw new MqttOptionsException("connect and publish timeouts must be positive");
        }

        if (ConnectTimeout > MaximumConnectTimeout || PublishTimeout > MaximumPublishTimeout)
        {
            throw new MqttOptionsException($"the connect timeout may be at most {MaximumConnectTimeout.TotalMinutes:0} min and the publish timeout at most {MaximumPublishTimeout.TotalHours:0} h");
        }

        if (ReconnectMinimumDelay < TimeSpan.Zero || ReconnectMaximumDelay < ReconnectMinimumDelay)
        {
            throw new MqttOptionsException("reconnect delays must satisfy 0 <= minimum <= maximum");
        }

        if (Will is not null && ProblemWithTopicName(Will.Topic) is { } willProblem)
        {
            throw new MqttOptionsException($"Will topic {willProblem}");
        }
    }

    /// <summary>
    /// Returns null when <paramref name="clientId"/> is a Client Identifier every broker takes, else what is wrong (the
    /// value quoted short): 1 to <see cref="MaximumClientIdLength"/> ASCII letters, digits, '-' and '_' [MQTT-3.1.3-5].
    /// </summary>
    public static string? ProblemWithClientId(string? clientId)
    {
        if (string.IsNullOrEmpty(clientId))
        {
            return $"is empty; use 1 to {MaximumClientIdLength} letters, digits, '-' and '_'";
        }

        if (clientId.Length > MaximumClientIdLength || !clientId.All(static c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_'))
        {
            return $"{MqttOptionText.Quote(clientId)} must be 1 to {MaximumClientIdLength} characters of ASCII letters, digits, '-' and '_' so that every broker accepts it";
        }

        return null;
    }

    /// <summary>Returns null when <paramref name="userName"/> can be sent as the MQTT User Name, else what is wrong (value quoted short).</summary>
    public static string? ProblemWithUserName(string userName)
    {
        ArgumentNullException.ThrowIfNull(userName);
        return MqttOptionText.ProblemWithString(userName) is { } problem ? $"{MqttOptionText.Quote(userName)} {problem}" : null;
    }

    /// <summary>
    /// Returns null when <paramref name="password"/> can be sent (Binary Data of at most 65,535 bytes [MQTT-1.5.6], here
    /// its UTF-8 bytes), else what is wrong. The password itself is never part of the answer.
    /// </summary>
    public static string? ProblemWithPassword(string password)
    {
        ArgumentNullException.ThrowIfNull(password);
        return MqttOptionText.ProblemWithString(password) is { } problem ? $"(not shown) {problem}" : null;
    }

    /// <summary>
    /// Returns null when <paramref name="topic"/> is a topic name a client may publish to, else what is wrong (value
    /// quoted short): not empty [MQTT-4.7.3-1], no '+' or '#' wildcard [MQTT-3.3.2-2], a valid MQTT string [MQTT-4.7.3-2, 1.5.4].
    /// </summary>
    public static string? ProblemWithTopicName(string? topic)
    {
        if (string.IsNullOrEmpty(topic))
        {
            return "is empty; a topic name has at least one character, e.g. wearable-ingest/hubs/hub-1/status";
        }

        if (topic.AsSpan().IndexOfAny('+', '#') >= 0)
        {
            return $"{MqttOptionText.Quote(topic)} contains a wildcard ('+' or '#'), which only subscriptions may use; give one exact topic name";
        }

        return MqttOptionText.ProblemWithString(topic) is { } problem ? $"{MqttOptionText.Quote(topic)} {problem}" : null;
    }
}
