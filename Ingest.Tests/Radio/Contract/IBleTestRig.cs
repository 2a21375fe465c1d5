using Ingest.Pipeline.Intake;
using Ingest.Pipeline.Intake.Radio;

namespace Ingest.Tests.Radio.Contract;

/// <summary>
/// The world around an <see cref="IBleCentral"/> under test: one powered adapter and the trackers a contract test
/// puts in range. Each implementation's test provides one (the simulated radio: its own test hooks; BlueZ: a private
/// dbus-daemon with a python-dbusmock template). Trackers are named by address: the rig's world has no backend ids.
/// <para>
/// Order: <see cref="CreateCentralAsync"/> first (once; the test starts it); trackers added before the central's
/// <see cref="IBleCentral.StartAsync"/> are known at start (remembered), later ones appear through discovery.
/// </para>
/// </summary>
public interface IBleTestRig : IAsyncDisposable
{
    /// <summary>The central under test, over this rig's world, not yet started. The test disposes it.</summary>
    Task<IBleCentral> CreateCentralAsync(CancellationToken cancellationToken);

    /// <summary>A tracker comes into range, advertising as described, with the described GATT table.</summary>
    Task AddTrackerAsync(BleTrackerDescription tracker, CancellationToken cancellationToken);

    /// <summary>The tracker sends <paramref name="value"/> on its characteristic (a notification when subscribed; the read value otherwise).</summary>
    Task NotifyAsync(string address, Guid characteristic, byte[] value, CancellationToken cancellationToken);

    /// <summary>The tracker's link drops for <paramref name="reason"/>; the tracker stays in range.</summary>
    Task DropLinkAsync(string address, DisconnectReason reason, CancellationToken cancellationToken);

    /// <summary>The adapter is powered off or on from outside the central (rfkill, another program).</summary>
    Task SetAdapterPoweredAsync(bool powered, CancellationToken cancellationToken);

    /// <summary>The tracker leaves and the backend forgets it.</summary>
    Task RemoveTrackerAsync(string address, CancellationToken cancellationToken);

    /// <summary>The next call of <paramref name="operation"/> fails with <paramref name="kind"/>.</summary>
    Task InjectErrorAsync(BleTestOperation operation, BleErrorKind kind, CancellationToken cancellationToken);

    /// <summary>The values written to the tracker's characteristic, oldest first.</summary>
    Task<IReadOnlyList<byte[]>> WritesAsync(string address, Guid characteristic, CancellationToken cancellationToken);
}

/// <summary>A central operation a rig can make fail.</summary>
public enum BleTestOperation
{
    /// <summary><see cref="IBleCentral.ConnectAsync"/>.</summary>
    Connect,

    /// <summary><see cref="IBleCentral.ReadAsync"/>.</summary>
    Read,

    /// <summary><see cref="IBleCentral.WriteAsync"/>.</summary>
    Write,

    /// <summary><see cref="IBleCentral.SubscribeAsync"/>.</summary>
    Subscribe,

    /// <summary><see cref="IBleCentral.StartDiscoveryAsync"/>.</summary>
    StartDiscovery,
}

/// <summary>A tracker a contract test puts in range: what it advertises and its GATT table. Plain data, no backend specifics.</summary>
/// <param name="Name">Advertised local name.</param>
/// <param name="Address">Upper-case <c>AA:BB:CC:DD:EE:FF</c>.</param>
/// <param name="Rssi">Signal strength, dBm.</param>
/// <param name="ManufacturerId">Company identifier of its manufacturer data.</param>
/// <param name="ManufacturerData">The manufacturer data bytes.</param>
/// <param name="AdvertisedServices">Service UUIDs in the advertisement.</param>
/// <param name="Services">GATT services in handle order.</param>
public sealed record BleTrackerDescription(
    string Name,
    string Address,
    short Rssi,
    ushort ManufacturerId,
    byte[] ManufacturerData,
    IReadOnlyList<Guid> AdvertisedServices,
    IReadOnlyList<BleServiceDescription> Services);

/// <summary>A GATT service of a <see cref="BleTrackerDescription"/>.</summary>
/// <param name="Uuid">Service UUID.</param>
/// <param name="Characteristics">Its characteristics.</param>
public sealed record BleServiceDescription(Guid Uuid, IReadOnlyList<BleCharacteristicDescription> Characteristics);

/// <summary>A characteristic of a <see cref="BleServiceDescription"/>.</summary>
/// <param name="Uuid">Characteristic UUID.</param>
/// <param name="Properties">Flags.</param>
/// <param name="InitialValue">What a read returns before anything is notified.</param>
public sealed record BleCharacteristicDescription(Guid Uuid, GattProperties Properties, byte[] InitialValue);
