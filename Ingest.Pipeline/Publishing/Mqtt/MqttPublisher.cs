using System.Threading.Channels;
using MQTTnet;
using MQTTnet.Formatter;

namespace Ingest.Pipeline.Publishing.Mqtt;

/// <summary>
/// Publishes QoS 1 messages to one broker through MQTTnet 5, adding what MQTTnet leaves out: MQTT 3.1.1 fallback,
/// reconnect with exponential backoff and full jitter, an in-flight window bounded by the server's Receive Maximum,
/// refusal (with a typed result) of what the server said it cannot take, a publish timeout, and a certificate check
/// that trusts exactly the configured CA and pins the broker's key.
/// </summary>
/// <remarks>
/// <para>Thread-safety: <see cref="PublishAsync"/>, <see cref="SubscribeAsync"/>, <see cref="WaitUntilConnectedAsync"/>
/// and every property may be called from any thread concurrently. <see cref="ConnectAsync"/>, <see cref="DisconnectAsync"/>
/// and <see cref="DisposeAsync"/> are meant for the one owner of the publisher; they are serialized internally.</para>
/// <para>Lifecycle: <see cref="ConnectAsync"/> once (it throws <see cref="MqttConnectException"/> with a category a person
/// can act on); after that, when <see cref="MqttPublisherOptions.AutoReconnect"/> is on, a lost connection is re-established
/// in the background until <see cref="DisconnectAsync"/> or <see cref="DisposeAsync"/>. Not reusable after that.</para>
/// <para>Delivery: a result is <see cref="PublishOutcome.Accepted"/> only after a PUBACK below 0x80. Publishes in flight
/// when the connection drops end as <see cref="PublishOutcome.ConnectionLost"/> (MQTTnet does not resend them, even into a
/// resumed session), publishes made while disconnected as <see cref="PublishOutcome.NotConnected"/>; the caller (the
/// spool) publishes those again, and the batch identity makes duplicates harmless.</para>
/// <para>Payload memory passed to a publish must not change until its result is available.</para>
/// </remarks>
internal sealed partial class MqttPublisher : IAsyncDisposable
{
    private readonly MqttPublisherOptions _options;
    private readonly IMqttClient _client;
    private readonly BrokerCertificateCheck? _certificateCheck;
    private readonly InFlightWindow _window;
    private readonly Channel<MqttReceivedMessage> _received;
    private readonly SemaphoreSlim _connectGate = new(1, 1);
    private readonly CancellationTokenSource _lifetime = new();
    private readonly Lock _sync = new();
    private readonly List<(string Filter, MQTTnet.Protocol.MqttQualityOfServiceLevel QoS)> _subscriptions = [];
    private TaskCompletionSource _connectedSignal = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private MqttConnectionInfo? _connection;
    private MqttProtocolVersion _version;
    private Task _reconnectLoop = Task.CompletedTask;
    private MqttConnectException? _lastReconnectError;
    private MqttClientConnectResult? _failedConnectResult;
    private bool _started;
    private bool _stopping;
    private bool _disposed;
    private bool _reconnecting;
    private bool _reconnectPending;
    private long _reconnects;
    private long _droppedReceivedMessages;

    /// <summary>Creates a publisher; validates the options (throws <see cref="MqttOptionsException"/>). Nothing touches the network until <see cref="ConnectAsync"/>.</summary>
    public MqttPublisher(MqttPublisherOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _options = options;
        _version = options.ProtocolVersion;
        _window = new InFlightWindow(options.MaximumInFlight);
        if (options.Broker.UsesTls)
        {
            _certificateCheck = new BrokerCertificateCheck(options.Tls ?? new MqttTlsSettings());
        }

        // Receipts and the broker check's echo are small and few; a reader that stops reading must not stall MQTTnet's
        // receive loop (that would stall PUBACKs too), so the oldest message is dropped and counted instead.
        _received = Channel.CreateBounded<MqttReceivedMessage>(
            new BoundedChannelOptions(options.ReceivedMessageCapacity) { FullMode = BoundedChannelFullMode.DropOldest, SingleWriter = false },
            _ => Interlocked.Increment(ref _droppedReceivedMessages));
        _client = new MqttClientFactory().CreateMqttClient();
        _client.DisconnectedAsync += OnDisconnectedAsync;
        _client.ApplicationMessageReceivedAsync += OnApplicationMessageReceivedAsync;
    }

    /// <summary>The options the publisher was built with.</summary>
    public MqttPublisherOptions Options => _options;

    /// <summary>True while a connection is up.</summary>
    public bool IsConnected => _client.IsConnected && Volatile.Read(ref _connection) is not null;

    /// <summary>The latest successful (re)connect, or null before the first one.</summary>
    public MqttConnectionInfo? Connection => Volatile.Read(ref _connection);

    /// <summary>Publishes currently awaiting their PUBACK.</summary>
    public int InFlightCount => _window.InUse;

    /// <summary>Successful reconnects since <see cref="ConnectAsync"/>.</summary>
    public long ReconnectCount => Interlocked.Read(ref _reconnects);

    /// <summary>Why the latest reconnect attempt failed, or null.</summary>
    public MqttConnectException? LastReconnectError => Volatile.Read(ref _lastReconnectError);

    /// <summary>Messages delivered to our subscriptions; when nobody reads, the oldest are dropped (<see cref="DroppedReceivedMessageCount"/>).</summary>
    public ChannelReader<MqttReceivedMessage> ReceivedMessages => _received.Reader;

    /// <summary>Received messages dropped because <see cref="ReceivedMessages"/> was full.</summary>
    public long DroppedReceivedMessageCount => Interlocked.Read(ref _droppedReceivedMessages);

    /// <summary>Completes when a connection is up (at once if it is).</summary>
    public Task WaitUntilConnectedAsync(CancellationToken cancellationToken = default)
    {
        Task signal;
        lock (_sync)
        {
            signal = _connectedSignal.Task;
        }

        return signal.WaitAsync(cancellationToken);
    }

    /// <summary>
    /// Closes the connection normally (the broker discards the Will) and stops reconnecting. With
    /// <paramref name="publishWill"/> the DISCONNECT asks the broker to publish the Will anyway (reason 0x04), as a lost connection would.
    /// </summary>
    public async Task DisconnectAsync(bool publishWill = false, CancellationToken cancellationToken = default)
    {
        lock (_sync)
        {
            if (_stopping)
            {
                return;
            }

            _stopping = true;
        }

        await _lifetime.CancelAsync().ConfigureAwait(false);
        await _connectGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            Volatile.Write(ref _connection, null);
            if (_client.IsConnected)
            {
                var reason = publishWill ? MqttClientDisconnectOptionsReason.DisconnectWithWillMessage : MqttClientDisconnectOptionsReason.NormalDisconnection;
                try
                {
                    await _client.DisconnectAsync(new MqttClientDisconnectOptionsBuilder().WithReason(reason).Build(), cancellationToken).ConfigureAwait(false);
                }
                catch (MQTTnet.Exceptions.MqttCommunicationException)
                {
                    // Already gone: nothing left to close.
                }
            }
        }
        finally
        {
            _connectGate.Release();
        }

        try
        {
            await _reconnectLoop.ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // The loop ends by cancellation.
        }
    }

    /// <summary>Disconnects normally (the Will is discarded) and releases everything.</summary>
    public async ValueTask DisposeAsync()
    {
        lock (_sync)
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
        }

        await DisconnectAsync().ConfigureAwait(false);
        _client.DisconnectedAsync -= OnDisconnectedAsync;
        _client.ApplicationMessageReceivedAsync -= OnApplicationMessageReceivedAsync;
        _client.Dispose();
        _received.Writer.TryComplete();
        _lifetime.Dispose();
        _connectGate.Dispose();
    }
}
