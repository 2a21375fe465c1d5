namespace Ingest.Pipeline.Intake.Radio;

/// <summary>
/// The Bluetooth LE central role, as the radio supervisor needs it: adapters, discovery, peripherals, GATT reads,
/// writes and notifications. BlueZ over D-Bus (<c>Ingest.Gateway/Radio/BlueZ</c>) and the simulated radio
/// (<c>Ingest.Pipeline/Simulation/Radio</c>) implement it, so a real hub and <c>run --simulate</c> run the same
/// supervisor, profile matching and setup code above it.
/// <para>
/// Identities: adapters and peripherals are named by an opaque <see cref="BlePeripheral.Id"/> /
/// <see cref="BleAdapter.Id"/> that the implementation chooses (BlueZ: the D-Bus object path). Radio addresses appear in
/// <see cref="BlePeripheral.Address"/> for matching against the enrollment registry and for the hub's own screens
/// (<c>scan</c>); nothing may copy them into data, topics or logs.
/// </para>
/// <para>
/// Errors: a call that the radio refuses throws <see cref="BleOperationException"/> with a <see cref="BleErrorKind"/>
/// (BlueZ's error name kept in the message); a backend that is not there (no BlueZ on the bus, no bus) throws
/// <see cref="BleUnavailableException"/>. Values that come off the radio are checked before use (lengths, UUIDs,
/// RSSI range, counts); a malformed object is skipped and counted, never a crash.
/// </para>
/// Thread-safety: every member may be called from any thread; <see cref="Events"/> has one reader (the supervisor).
/// </summary>
public interface IBleCentral : IAsyncDisposable
{
    /// <summary>
    /// What changed, in order: adapters and peripherals appearing, changing and vanishing, links going up and down,
    /// the backend going away and coming back. Bounded; the central waits (and never drops) when the reader is slow,
    /// except <see cref="BleEventKind.PeripheralChanged"/> for RSSI-only updates, which it may coalesce.
    /// </summary>
    System.Threading.Channels.ChannelReader<BleEvent> Events { get; }

    /// <summary>
    /// Connects to the backend and loads what it knows (one <see cref="BleEventKind.AdapterAdded"/> per adapter and one
    /// <see cref="BleEventKind.PeripheralAdded"/> per known peripheral follow). Call once.
    /// </summary>
    /// <exception cref="BleUnavailableException">No backend: the message says what is missing and what to do.</exception>
    Task StartAsync(CancellationToken cancellationToken);

    /// <summary>The adapters now (a snapshot).</summary>
    IReadOnlyList<BleAdapter> Adapters { get; }

    /// <summary>The peripherals the backend knows now: seen in discovery, or remembered (a snapshot).</summary>
    IReadOnlyList<BlePeripheral> Peripherals { get; }

    /// <summary>Powers an adapter on or off (BlueZ: <c>Adapter1.Powered</c>); powering off drops its links.</summary>
    Task SetPoweredAsync(string adapterId, bool powered, CancellationToken cancellationToken);

    /// <summary>Starts discovery with a filter (BlueZ: <c>SetDiscoveryFilter</c> then <c>StartDiscovery</c>).</summary>
    Task StartDiscoveryAsync(string adapterId, BleDiscoveryFilter filter, CancellationToken cancellationToken);

    /// <summary>Stops discovery. Not an error when it was not running.</summary>
    Task StopDiscoveryAsync(string adapterId, CancellationToken cancellationToken);

    /// <summary>Connects (BlueZ: <c>Device1.Connect</c>); returns when the link is up.</summary>
    Task ConnectAsync(string peripheralId, CancellationToken cancellationToken);

    /// <summary>Disconnects. Not an error when it was not connected.</summary>
    Task DisconnectAsync(string peripheralId, CancellationToken cancellationToken);

    /// <summary>Pairs (BlueZ: <c>Device1.Pair</c>) and marks the peripheral trusted, for trackers that need bonding.</summary>
    Task PairAsync(string peripheralId, CancellationToken cancellationToken);

    /// <summary>
    /// The peripheral's GATT services and characteristics, looked up anew (object paths change on every connect):
    /// waits up to <paramref name="resolveTimeout"/> for service resolution to finish, then reads the table.
    /// </summary>
    /// <exception cref="BleOperationException"><see cref="BleErrorKind.Timeout"/> when services did not resolve in time.</exception>
    Task<IReadOnlyList<GattService>> GetServicesAsync(string peripheralId, TimeSpan resolveTimeout, CancellationToken cancellationToken);

    /// <summary>Reads a characteristic's value (at most <see cref="BleLimits.MaxAttributeBytes"/>).</summary>
    Task<byte[]> ReadAsync(GattCharacteristic characteristic, CancellationToken cancellationToken);

    /// <summary>Writes a characteristic's value, with or without response.</summary>
    Task WriteAsync(GattCharacteristic characteristic, ReadOnlyMemory<byte> value, bool withResponse, CancellationToken cancellationToken);

    /// <summary>
    /// Enables notifications (or indications) and delivers every value to <paramref name="target"/> until the returned
    /// subscription is disposed or the link drops. BlueZ: <c>AcquireNotify</c> where the characteristic offers it, else
    /// <c>StartNotify</c> and <c>PropertiesChanged(Value)</c>.
    /// </summary>
    Task<IBleSubscription> SubscribeAsync(GattCharacteristic characteristic, NotificationTarget target, CancellationToken cancellationToken);
}

/// <summary>A running notification subscription. Dispose to stop it (BlueZ: <c>StopNotify</c> or closing the acquired socket).</summary>
public interface IBleSubscription : IAsyncDisposable
{
    /// <summary>The characteristic.</summary>
    GattCharacteristic Characteristic { get; }

    /// <summary>How values arrive: <c>acquire-notify</c> (a socket) or <c>start-notify</c> (D-Bus signals), or <c>simulated</c>.</summary>
    string Mechanism { get; }

    /// <summary>Completes when the subscription ends by itself (link lost, socket closed, object gone); never faults.</summary>
    Task Ended { get; }
}
