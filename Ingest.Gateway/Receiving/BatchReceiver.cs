using System.Threading.Channels;
using Ingest.Pipeline.Publishing.Mqtt;
using MQTTnet;
using MQTTnet.Exceptions;
using MQTTnet.Formatter;

namespace Ingest.Gateway.Receiving;

/// <summary>
/// The platform side's reference intake: one member of a shared subscription (<see cref="ReceiverOptions.TopicFilter"/>)
/// that inspects each batch (<see cref="BatchInspector"/>), lands it idempotently (<see cref="BatchStore"/>), answers a
/// receipt when the hub asks for one, and only then acknowledges the PUBLISH, so a batch is never acknowledged before it is
/// durable and the broker's flow control (our Receive Maximum) is the backpressure.
/// </summary>
/// <remarks>
/// Thread-safety: <see cref="ConnectAsync"/>, <see cref="RunAsync"/> and <see cref="DisposeAsync"/> are for the one owner;
/// counters and <see cref="Report"/> may be read from any thread. MQTTnet's receive loop only copies a message into a
/// bounded channel; one landing loop does everything else in order.
/// </remarks>
internal sealed partial class BatchReceiver : IAsyncDisposable
{
    private readonly ReceiverOptions _options;
    private readonly BatchStore _store;
    private readonly IMqttClient _client;
    private readonly BrokerCertificateCheck? _certificateCheck;
    private readonly Channel<Delivery> _deliveries;
    private readonly CancellationTokenSource _lifetime = new();
    private readonly System.Diagnostics.Stopwatch _clock = System.Diagnostics.Stopwatch.StartNew();
    private MqttProtocolVersion _version;
    private long _connectionGeneration;
    private long _lastActivityTicks;
    private Task _reconnectLoop = Task.CompletedTask;
    private bool _stopping;
    private long _batches;
    private long _rows;
    private long _duplicates;
    private long _conflicts;
    private long _rejected;
    private long _ignored;
    private long _unverified;
    private long _receiptsSent;
    private long _reconnects;

    /// <summary>Validates <paramref name="options"/> (throws <see cref="MqttOptionsException"/>); nothing touches the network until <see cref="ConnectAsync"/>.</summary>
    public BatchReceiver(ReceiverOptions options, BatchStore store)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(store);
        options.Validate();
        _options = options;
        _store = store;
        _version = options.ProtocolVersion;
        if (options.Broker.UsesTls)
        {
            _certificateCheck = new BrokerCertificateCheck(options.Tls ?? new MqttTlsSettings());
        }

        // The broker never sends more than Receive Maximum unacknowledged PUBLISHes, and we acknowledge only after landing, so
        // this channel never fills under MQTT 5; under 3.1.1 (no Receive Maximum) a full channel pauses MQTTnet's receive loop,
        // which is the TCP backpressure we want rather than a drop.
        _deliveries = Channel.CreateBounded<Delivery>(new BoundedChannelOptions(options.ReceiveMaximum * 2)
        {
            FullMode = BoundedChannelFullMode.Wait,
            SingleReader = true,
        });
        _client = new MqttClientFactory().CreateMqttClient();
        _client.ApplicationMessageReceivedAsync += OnMessageAsync;
        _client.DisconnectedAsync += OnDisconnectedAsync;
        Volatile.Write(ref _lastActivityTicks, _clock.Elapsed.Ticks);
    }

    public long Batches => Interlocked.Read(ref _batches);

    public long Duplicates => Interlocked.Read(ref _duplicates);

    public long Conflicts => Interlocked.Read(ref _conflicts);

    public long Rejected => Interlocked.Read(ref _rejected);

    public long ReceiptsSent => Interlocked.Read(ref _receiptsSent);

    public long Reconnects => Interlocked.Read(ref _reconnects);

    /// <summary>The protocol version in use after <see cref="ConnectAsync"/>.</summary>
    public MqttProtocolVersion ProtocolVersion => _version;

    /// <summary>Time since the last message was landed, rejected or ignored (or since start).</summary>
    public TimeSpan Idle => _clock.Elapsed - TimeSpan.FromTicks(Volatile.Read(ref _lastActivityTicks));

    /// <summary>Connects (MQTT 5, or 3.1.1 when the broker refuses 5) and subscribes; throws <see cref="MqttConnectException"/>.</summary>
    public async Task ConnectAsync(CancellationToken cancellationToken = default)
    {
        try
        {
            await ConnectAndSubscribeAsync(_version, cancellationToken).ConfigureAwait(false);
        }
        catch (MqttConnectException refused) when (_version == MqttProtocolVersion.V500
            && (refused.ReasonCode is MqttClientConnectResultCode.UnsupportedProtocolVersion || refused.Failure == MqttConnectFailure.ConnectionClosed))
        {
            _version = MqttProtocolVersion.V311;
            await ConnectAndSubscribeAsync(_version, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Lands what arrives until <paramref name="cancellationToken"/> (SIGINT/SIGTERM: the batch in hand is finished first),
    /// <paramref name="duration"/> has passed, or nothing arrived for <paramref name="untilIdle"/>.
    /// </summary>
    public async Task RunAsync(TimeSpan? duration = null, TimeSpan? untilIdle = null, CancellationToken cancellationToken = default)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _lifetime.Token);
        if (duration is { } limit)
        {
            stop.CancelAfter(limit);
        }

        // Idle counts from the start of the run, not from construction.
        Volatile.Write(ref _lastActivityTicks, _clock.Elapsed.Ticks);
        var idleWatch = untilIdle is { } idle ? WatchIdleAsync(idle, stop) : Task.CompletedTask;
        var lastSave = _clock.Elapsed;
        try
        {
            while (true)
            {
                var group = new List<Delivery>(_options.ReceiveMaximum);
                try
                {
                    group.Add(await _deliveries.Reader.ReadAsync(stop.Token).ConfigureAwait(false));
                }
                catch (OperationCanceledException) when (stop.IsCancellationRequested)
                {
                    break;
                }

                // Whatever else is already delivered joins the group, so its fsyncs overlap (see HandleGroupAsync).
                while (group.Count < _options.ReceiveMaximum && _deliveries.Reader.TryRead(out var more))
                {
                    group.Add(more);
                }

                // Never cancelled half-way: a stop request lets the batches in hand land, answer and acknowledge.
                await HandleGroupAsync(group, CancellationToken.None).ConfigureAwait(false);
                if (_clock.Elapsed - lastSave >= ReceiverOptions.LedgerSaveInterval)
                {
                    _store.SaveLedger();
                    lastSave = _clock.Elapsed;
                }
            }
        }
        finally
        {
            await stop.CancelAsync().ConfigureAwait(false);
            await idleWatch.ConfigureAwait(false);
            _store.SaveLedger();
        }
    }

    /// <summary>The hubs' latest status messages (docs/receiver.md "Fleet").</summary>
    public HubStatusBoard HubStatus { get; } = new();

    /// <summary>This run's counters and the ledger's per-stream figures.</summary>
    public ReceiverReport Report()
    {
        var streams = _store.Snapshot();
        var now = DateTimeOffset.UtcNow;
        var elapsed = Math.Max(_clock.Elapsed.TotalSeconds, 1e-3);
        var batches = Interlocked.Read(ref _batches);
        var rows = Interlocked.Read(ref _rows);
        return new ReceiverReport
        {
            GeneratedAt = Ingest.Pipeline.Captures.CaptureReader.FormatTime((DateTime.UtcNow - DateTime.UnixEpoch).Ticks * 100),
            ElapsedSeconds = elapsed,
            Batches = batches,
            Rows = rows,
            BatchesPerSecond = batches / elapsed,
            RowsPerSecond = rows / elapsed,
            Duplicates = Interlocked.Read(ref _duplicates),
            Conflicts = Interlocked.Read(ref _conflicts),
            Rejected = Interlocked.Read(ref _rejected),
            Ignored = Interlocked.Read(ref _ignored),
            Unverified = Interlocked.Read(ref _unverified),
            ReceiptsSent = Interlocked.Read(ref _receiptsSent),
            Streams = streams,
            StatusMessages = HubStatus.Received,
            StatusMessagesMalformed = HubStatus.Malformed,
            StatusProblem = HubStatus.LastProblem,
            Fleet = FleetReport.Build(HubStatus.Snapshot(), streams, now),
        };
    }

    /// <summary>Disconnects normally; batches delivered but not landed stay unacknowledged, so the broker delivers them again.</summary>
    public async ValueTask DisposeAsync()
    {
        _stopping = true;
        await _lifetime.CancelAsync().ConfigureAwait(false);
        try
        {
            await _reconnectLoop.ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // The loop ends by cancellation.
        }

        if (_client.IsConnected)
        {
            try
            {
                await _client.DisconnectAsync(new MqttClientDisconnectOptionsBuilder().WithReason(MqttClientDisconnectOptionsReason.NormalDisconnection).Build())
                    .ConfigureAwait(false);
            }
            catch (MqttCommunicationException)
            {
                // Already gone.
            }
        }

        _client.ApplicationMessageReceivedAsync -= OnMessageAsync;
        _client.DisconnectedAsync -= OnDisconnectedAsync;
        _client.Dispose();
        _lifetime.Dispose();
    }

    private async Task WatchIdleAsync(TimeSpan idle, CancellationTokenSource stop)
    {
        try
        {
            while (!stop.IsCancellationRequested)
            {
                if (Idle >= idle && _deliveries.Reader.Count == 0)
                {
                    await stop.CancelAsync().ConfigureAwait(false);
                    return;
                }

                await Task.Delay(TimeSpan.FromMilliseconds(50), stop.Token).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException)
        {
            // Stopped for another reason.
        }
    }

    /// <summary>A delivered PUBLISH, copied out of MQTTnet's buffers, with the handle that acknowledges it.</summary>
    private sealed record Delivery(string Topic, byte[] Payload, IReadOnlyList<KeyValuePair<string, string>> UserProperties, string? ResponseTopic,
        byte[]? CorrelationData, MqttApplicationMessageReceivedEventArgs Handle, long Generation);
}
