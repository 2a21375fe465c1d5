using System.Threading.Channels;
using Ingest.Mqtt.Internal;
using Ingest.Mqtt.Protocol;

namespace Ingest.Mqtt;

/// <summary>
/// An MQTT 5 client (with MQTT 3.1.1 fallback) built for pipelined publishing: many QoS 1/2 publishes in flight,
/// bounded by the server's Receive Maximum, each completing with a typed <see cref="PublishResult"/>.
/// </summary>
/// <remarks>
/// <para>Thread-safety: every public member may be called from any thread concurrently. Publishes issued
/// concurrently are sent in the order they acquire the client's internal lock; publishes issued by one caller
/// one after another (without awaiting) are sent in that order.</para>
/// <para>Lifecycle: <see cref="ConnectAsync"/> once; after that the client reconnects by itself (exponential
/// backoff with jitter) until <see cref="DisconnectAsync"/> or <see cref="DisposeAsync"/>. A client is not reusable.</para>
/// <para>Sessions: unacknowledged QoS 1/2 publishes survive a reconnect. If the server resumed the session they
/// are resent in order with DUP (PUBREL for QoS 2 after PUBREC) [MQTT-4.4.0-1]; if not, they complete with
/// <see cref="MqttPublishOutcome.SessionLost"/> so the caller publishes them again.</para>
/// <para>Payload memory passed to a publish must not change until its result is available.</para>
/// </remarks>
public sealed partial class MqttClient : IAsyncDisposable
{
    private const int MaxPooledOperations = 4096;

    private readonly MqttClientOptions _options;
    private readonly Lock _sync = new();
    private readonly object?[] _packetIds = new object?[MqttLimits.MaxPacketIdentifier + 1];
    private readonly Queue<PublishOperation> _queued = new();
    private readonly Stack<PublishOperation> _pool = new();
    private readonly Lock _poolLock = new();
    private readonly HashSet<ushort> _inboundQos2 = new();
    private readonly Dictionary<string, MqttSubscription> _subscriptions = new(StringComparer.Ordinal);
    private readonly Channel<MqttReceivedMessage> _received;
    private readonly Channel<MqttConnectionEvent> _events;
    private readonly CancellationTokenSource _lifetime = new();
    private PublishOperation? _inflightHead;
    private PublishOperation? _inflightTail;
    private PublishOperation? _resendCursor;
    private int _packetIdsInUse;
    private int _nextPacketId = 1;
    private MqttConnection? _connection;
    private MqttProtocolVersion _version;
    private string _clientId;
    private ClientState _state;
    private Task _supervisor = Task.CompletedTask;
    private MqttConnectResult? _lastConnect;
    private long _unknownAcknowledgements;

    /// <summary>Creates a client; nothing happens on the network until <see cref="ConnectAsync"/>.</summary>
    public MqttClient(MqttClientOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _options = options;
        _clientId = options.ClientId;
        _received = Channel.CreateBounded<MqttReceivedMessage>(new BoundedChannelOptions(options.ReceivedMessageCapacity)
        {
            FullMode = BoundedChannelFullMode.Wait,
            SingleWriter = true,
        });
        _events = Channel.CreateBounded<MqttConnectionEvent>(new BoundedChannelOptions(256)
        {
            // Connection events are diagnostics: when nobody reads them the oldest are dropped, never the client blocked.
            FullMode = BoundedChannelFullMode.DropOldest,
        });
    }

    private enum ClientState
    {
        Created,
        Connecting,
        Running,
        Closing,
        Closed,
    }

    /// <summary>The options the client was built with.</summary>
    public MqttClientOptions Options => _options;

    /// <summary>True while a connection is up.</summary>
    public bool IsConnected
    {
        get
        {
            lock (_sync)
            {
                return _connection is { Closing: false };
            }
        }
    }

    /// <summary>The negotiated protocol version (Unknown before the first connect).</summary>
    public MqttProtocolVersion ProtocolVersion => _version;

    /// <summary>The result of the latest successful (re)connect, or null.</summary>
    public MqttConnectResult? LastConnectResult => Volatile.Read(ref _lastConnect);

    /// <summary>Acknowledgements received for packet ids we had not used (ignored; a hostile or confused broker).</summary>
    public long UnknownAcknowledgementCount => Interlocked.Read(ref _unknownAcknowledgements);

    /// <summary>Messages delivered to our subscriptions. Reading is required: when the bounded buffer is full, the client stops reading the socket.</summary>
    public ChannelReader<MqttReceivedMessage> ReceivedMessages => _received.Reader;

    /// <summary>Connect, disconnect and reconnect-failure events (bounded; the oldest are dropped when unread).</summary>
    public ChannelReader<MqttConnectionEvent> ConnectionEvents => _events.Reader;

    /// <summary>Publishes that hold a packet id (sent or being resent) and await their acknowledgement.</summary>
    public int InFlightCount
    {
        get
        {
            lock (_sync)
            {
                return _packetIdsInUse;
            }
        }
    }

    internal Lock SyncRoot => _sync;

    /// <summary>Disconnects normally (the Will is discarded) and releases everything.</summary>
    public async ValueTask DisposeAsync()
    {
        await DisconnectAsync().ConfigureAwait(false);
        _lifetime.Dispose();
    }

    internal PublishOperation RentOperation()
    {
        lock (_poolLock)
        {
            if (_pool.TryPop(out var op))
            {
                return op;
            }
        }

        return new PublishOperation(this);
    }

    internal void ReturnOperation(PublishOperation op)
    {
        lock (_poolLock)
        {
            if (_pool.Count < MaxPooledOperations)
            {
                _pool.Push(op);
            }
        }
    }

    private void Emit(in MqttConnectionEvent connectionEvent) => _events.Writer.TryWrite(connectionEvent);
}
