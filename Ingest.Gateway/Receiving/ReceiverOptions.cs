using Ingest.Pipeline.Publishing;
using Ingest.Pipeline.Publishing.Mqtt;
using MQTTnet.Formatter;

namespace Ingest.Gateway.Receiving;

/// <summary>Immutable settings of a <see cref="BatchReceiver"/>; <see cref="Validate"/> names the bad one and what to change.</summary>
internal sealed record ReceiverOptions
{
    /// <summary>Shared subscription group when none is given: every receiver started with the default splits the load.</summary>
    public const string DefaultGroup = "wearable-receivers";

    /// <summary>
    /// 32 batches delivered and not yet acknowledged: the receiver acknowledges only after landing (fsync), so this bounds
    /// memory (32 × the largest batch) and lets a broker hand the rest of the group's share to other receivers.
    /// </summary>
    public const int DefaultReceiveMaximum = 32;

    /// <summary>
    /// One hour: when every receiver is down, the broker keeps queuing the group's messages for this long, so a restart
    /// (with the same client id) loses nothing. Hubs that require receipts keep their batches anyway.
    /// </summary>
    public const uint DefaultSessionExpirySeconds = 3600;

    /// <summary>Ledger saved at most this often while batches arrive (and always on exit); staging covers a crash in between.</summary>
    public static readonly TimeSpan LedgerSaveInterval = TimeSpan.FromSeconds(1);

    public required MqttBrokerUrl Broker { get; init; }

    public required string ClientId { get; init; }

    public required string OutputDirectory { get; init; }

    public string? UserName { get; init; }

    public string? Password { get; init; }

    public MqttTlsSettings? Tls { get; init; }

    public MqttProtocolVersion ProtocolVersion { get; init; } = MqttProtocolVersion.V500;

    /// <summary>Shared subscription group (<c>$share/{group}/…</c>).</summary>
    public string Group { get; init; } = DefaultGroup;

    /// <summary>Only this study's batches, or null for every study.</summary>
    public string? Study { get; init; }

    public int ReceiveMaximum { get; init; } = DefaultReceiveMaximum;

    public uint SessionExpirySeconds { get; init; } = DefaultSessionExpirySeconds;

    public int MaximumPayloadBytes { get; init; } = ReceiveLimits.DefaultMaximumPayloadBytes;

    public int MaximumRows { get; init; } = ReceiveLimits.DefaultMaximumRows;

    public TimeSpan ConnectTimeout { get; init; } = MqttPublisherOptions.DefaultConnectTimeout;

    /// <summary>The hubs' retained status topics (not shared: each receiver watches the whole fleet).</summary>
    public string StatusTopicFilter => $"{BatchAddress.TopicRoot}/{Study ?? "+"}/hubs/+/status";

    /// <summary>The subscription: <c>$share/{group}/wearables/{study or +}/+/+/+</c> (site, participant, stream).</summary>

    public string TopicFilter => $"$share/{Group}/{BatchAddress.TopicRoot}/{Study ?? "+"}/+/+/+";

    /// <summary>Throws <see cref="MqttOptionsException"/> naming the option and what to change.</summary>
    public void Validate()
    {
        if (BatchAddress.ProblemWithLevel(Group) is { } groupProblem)
        {
            throw new MqttOptionsException("--group", $"{MqttOptionText.Quote(Group ?? string.Empty)} {groupProblem}");
        }

        if (Study is not null && BatchAddress.ProblemWithLevel(Study) is { } studyProblem)
        {
            throw new MqttOptionsException("--study", $"{MqttOptionText.Quote(Study)} {studyProblem}");
        }

        if (MqttPublisherOptions.ProblemWithClientId(ClientId) is { } clientIdProblem)
        {
            throw new MqttOptionsException("--client-id", clientIdProblem);
        }

        if (UserName is not null && MqttPublisherOptions.ProblemWithUserName(UserName) is { } userProblem)
        {
            throw new MqttOptionsException("--username", userProblem);
        }

        if (Password is not null && MqttPublisherOptions.ProblemWithPassword(Password) is { } passwordProblem)
        {
            throw new MqttOptionsException("--password", passwordProblem);
        }

        if (ReceiveMaximum is < 1 or > ushort.MaxValue)
        {
            throw new MqttOptionsException("--receive-maximum", $"{ReceiveMaximum} is out of range; give 1 to {ushort.MaxValue} (MQTT 5 §3.1.2.11.3)");
        }

        if (string.IsNullOrWhiteSpace(OutputDirectory))
        {
            throw new MqttOptionsException("--out", "is empty; give the folder to land batches in");
        }

        if (Broker.UsesTls != (Tls is not null))
        {
            throw new MqttOptionsException("TLS settings are needed exactly for mqtts:// and wss:// brokers");
        }
    }
}
