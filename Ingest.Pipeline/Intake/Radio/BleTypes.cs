using Ingest.Pipeline.Decoding;

namespace Ingest.Pipeline.Intake.Radio;

/// <summary>Limits on what the radio backend accepts from the bus (untrusted input).</summary>
public static class BleLimits
{
    /// <summary>Longest attribute value (Bluetooth Core 5.4 Vol 3 Part F 3.2.9: 512 bytes).</summary>
    public const int MaxAttributeBytes = DecodeLimits.MaxFrameBytes;

    /// <summary>Longest local name kept (BlueZ names are UTF-8, at most 248 bytes per the Core spec's device name).</summary>
    public const int MaxNameChars = 248;

    /// <summary>Most service UUIDs kept per peripheral.</summary>
    public const int MaxServiceUuids = 64;

    /// <summary>Most manufacturer-data entries kept per peripheral.</summary>
    public const int MaxManufacturerEntries = 8;

    /// <summary>Most GATT services per peripheral.</summary>
    public const int MaxServices = 64;

    /// <summary>Most characteristics per service.</summary>
    public const int MaxCharacteristicsPerService = 64;

    /// <summary>Most peripherals tracked at once (a busy waiting room advertises many devices).</summary>
    public const int MaxPeripherals = 1024;
}

/// <summary>An adapter (BlueZ: <c>org.bluez.Adapter1</c>).</summary>
/// <param name="Id">Opaque id (BlueZ: object path <c>/org/bluez/hci0</c>).</param>
/// <param name="Name">Short name for people (<c>hci0</c>).</param>
/// <param name="Powered">Powered on.</param>
/// <param name="Discovering">Discovery running.</param>
public sealed record BleAdapter(string Id, string Name, bool Powered, bool Discovering);

/// <summary>The address type (BlueZ: <c>Device1.AddressType</c>).</summary>
public enum BleAddressType
{
    /// <summary>A public (IEEE-assigned) address.</summary>
    Public,

    /// <summary>A random address: static, or resolvable private (resolved with the tracker's identity resolving key).</summary>
    Random,
}

/// <summary>A peripheral as last seen (BlueZ: <c>org.bluez.Device1</c>).</summary>
/// <param name="Id">Opaque id (BlueZ: object path).</param>
/// <param name="AdapterId">The adapter that sees it.</param>
/// <param name="Address">Radio address, upper case <c>AA:BB:CC:DD:EE:FF</c>. Stays on the hub.</param>
/// <param name="AddressType">Public or random.</param>
/// <param name="Name">Advertised local name, if any. Stays on the hub.</param>
/// <param name="Rssi">Signal strength in dBm of the last advertisement (−127…20), or null when not in range now.</param>
/// <param name="ServiceUuids">Advertised (or resolved) service UUIDs.</param>
/// <param name="ManufacturerData">Manufacturer-specific data by company identifier.</param>
/// <param name="Connected">Link up.</param>
/// <param name="ServicesResolved">GATT discovery finished for the current link.</param>
/// <param name="Paired">Bonded.</param>
/// <param name="LastSeenNs">When the hub last heard from it (UTC ns since the Unix epoch).</param>
public sealed record BlePeripheral(
    string Id,
    string AdapterId,
    string Address,
    BleAddressType AddressType,
    string? Name,
    short? Rssi,
    IReadOnlyList<Guid> ServiceUuids,
    IReadOnlyDictionary<ushort, byte[]> ManufacturerData,
    bool Connected,
    bool ServicesResolved,
    bool Paired,
    long LastSeenNs);

/// <summary>What a <see cref="BleEvent"/> reports.</summary>
public enum BleEventKind
{
    /// <summary>An adapter appeared (<see cref="BleEvent.Adapter"/>).</summary>
    AdapterAdded,

    /// <summary>An adapter's Powered or Discovering changed (<see cref="BleEvent.Adapter"/>).</summary>
    AdapterChanged,

    /// <summary>An adapter vanished (<see cref="BleEvent.Adapter"/> is its last state).</summary>
    AdapterRemoved,

    /// <summary>A peripheral appeared (<see cref="BleEvent.Peripheral"/>).</summary>
    PeripheralAdded,

    /// <summary>A peripheral's advertisement, RSSI, name or resolution changed (<see cref="BleEvent.Peripheral"/>).</summary>
    PeripheralChanged,

    /// <summary>A peripheral vanished (<see cref="BleEvent.Peripheral"/> is its last state).</summary>
    PeripheralRemoved,

    /// <summary>A link came up (<see cref="BleEvent.Peripheral"/>).</summary>
    Connected,

    /// <summary>A link went down (<see cref="BleEvent.Peripheral"/>, <see cref="BleEvent.Reason"/>).</summary>
    Disconnected,

    /// <summary>The backend went away (BlueZ left the bus, or the bus closed); everything it knew is gone.</summary>
    BackendLost,

    /// <summary>The backend is back; Added events for what it knows follow.</summary>
    BackendAvailable,
}

/// <summary>One change in the radio.</summary>
/// <param name="Kind">What happened.</param>
/// <param name="HubTimeNs">When the hub saw it (UTC ns since the Unix epoch).</param>
/// <param name="Adapter">The adapter, for adapter events.</param>
/// <param name="Peripheral">The peripheral, for peripheral and link events.</param>
/// <param name="Reason">Why a link went down (<see cref="BleEventKind.Disconnected"/>).</param>
public readonly record struct BleEvent(
    BleEventKind Kind,
    long HubTimeNs,
    BleAdapter? Adapter = null,
    BlePeripheral? Peripheral = null,
    DisconnectReason Reason = DisconnectReason.None);

/// <summary>Discovery filter (BlueZ: <c>Adapter1.SetDiscoveryFilter</c> with Transport "le").</summary>
/// <param name="ServiceUuids">Only peripherals advertising one of these; empty for all.</param>
/// <param name="MinimumRssi">Only advertisements at least this strong (dBm), or null.</param>
public sealed record BleDiscoveryFilter(IReadOnlyList<Guid> ServiceUuids, short? MinimumRssi = null)
{
    /// <summary>Every LE peripheral.</summary>
    public static BleDiscoveryFilter All { get; } = new([]);
}

/// <summary>A GATT service of a connected peripheral (BlueZ: <c>org.bluez.GattService1</c>).</summary>
/// <param name="Id">Opaque id, valid for the current link only (BlueZ: object path).</param>
/// <param name="Uuid">Service UUID.</param>
/// <param name="Characteristics">Its characteristics.</param>
public sealed record GattService(string Id, Guid Uuid, IReadOnlyList<GattCharacteristic> Characteristics);

/// <summary>What a characteristic allows (BlueZ: <c>GattCharacteristic1.Flags</c>).</summary>
[Flags]
public enum GattProperties
{
    /// <summary>Nothing known.</summary>
    None = 0,

    /// <summary>"read".</summary>
    Read = 1,

    /// <summary>"write".</summary>
    Write = 2,

    /// <summary>"write-without-response".</summary>
    WriteWithoutResponse = 4,

    /// <summary>"notify".</summary>
    Notify = 8,

    /// <summary>"indicate".</summary>
    Indicate = 16,
}

/// <summary>A characteristic (BlueZ: <c>org.bluez.GattCharacteristic1</c>).</summary>
/// <param name="Id">Opaque id, valid for the current link only (BlueZ: object path).</param>
/// <param name="PeripheralId">Its peripheral.</param>
/// <param name="ServiceUuid">Its service's UUID.</param>
/// <param name="Uuid">Characteristic UUID.</param>
/// <param name="Properties">What it allows (BlueZ: the Flags strings).</param>
/// <param name="CanAcquireNotify">BlueZ offers <c>AcquireNotify</c> (the <c>NotifyAcquired</c> property exists).</param>
public sealed record GattCharacteristic(string Id, string PeripheralId, Guid ServiceUuid, Guid Uuid, GattProperties Properties, bool CanAcquireNotify);

/// <summary>Why a radio call failed, in BlueZ's terms (org.bluez.Error.*).</summary>
public enum BleErrorKind
{
    /// <summary>Anything else (org.bluez.Error.Failed and unknown errors).</summary>
    Failed,

    /// <summary>org.bluez.Error.InProgress: the adapter is busy with an earlier operation (a wedged adapter repeats it).</summary>
    InProgress,

    /// <summary>org.bluez.Error.NotReady: the adapter is not powered.</summary>
    NotReady,

    /// <summary>org.bluez.Error.NotPermitted / NotAuthorized: the peripheral refused (e.g. a write without bonding).</summary>
    NotPermitted,

    /// <summary>org.bluez.Error.NotConnected or the link dropped during the call.</summary>
    NotConnected,

    /// <summary>org.bluez.Error.AlreadyConnected / AlreadyExists: not really an error for the caller.</summary>
    AlreadyDone,

    /// <summary>org.bluez.Error.NotSupported: the characteristic does not allow it.</summary>
    NotSupported,

    /// <summary>The object is gone (org.freedesktop.DBus.Error.UnknownObject / UnknownMethod).</summary>
    Gone,

    /// <summary>No answer in time.</summary>
    Timeout,

    /// <summary>org.bluez.Error.AuthenticationFailed / ConnectionAttemptFailed and friends.</summary>
    ConnectFailed,
}

/// <summary>A radio operation failed; <see cref="Kind"/> says how, the message says what and where.</summary>
public sealed class BleOperationException(BleErrorKind kind, string message, Exception? inner = null) : Exception(message, inner)
{
    /// <summary>How it failed.</summary>
    public BleErrorKind Kind { get; } = kind;
}

/// <summary>No Bluetooth backend: the message says what is missing (bus, BlueZ, adapter) and what to do.</summary>
public sealed class BleUnavailableException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>
/// Where a subscription delivers values: the central rents a buffer from <see cref="Pool"/>, copies the value in, and
/// writes a <see cref="Notification"/> for <see cref="Device"/> to <see cref="Writer"/>, waiting when it is full (never
/// dropping). A value longer than <see cref="BleLimits.MaxAttributeBytes"/> is not delivered; it is counted in
/// <see cref="Oversized"/>. The central updates <see cref="Delivered"/> and <see cref="LastDeliveryNs"/> so the
/// supervisor notices a stream that stopped.
/// </summary>
public sealed class NotificationTarget(DeviceHandle device, NotificationBufferPool pool, System.Threading.Channels.ChannelWriter<Notification> writer, TimeProvider time)
{
    private long _delivered;
    private long _oversized;
    private long _lastDeliveryNs;

    /// <summary>The hub-local handle the notifications carry.</summary>
    public DeviceHandle Device { get; } = device;

    /// <summary>The payload buffers.</summary>
    public NotificationBufferPool Pool { get; } = pool;

    /// <summary>The pipeline's notification channel.</summary>
    public System.Threading.Channels.ChannelWriter<Notification> Writer { get; } = writer;

    /// <summary>The hub clock that stamps <see cref="Notification.HubTimeNs"/>.</summary>
    public TimeProvider Time { get; } = time;

    /// <summary>Values delivered.</summary>
    public long Delivered => Interlocked.Read(ref _delivered);

    /// <summary>Values refused as longer than an attribute can be.</summary>
    public long Oversized => Interlocked.Read(ref _oversized);

    /// <summary>Hub time of the last delivered value (0 before the first).</summary>
    public long LastDeliveryNs => Interlocked.Read(ref _lastDeliveryNs);

    /// <summary>The hub time now, in UTC ns since the Unix epoch.</summary>
    public long NowNs() => HubTime.NowNs(Time);

    /// <summary>
    /// Copies <paramref name="value"/> into a pooled buffer and writes it for <paramref name="characteristic"/>, waiting
    /// while the channel is full. Returns false (and counts) when the value is too long, or when the channel is closed.
    /// </summary>
    public async ValueTask<bool> DeliverAsync(Guid characteristic, ReadOnlyMemory<byte> value, CancellationToken cancellationToken)
    {
        if (value.Length > BleLimits.MaxAttributeBytes)
        {
            Interlocked.Increment(ref _oversized);
            return false;
        }

        var buffer = Pool.Rent();
        value.Span.CopyTo(buffer.Memory);
        var hubTimeNs = NowNs();
        var notification = new Notification(Device, characteristic, hubTimeNs, buffer, value.Length);
        try
        {
            if (!Writer.TryWrite(notification))
            {
                await Writer.WriteAsync(notification, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or System.Threading.Channels.ChannelClosedException)
        {
            notification.Release();
            return false;
        }

        Interlocked.Increment(ref _delivered);
        Interlocked.Exchange(ref _lastDeliveryNs, hubTimeNs);
        return true;
    }
}
