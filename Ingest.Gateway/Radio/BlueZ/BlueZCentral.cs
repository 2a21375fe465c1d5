using System.Threading.Channels;
using Ingest.Pipeline.Intake.Radio;
using Tmds.DBus.Protocol;
using Ingest.Pipeline.Intake;

namespace Ingest.Gateway.Radio.BlueZ;

/// <summary>
/// <see cref="IBleCentral"/> over BlueZ's D-Bus API (bluez.git doc/org.bluez.*.rst) through Tmds.DBus.Protocol: no
/// D-Bus wire code of our own.
/// <para>
/// How state flows: match-rule handlers run on Tmds' receive loop; they only parse the signal into a
/// <see cref="BusSignal"/> (never throwing) and queue it, stamped with a receive sequence number. One task applies the
/// queue to the adapter/device tables and writes <see cref="Events"/>. A GetManagedObjects snapshot (at start, after
/// BlueZ restarts, and after the signal queue overflowed) is stamped the same way, so signals older than the snapshot
/// are dropped instead of undoing it. The receive loop never waits on the signal queue: when it is full the signal is
/// counted in <see cref="SignalOverflows"/> and a resync (snapshot + difference as events) replaces it.
/// </para>
/// <para>
/// Identities: adapters and peripherals are their object paths (<c>/org/bluez/hci0/dev_AA_BB_…</c>), GATT services and
/// characteristics too (read anew after every connect). Error messages never carry a path, since device paths contain
/// the radio address.
/// </para>
/// </summary>
internal sealed partial class BlueZCentral : IBleCentral
{
    private readonly BlueZOptions _options;
    private readonly string _address;
    private readonly Channel<BleEvent> _events;
    private readonly Channel<QueuedSignal> _signals;
    private readonly BlueZMalformed _malformed = new();
    private readonly Lock _gate = new();
    private readonly Dictionary<string, AdapterState> _adapters = new(StringComparer.Ordinal);
    private readonly Dictionary<string, DeviceState> _devices = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _pendingReasons = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<TaskCompletionSource>> _resolveWaiters = new(StringComparer.Ordinal);
    private readonly HashSet<BlueZSubscription> _subscriptions = [];
    private readonly List<IDisposable> _matches = [];
    private readonly CancellationTokenSource _stopping = new();
    private List<BleEvent> _startupEvents = [];
    private DBusConnection? _connection;
    private Task? _processing;
    private string _owner = "";
    private long _receiveSequence;
    private long _snapshotSequence;
    private long _signalOverflows;
    private int _resyncNeeded;
    private int _started;
    private int _disposed;

    /// <summary>Creates the central; nothing touches the bus before <see cref="StartAsync"/>.</summary>
    public BlueZCentral(BlueZOptions? options = null)
    {
        _options = options ?? new BlueZOptions();
        _options.Validate();
        _address = _options.ResolveBusAddress();
        _events = Channel.CreateBounded<BleEvent>(new BoundedChannelOptions(_options.EventCapacity)
        {
            FullMode = BoundedChannelFullMode.Wait,
            SingleReader = true,
            SingleWriter = true,
        });
        _signals = Channel.CreateBounded<QueuedSignal>(new BoundedChannelOptions(_options.SignalBacklog)
        {
            // Only the disconnect watcher ever waits here; the receive loop uses TryWrite and resyncs on overflow.
            FullMode = BoundedChannelFullMode.Wait,
            SingleReader = true,
        });
    }

    /// <inheritdoc />
    public ChannelReader<BleEvent> Events => _events.Reader;

    /// <summary>The bus address in use.</summary>
    public string BusAddress => _address;

    /// <summary>Values from the bus skipped as malformed (wrong type, too long, not a UUID, bad RSSI or address).</summary>
    public long MalformedValues => _malformed.Count;

    /// <summary>What the last malformed value was (property and problem; never the value).</summary>
    public string? LastMalformed => _malformed.Last;

    /// <summary>Signals not queued because the backlog was full (each forced a resync).</summary>
    public long SignalOverflows => Interlocked.Read(ref _signalOverflows);

    /// <inheritdoc />
    public IReadOnlyList<BleAdapter> Adapters
    {
        get
        {
            lock (_gate)
            {
                return [.. _adapters.Values.OrderBy(a => a.Path, StringComparer.Ordinal).Select(a => a.ToAdapter())];
            }
        }
    }

    /// <inheritdoc />
    public IReadOnlyList<BlePeripheral> Peripherals
    {
        get
        {
            lock (_gate)
            {
                return [.. _devices.Values.OrderBy(d => d.Path, StringComparer.Ordinal).Select(d => d.ToPeripheral())];
            }
        }
    }

    /// <inheritdoc />
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (Interlocked.Exchange(ref _started, 1) != 0)
        {
            throw new InvalidOperationException("BlueZCentral.StartAsync was already called");
        }

        var connection = new DBusConnection(_address);
        _connection = connection;
        try
        {
            await connection.ConnectAsync().AsTask().WaitAsync(_options.CallTimeout, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            throw new BleUnavailableException(
                $"Cannot reach the D-Bus system bus at {_address} ({ex.Message}): start D-Bus (apt install dbus; systemctl start dbus), " +
                $"or set {BlueZOptions.SystemBusAddressVariable} to the bus BlueZ runs on.", ex);
        }

        // Subscribe before the first snapshot so nothing between them is missed (older signals are dropped by sequence).
        await SubscribeAsync(connection).ConfigureAwait(false);

        Dictionary<string, Dictionary<string, Dictionary<string, VariantValue>>> objects;
        long sequence;
        try
        {
            (objects, sequence) = await GetManagedObjectsAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (BleOperationException ex) when (ex.Kind == BleErrorKind.Gone)
        {
            throw new BleUnavailableException(
                $"BlueZ is not running on the system bus at {_address} (org.bluez has no owner): install and start bluetoothd " +
                "(apt install bluez; systemctl start bluetooth).", ex);
        }

        lock (_gate)
        {
            _owner = "present";
            _startupEvents = ApplySnapshot(objects, sequence);
            if (_options.RequireAdapter && _adapters.Count == 0)
            {
                throw new BleUnavailableException(
                    "BlueZ runs but has no Bluetooth adapter: plug in a Bluetooth LE adapter (USB dongle) or enable the built-in one " +
                    "(rfkill unblock bluetooth; check with bluetoothctl list).");
            }
        }

        _processing = Task.Run(() => ProcessAsync(_stopping.Token), CancellationToken.None);
        _ = WatchDisconnectAsync(connection);
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        await _stopping.CancelAsync().ConfigureAwait(false);
        BlueZSubscription[] subscriptions;
        lock (_gate)
        {
            subscriptions = [.. _subscriptions];
            _subscriptions.Clear();
        }

        foreach (var subscription in subscriptions)
        {
            subscription.End();
        }

        foreach (var match in _matches)
        {
            match.Dispose();
        }

        _connection?.Dispose();
        if (_processing is not null)
        {
            try
            {
                await _processing.ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                // Stopping.
            }
        }

        _events.Writer.TryComplete();
        _stopping.Dispose();
    }

    private async Task SubscribeAsync(DBusConnection connection)
    {
        await AddSignalAsync(connection, new MatchRule
        {
            Type = MessageType.Signal, Sender = BlueZNames.Service, Interface = BlueZNames.ObjectManager, Member = "InterfacesAdded",
        }, BlueZSignals.ReadInterfacesAdded).ConfigureAwait(false);
        await AddSignalAsync(connection, new MatchRule
        {
            Type = MessageType.Signal, Sender = BlueZNames.Service, Interface = BlueZNames.ObjectManager, Member = "InterfacesRemoved",
        }, BlueZSignals.ReadInterfacesRemoved).ConfigureAwait(false);
        foreach (var iface in new[] { BlueZNames.Adapter, BlueZNames.Device })
        {
            await AddSignalAsync(connection, new MatchRule
            {
                Type = MessageType.Signal, Sender = BlueZNames.Service, Interface = BlueZNames.Properties, Member = "PropertiesChanged", Arg0 = iface,
            }, BlueZSignals.ReadPropertiesChanged).ConfigureAwait(false);
        }

        await AddSignalAsync(connection, new MatchRule
        {
            Type = MessageType.Signal, Sender = BlueZNames.Service, Interface = BlueZNames.Device, Member = "Disconnected",
        }, BlueZSignals.ReadDeviceDisconnected).ConfigureAwait(false);
        await AddSignalAsync(connection, new MatchRule
        {
            Type = MessageType.Signal, Sender = BlueZNames.Bus, Path = BlueZNames.BusPath, Interface = BlueZNames.Bus, Member = "NameOwnerChanged", Arg0 = BlueZNames.Service,
        }, BlueZSignals.ReadNameOwnerChanged).ConfigureAwait(false);
    }

    private async Task AddSignalAsync(DBusConnection connection, MatchRule rule, MessageValueReader<BusSignal?> reader)
    {
        var match = await connection.AddMatchAsync(rule, reader, (Notification<BusSignal?> n) =>
        {
            if (n.HasValue && n.Value is { } signal)
            {
                Enqueue(signal);
            }
        }, emitOnCapturedContext: false, ObserverFlags.None, _malformed).ConfigureAwait(false);
        _matches.Add(match);
    }

    /// <summary>Runs on the D-Bus receive loop: queue or, when the backlog is full, count and ask for a resync.</summary>
    private void Enqueue(BusSignal signal)
    {
        var sequence = Interlocked.Increment(ref _receiveSequence);
        if (!_signals.Writer.TryWrite(new QueuedSignal(sequence, signal)))
        {
            Interlocked.Increment(ref _signalOverflows);
            Interlocked.Exchange(ref _resyncNeeded, 1);
        }
    }

    private async Task WatchDisconnectAsync(DBusConnection connection)
    {
        var reason = await connection.DisconnectedAsync().ConfigureAwait(false);
        if (Volatile.Read(ref _disposed) == 0)
        {
            var signal = new QueuedSignal(Interlocked.Increment(ref _receiveSequence), new ConnectionClosedSignal(reason?.Message ?? "closed"));
            await _signals.Writer.WriteAsync(signal, CancellationToken.None).ConfigureAwait(false);
        }
    }

    private long NowNs() => HubTime.NowNs(_options.Time);

    private BleEvent Event(BleEventKind kind, BleAdapter? adapter = null, BlePeripheral? peripheral = null,
        Pipeline.Intake.DisconnectReason reason = Pipeline.Intake.DisconnectReason.None) => new(kind, NowNs(), adapter, peripheral, reason);

    private readonly record struct QueuedSignal(long Sequence, BusSignal Signal);
}
