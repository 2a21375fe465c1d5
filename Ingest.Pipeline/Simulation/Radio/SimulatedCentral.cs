using System.Threading.Channels;
using Ingest.Pipeline.Intake;
using Ingest.Pipeline.Intake.Radio;
using Ingest.Pipeline.Profiles;
using Ingest.Pipeline.Simulation.Fleet;

namespace Ingest.Pipeline.Simulation.Radio;

/// <summary>
/// A Bluetooth LE central over a simulated room: the fleet's virtual trackers (<see cref="SimulatedFleet"/>'s
/// engine: the same encoders, signals, clocks and faults) behave on it as real trackers do on BlueZ, so
/// <c>run --simulate</c> and a real hub run the same supervisor, profile matching and setup code above
/// <see cref="IBleCentral"/>.
/// <para>
/// What a supervisor must cope with, as on a real radio: each adapter holds at most
/// <see cref="SimulatedCentralOptions.ConnectionLimit"/> links (the next Connect fails with
/// <see cref="BleErrorKind.ConnectFailed"/>, "too many connections"); notifications flow only for characteristics
/// subscribed on a connected link; a Polar PMD measurement flows only after its START write on the PMD control point
/// (<c>02 &lt;type&gt; …</c>, answered with <c>F0 02 &lt;type&gt; &lt;status&gt; 00</c> on the control point) and
/// stops on disconnect, so setup is redone after every reconnect; GATT ids change on every connect; a disconnect
/// fault (<see cref="SimulatedFaultOptions.DisconnectsPerHour"/>) drops the link, the tracker stops advertising for
/// the fleet's reconnect delay and then advertises again, but never reconnects by itself; powering an adapter off
/// drops its links; discovery events (peripherals added, RSSI changes) come only while discovering.
/// </para>
/// <para>
/// Time: the radio runs on its <see cref="TimeProvider"/>, waking every <see cref="SimulatedFleetOptions.PacingInterval"/>
/// to deliver what has become due; a test clock that jumps makes it deliver the whole span at once. Values are
/// copied into the subscriber's <see cref="NotificationTarget"/> (its pool; it waits when the channel is full, so a
/// slow reader stalls the radio and nothing is dropped). Deterministic for the seeds and the clock.
/// </para>
/// <para>
/// Test hooks (public for tests and demos; a real radio has no such thing): <see cref="AddNeighbourAsync"/>,
/// <see cref="RemovePeripheralAsync"/>, <see cref="SetInRangeAsync"/>, <see cref="DropLinkAsync"/>,
/// <see cref="NotifyAsync"/>, <see cref="InjectError"/>, <see cref="SimulateBackendRestartAsync"/>,
/// <see cref="Writes"/>, <see cref="FleetPeripheralIds"/>.
/// </para>
/// Thread-safety: every member may be called from any thread; <see cref="Events"/> has one reader.
/// </summary>
public sealed partial class SimulatedCentral : IBleCentral
{
    private readonly Lock _gate = new();
    private readonly SimulatedCentralOptions _options;
    private readonly IReadOnlyList<FirmwareProfile> _profiles;
    private readonly TimeProvider _time;
    private readonly Channel<BleEvent> _events;
    private readonly Queue<BleEvent> _pending = new();
    private readonly SemaphoreSlim _flushing = new(1, 1);
    private readonly Adapter[] _adapters;
    private readonly List<SimulatedPeripheral> _peripherals = [];
    private readonly Dictionary<string, SimulatedPeripheral> _byId = new(StringComparer.Ordinal);
    private readonly SimulatedPeripheral[] _fleet;
    private readonly (BleErrorKind Kind, int Remaining)[] _injected = new (BleErrorKind, int)[Enum.GetValues<SimulatedOperation>().Length];
    private readonly CancellationTokenSource _stop = new();
    private readonly NotificationBufferPool _enginePool = new();
    private Task _loop = Task.CompletedTask;
    private FleetEngine? _engine;
    private PeriodicTimer? _timer;
    private int _started;
    private int _disposed;
    private long _processedUntilNs;
    private long _generated;
    private long _delivered;

    /// <summary>Creates the radio and its room; nothing runs until <see cref="StartAsync"/>.</summary>
    /// <param name="profiles">The firmware profiles the fleet's trackers speak (may be empty without a fleet).</param>
    /// <param name="options">Settings.</param>
    /// <param name="timeProvider">The clock (default: the system's).</param>
    /// <exception cref="ArgumentException">A setting is invalid (the message names it), or a profile's match pattern admits no value the simulator can make.</exception>
    public SimulatedCentral(IReadOnlyList<FirmwareProfile> profiles, SimulatedCentralOptions options, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(profiles);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        if (options.Fleet is not null && profiles.Count == 0)
        {
            throw new ArgumentException("the simulated fleet needs at least one firmware profile", nameof(profiles));
        }

        _profiles = profiles;
        _options = options;
        _time = timeProvider ?? TimeProvider.System;
        _events = Channel.CreateBounded<BleEvent>(new BoundedChannelOptions(options.EventCapacity)
        {
            FullMode = BoundedChannelFullMode.Wait,
            SingleReader = true,
        });

        _adapters = new Adapter[options.Adapters.Count];
        for (var i = 0; i < _adapters.Length; i++)
        {
            _adapters[i] = new Adapter(options.Adapters[i]);
        }

        var trackers = Array.Empty<SimulatedTracker>() as IReadOnlyList<SimulatedTracker>;
        if (options.Fleet is { } fleet)
        {
            // The engine built once to learn each tracker's profile (and to fail on unknown profile ids here).
            using var probe = new FleetEngine(profiles, fleet, 0, new NotificationBufferPool());
            trackers = probe.Trackers;
        }

        Trackers = trackers;
        _fleet = new SimulatedPeripheral[trackers.Count];
        var ids = new string[trackers.Count];
        for (var i = 0; i < trackers.Count; i++)
        {
            var profile = FindProfile(trackers[i].ProfileId);
            var description = FleetPeripherals.Describe(profile, options.Seed, i);
            var peripheral = Add(description, i % _adapters.Length, i);

            // Fleet trackers are remembered by the backend (enrolled trackers a hub has seen before).
            peripheral.Known = true;
            _fleet[i] = peripheral;
            ids[i] = peripheral.Id;
        }

        FleetPeripheralIds = ids;
    }

    /// <inheritdoc />
    public ChannelReader<BleEvent> Events => _events.Reader;

    /// <summary>The fleet's trackers (profiles, clocks), index for index with <see cref="FleetPeripheralIds"/>: the truth a test checks against.</summary>
    public IReadOnlyList<SimulatedTracker> Trackers { get; }

    /// <summary>For tests and demos: the peripheral id of each fleet tracker.</summary>
    public IReadOnlyList<string> FleetPeripheralIds { get; }

    /// <summary>Fleet notifications produced while their tracker was in range (delivered or not).</summary>
    public long NotificationsGenerated => Interlocked.Read(ref _generated);

    /// <summary>Fleet notifications delivered to subscribers.</summary>
    public long NotificationsDelivered => Interlocked.Read(ref _delivered);

    /// <summary>The radio's clock reading up to which the fleet's output has been handled (for tests that drive a clock).</summary>
    internal long ProcessedUntilNs => Volatile.Read(ref _processedUntilNs);

    /// <inheritdoc />
    public IReadOnlyList<BleAdapter> Adapters
    {
        get
        {
            lock (_gate)
            {
                var list = new List<BleAdapter>(_adapters.Length);
                foreach (var adapter in _adapters)
                {
                    list.Add(adapter.Snapshot());
                }

                return list;
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
                var list = new List<BlePeripheral>();
                foreach (var peripheral in _peripherals)
                {
                    if (peripheral.Known && !peripheral.Removed)
                    {
                        list.Add(peripheral.Snapshot(_adapters[peripheral.Adapter].Id));
                    }
                }

                return list;
            }
        }
    }

    /// <inheritdoc />
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        if (Interlocked.Exchange(ref _started, 1) != 0)
        {
            throw new InvalidOperationException("StartAsync may be called once");
        }

        lock (_gate)
        {
            var now = NowNs();
            ListEverythingLocked(now);
        }

        // The engine's time starts here, and the timer exists before this returns: a test clock moved on right after
        // StartAsync is seen by the loop however late the thread pool runs it.
        var startNs = NowNs();
        _engine = _options.Fleet is { } fleet ? new FleetEngine(_profiles, fleet, startNs, _enginePool) : null;
        _timer = new PeriodicTimer(_options.Fleet?.PacingInterval ?? SimulatedFleetOptions.DefaultPacingInterval, _time);
        _loop = Task.Run(() => RunAsync(_engine, _timer, startNs, _stop.Token), CancellationToken.None);
        await FlushEventsAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task SetPoweredAsync(string adapterId, bool powered, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(adapterId);
        CheckRunning();
        var ended = new List<SimulatedSubscription>();
        lock (_gate)
        {
            ThrowIfInjectedLocked(SimulatedOperation.SetPowered);
            var adapter = AdapterLocked(adapterId);
            if (adapter.Powered != powered)
            {
                var now = NowNs();
                if (!powered)
                {
                    foreach (var peripheral in _peripherals)
                    {
                        if (peripheral.Connected && _adapters[peripheral.Adapter] == adapter)
                        {
                            DropLinkLocked(peripheral, DisconnectReason.LocalTerminated, now, ended);
                        }
                    }

                    adapter.Discovering = false;
                }

                adapter.Powered = powered;
                EnqueueLocked(new BleEvent(BleEventKind.AdapterChanged, now, Adapter: adapter.Snapshot()));
            }
        }

        EndAll(ended);
        await FlushEventsAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task StartDiscoveryAsync(string adapterId, BleDiscoveryFilter filter, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(adapterId);
        ArgumentNullException.ThrowIfNull(filter);
        ArgumentNullException.ThrowIfNull(filter.ServiceUuids);
        if (filter.ServiceUuids.Count > BleLimits.MaxServiceUuids)
        {
            throw new ArgumentException($"the discovery filter has {filter.ServiceUuids.Count} service UUIDs; at most {BleLimits.MaxServiceUuids} are allowed", nameof(filter));
        }

        CheckRunning();
        lock (_gate)
        {
            ThrowIfInjectedLocked(SimulatedOperation.StartDiscovery);
            var adapter = AdapterLocked(adapterId);
            if (!adapter.Powered)
            {
                throw new BleOperationException(BleErrorKind.NotReady, $"cannot start discovery on {adapter.Name}: the adapter is powered off (org.bluez.Error.NotReady)");
            }

            var now = NowNs();
            adapter.Filter = filter;
            if (!adapter.Discovering)
            {
                adapter.Discovering = true;
                EnqueueLocked(new BleEvent(BleEventKind.AdapterChanged, now, Adapter: adapter.Snapshot()));
            }

            // What is advertising now is heard at once (a real scan hears it within an advertising interval).
            foreach (var peripheral in _peripherals)
            {
                if (_adapters[peripheral.Adapter] == adapter && peripheral.InRange)
                {
                    peripheral.Wander(now);
                    HearLocked(peripheral, now, coalesce: false);
                }
            }
        }

        await FlushEventsAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task StopDiscoveryAsync(string adapterId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(adapterId);
        CheckRunning();
        lock (_gate)
        {
            ThrowIfInjectedLocked(SimulatedOperation.StopDiscovery);
            var adapter = AdapterLocked(adapterId);
            if (adapter.Discovering)
            {
                adapter.Discovering = false;
                EnqueueLocked(new BleEvent(BleEventKind.AdapterChanged, NowNs(), Adapter: adapter.Snapshot()));
            }
        }

        await FlushEventsAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task ConnectAsync(string peripheralId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(peripheralId);
        CheckRunning();
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            ThrowIfInjectedLocked(SimulatedOperation.Connect);
            var peripheral = PeripheralLocked(peripheralId);
            if (!peripheral.Connected)
            {
                var adapter = _adapters[peripheral.Adapter];
                if (!adapter.Powered)
                {
                    throw new BleOperationException(BleErrorKind.NotReady, $"cannot connect {peripheralId}: {adapter.Name} is powered off (org.bluez.Error.NotReady)");
                }

                if (!peripheral.InRange)
                {
                    throw new BleOperationException(BleErrorKind.ConnectFailed, $"cannot connect {peripheralId}: it is not advertising (le-connection-abort-by-local: page timeout)");
                }

                var links = LinksLocked(peripheral.Adapter);
                if (links >= _options.ConnectionLimit)
                {
                    throw new BleOperationException(BleErrorKind.ConnectFailed,
                        $"cannot connect {peripheralId}: too many connections ({adapter.Name} holds {links} links, its limit is {_options.ConnectionLimit}; HCI 0x09 connection limit exceeded)");
                }

                var now = NowNs();
                peripheral.Connected = true;
                peripheral.EverResolved = true;
                peripheral.LastSeenNs = now;
                peripheral.BuildTable();
                EnqueueLocked(new BleEvent(BleEventKind.Connected, now, Peripheral: peripheral.Snapshot(adapter.Id)));
            }
        }

        await FlushEventsAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task DisconnectAsync(string peripheralId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(peripheralId);
        CheckRunning();
        var ended = new List<SimulatedSubscription>();
        lock (_gate)
        {
            ThrowIfInjectedLocked(SimulatedOperation.Disconnect);
            var peripheral = PeripheralLocked(peripheralId);
            if (peripheral.Connected)
            {
                DropLinkLocked(peripheral, DisconnectReason.LocalTerminated, NowNs(), ended);
            }
        }

        EndAll(ended);
        await FlushEventsAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task PairAsync(string peripheralId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(peripheralId);
        CheckRunning();
        lock (_gate)
        {
            ThrowIfInjectedLocked(SimulatedOperation.Pair);
            var peripheral = PeripheralLocked(peripheralId);
            if (!peripheral.Paired)
            {
                if (!peripheral.InRange)
                {
                    throw new BleOperationException(BleErrorKind.ConnectFailed, $"cannot pair {peripheralId}: it is not in range (org.bluez.Error.ConnectionAttemptFailed)");
                }

                peripheral.Paired = true;
                EnqueueLocked(new BleEvent(BleEventKind.PeripheralChanged, NowNs(), Peripheral: peripheral.Snapshot(_adapters[peripheral.Adapter].Id)));
            }
        }

        await FlushEventsAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<GattService>> GetServicesAsync(string peripheralId, TimeSpan resolveTimeout, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(peripheralId);
        ArgumentOutOfRangeException.ThrowIfLessThan(resolveTimeout, TimeSpan.Zero);
        CheckRunning();
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            ThrowIfInjectedLocked(SimulatedOperation.GetServices);
            var peripheral = PeripheralLocked(peripheralId);
            if (!peripheral.Connected)
            {
                throw new BleOperationException(BleErrorKind.NotConnected, $"cannot list the services of {peripheralId}: not connected (org.bluez.Error.NotConnected)");
            }

            return Task.FromResult(peripheral.CurrentTable);
        }
    }

    /// <inheritdoc />
    public Task<byte[]> ReadAsync(GattCharacteristic characteristic, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(characteristic);
        CheckRunning();
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            ThrowIfInjectedLocked(SimulatedOperation.Read);
            var (_, state) = CharacteristicLocked(characteristic, "read");
            if ((state.Properties & GattProperties.Read) == 0)
            {
                throw new BleOperationException(BleErrorKind.NotSupported, $"cannot read {characteristic.Uuid}: it does not allow reads (org.bluez.Error.NotSupported)");
            }

            return Task.FromResult(state.Value.ToArray());
        }
    }

    /// <inheritdoc />
    public async Task WriteAsync(GattCharacteristic characteristic, ReadOnlyMemory<byte> value, bool withResponse, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(characteristic);
        CheckRunning();
        cancellationToken.ThrowIfCancellationRequested();
        SimulatedSubscription? answerTo = null;
        byte[]? answer = null;
        lock (_gate)
        {
            ThrowIfInjectedLocked(SimulatedOperation.Write);
            var (peripheral, state) = CharacteristicLocked(characteristic, "write");
            var allowed = withResponse ? GattProperties.Write : GattProperties.WriteWithoutResponse | GattProperties.Write;
            if ((state.Properties & allowed) == 0)
            {
                throw new BleOperationException(BleErrorKind.NotSupported, $"cannot write {characteristic.Uuid}: it does not allow {(withResponse ? "write requests" : "write commands")} (org.bluez.Error.NotSupported)");
            }

            if (value.Length > BleLimits.MaxAttributeBytes)
            {
                throw new BleOperationException(BleErrorKind.Failed, $"cannot write {value.Length} bytes to {characteristic.Uuid}: an attribute holds at most {BleLimits.MaxAttributeBytes} (org.bluez.Error.InvalidValueLength)");
            }

            // Bounded: a runaway writer must not grow the record without end.
            if (peripheral.Writes.Count < MaxRecordedWrites)
            {
                peripheral.Writes.Add(new SimulatedWrite(state.Service, state.Uuid, value.ToArray(), withResponse, NowNs()));
            }

            if (state.Uuid == FleetPeripherals.PmdControlPoint)
            {
                answer = PmdControlPoint.Answer(peripheral, state.Value, value.Span);
                answerTo = state.Subscription;
            }
        }

        // The control point answers as a notification after the write (protocols.md §4.8), to whoever listens.
        if (answer is not null && answerTo is { IsActive: true })
        {
            await answerTo.Target.DeliverAsync(FleetPeripherals.PmdControlPoint, answer, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <inheritdoc />
    public Task<IBleSubscription> SubscribeAsync(GattCharacteristic characteristic, NotificationTarget target, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(characteristic);
        ArgumentNullException.ThrowIfNull(target);
        CheckRunning();
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            ThrowIfInjectedLocked(SimulatedOperation.Subscribe);
            var (_, state) = CharacteristicLocked(characteristic, "subscribe to");
            if ((state.Properties & (GattProperties.Notify | GattProperties.Indicate)) == 0)
            {
                throw new BleOperationException(BleErrorKind.NotSupported, $"cannot subscribe to {characteristic.Uuid}: it neither notifies nor indicates (org.bluez.Error.NotSupported)");
            }

            if (state.Subscription is not null)
            {
                throw new BleOperationException(BleErrorKind.InProgress, $"cannot subscribe to {characteristic.Uuid}: already subscribed on this link (org.bluez.Error.InProgress)");
            }

            var subscription = new SimulatedSubscription(this, state, characteristic, target);
            state.Subscription = subscription;
            return Task.FromResult<IBleSubscription>(subscription);
        }
    }

    /// <summary>Stops the radio: links end, the event channel completes.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        await _stop.CancelAsync().ConfigureAwait(false);
        try
        {
            await _loop.ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // The stop above.
        }
        catch (Exception) when (_events.Reader.Completion.IsCompleted)
        {
            // Already reported: the loop completed Events with it.
        }

        var ended = new List<SimulatedSubscription>();
        lock (_gate)
        {
            foreach (var peripheral in _peripherals)
            {
                if (peripheral.Connected)
                {
                    peripheral.TearDown(ended);
                }
            }
        }

        EndAll(ended);
        _events.Writer.TryComplete();
        _timer?.Dispose();
        _engine?.Dispose();
        _stop.Dispose();
    }

    internal void Unsubscribe(SimulatedSubscription subscription)
    {
        lock (_gate)
        {
            if (subscription.State.Subscription == subscription)
            {
                subscription.State.Subscription = null;
            }
        }
    }

    private const int MaxRecordedWrites = 10_000;

    // Separates the radio's random streams (RSSI here, addresses and names in FleetPeripherals) from each other.
    private const ulong RssiSalt = 0x5253_5349_0000_0001;

    private long NowNs() => HubTime.NowNs(_time);

    private FirmwareProfile FindProfile(string id)
    {
        foreach (var profile in _profiles)
        {
            if (profile.Id == id)
            {
                return profile;
            }
        }

        throw new ArgumentException($"the fleet names profile '{id}', which is not among the profiles given to the radio");
    }

    private void CheckRunning()
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        if (Volatile.Read(ref _started) == 0)
        {
            throw new InvalidOperationException("call StartAsync before using the radio");
        }
    }

    private void ThrowIfInjectedLocked(SimulatedOperation operation)
    {
        ref var slot = ref _injected[(int)operation];
        if (slot.Remaining > 0)
        {
            slot.Remaining--;
            throw new BleOperationException(slot.Kind, $"{operation} failed: {slot.Kind} injected by a test");
        }
    }

    private Adapter AdapterLocked(string adapterId)
    {
        foreach (var adapter in _adapters)
        {
            if (adapter.Id == adapterId)
            {
                return adapter;
            }
        }

        throw new BleOperationException(BleErrorKind.Gone, $"no adapter {adapterId} (org.freedesktop.DBus.Error.UnknownObject)");
    }

    private SimulatedPeripheral PeripheralLocked(string peripheralId)
    {
        if (_byId.TryGetValue(peripheralId, out var peripheral) && peripheral.Known && !peripheral.Removed)
        {
            return peripheral;
        }

        throw new BleOperationException(BleErrorKind.Gone, $"no peripheral {peripheralId}: the backend does not know it (org.freedesktop.DBus.Error.UnknownObject)");
    }

    private (SimulatedPeripheral Peripheral, SimulatedCharacteristicState State) CharacteristicLocked(GattCharacteristic characteristic, string verb)
    {
        var peripheral = PeripheralLocked(characteristic.PeripheralId);
        if (!peripheral.Connected)
        {
            throw new BleOperationException(BleErrorKind.NotConnected, $"cannot {verb} {characteristic.Uuid}: {peripheral.Id} is not connected (org.bluez.Error.NotConnected)");
        }

        return (peripheral, peripheral.FindById(characteristic.Id)
            ?? throw new BleOperationException(BleErrorKind.Gone, $"cannot {verb} {characteristic.Id}: no such object on the current link (ids change on every connect; look them up again)"));
    }

    private int LinksLocked(int adapter)
    {
        var links = 0;
        foreach (var peripheral in _peripherals)
        {
            if (peripheral.Connected && peripheral.Adapter == adapter)
            {
                links++;
            }
        }

        return links;
    }

    private SimulatedPeripheral Add(SimulatedPeripheralDescription description, int adapter, int trackerIndex)
    {
        var id = $"sim/{_adapters[adapter].Name}/dev_{description.Address.Replace(':', '_')}";
        if (_byId.TryGetValue(id, out var existing) && !existing.Removed)
        {
            throw new ArgumentException($"a tracker with address {description.Address} is already in the room on {_adapters[adapter].Name}", nameof(description));
        }

        var peripheral = new SimulatedPeripheral(id, adapter, trackerIndex, description, new SimRandom(SimRandom.Hash(_options.Seed ^ RssiSalt, _peripherals.Count)));
        _peripherals.Add(peripheral);
        _byId[id] = peripheral;
        return peripheral;
    }

    /// <summary>The link is down: subscriptions end (after the lock, by the caller), a Disconnected event.</summary>
    private void DropLinkLocked(SimulatedPeripheral peripheral, DisconnectReason reason, long nowNs, List<SimulatedSubscription> ended)
    {
        peripheral.TearDown(ended);
        EnqueueLocked(new BleEvent(BleEventKind.Disconnected, nowNs, Peripheral: peripheral.Snapshot(_adapters[peripheral.Adapter].Id), Reason: reason));
    }

    private static void EndAll(List<SimulatedSubscription> ended)
    {
        foreach (var subscription in ended)
        {
            subscription.End();
        }
    }

    /// <summary>A discovering adapter heard <paramref name="peripheral"/> advertise: Added the first time, else Changed.</summary>
    private void HearLocked(SimulatedPeripheral peripheral, long nowNs, bool coalesce)
    {
        var adapter = _adapters[peripheral.Adapter];
        if (!adapter.Powered || !adapter.Discovering || !Matches(adapter.Filter, peripheral))
        {
            return;
        }

        if (!peripheral.Known)
        {
            peripheral.Known = true;
            EnqueueLocked(new BleEvent(BleEventKind.PeripheralAdded, nowNs, Peripheral: peripheral.Snapshot(adapter.Id)));
            return;
        }

        // RSSI-only updates may be coalesced (IBleCentral.Events): skipped while the reader is behind.
        if (coalesce && _events.Reader.Count + _pending.Count >= _options.EventCapacity)
        {
            return;
        }

        EnqueueLocked(new BleEvent(BleEventKind.PeripheralChanged, nowNs, Peripheral: peripheral.Snapshot(adapter.Id)));
    }

    private static bool Matches(BleDiscoveryFilter filter, SimulatedPeripheral peripheral)
    {
        if (filter.MinimumRssi is { } minimum && peripheral.Rssi < minimum)
        {
            return false;
        }

        if (filter.ServiceUuids.Count == 0)
        {
            return true;
        }

        foreach (var uuid in peripheral.AdvertisedUuids)
        {
            foreach (var wanted in filter.ServiceUuids)
            {
                if (uuid == wanted)
                {
                    return true;
                }
            }
        }

        return false;
    }

    private void ListEverythingLocked(long nowNs)
    {
        foreach (var adapter in _adapters)
        {
            EnqueueLocked(new BleEvent(BleEventKind.AdapterAdded, nowNs, Adapter: adapter.Snapshot()));
        }

        foreach (var peripheral in _peripherals)
        {
            if (peripheral.Known && !peripheral.Removed)
            {
                EnqueueLocked(new BleEvent(BleEventKind.PeripheralAdded, nowNs, Peripheral: peripheral.Snapshot(_adapters[peripheral.Adapter].Id)));
            }
        }
    }

    private void EnqueueLocked(BleEvent e) => _pending.Enqueue(e);

    /// <summary>
    /// Moves the events queued under the lock into the bounded channel, in order, waiting while it is full. One flusher
    /// at a time keeps the order of events queued by different callers.
    /// </summary>
    private async Task FlushEventsAsync(CancellationToken cancellationToken)
    {
        await _flushing.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            while (true)
            {
                BleEvent next;
                lock (_gate)
                {
                    if (!_pending.TryPeek(out next))
                    {
                        return;
                    }
                }

                if (!_events.Writer.TryWrite(next))
                {
                    try
                    {
                        await _events.Writer.WriteAsync(next, cancellationToken).ConfigureAwait(false);
                    }
                    catch (ChannelClosedException)
                    {
                        return;
                    }
                }

                lock (_gate)
                {
                    _pending.Dequeue();
                }
            }
        }
        finally
        {
            _flushing.Release();
        }
    }

    /// <summary>An adapter's state; guarded by the central's lock.</summary>
    private sealed class Adapter(string name)
    {
        public string Name { get; } = name;

        public string Id { get; } = "sim/" + name;

        public bool Powered { get; set; } = true;

        public bool Discovering { get; set; }

        public BleDiscoveryFilter Filter { get; set; } = BleDiscoveryFilter.All;

        public BleAdapter Snapshot() => new(Id, Name, Powered, Discovering);
    }
}
