using Ingest.Pipeline.Intake.Radio;

namespace Ingest.Pipeline.Simulation.Radio;

/// <summary>A tracker to put in the simulated room (<see cref="SimulatedCentral.AddNeighbourAsync"/>): what it advertises and its GATT table.</summary>
/// <param name="Name">Advertised local name, or null.</param>
/// <param name="Address">Radio address, upper case <c>AA:BB:CC:DD:EE:FF</c>; a random static address has the top two bits set.</param>
/// <param name="Rssi">Typical signal strength in dBm (−127…20); the heard value wanders around it.</param>
/// <param name="AdvertisedServices">Service UUIDs in its advertisement.</param>
/// <param name="ManufacturerData">Manufacturer-specific data by company identifier.</param>
/// <param name="Services">Its GATT services, in handle order.</param>
public sealed record SimulatedPeripheralDescription(
    string? Name,
    string Address,
    short Rssi,
    IReadOnlyList<Guid> AdvertisedServices,
    IReadOnlyDictionary<ushort, byte[]> ManufacturerData,
    IReadOnlyList<SimulatedService> Services);

/// <summary>A GATT service of a simulated tracker.</summary>
/// <param name="Uuid">Service UUID.</param>
/// <param name="Characteristics">Its characteristics, in handle order.</param>
public sealed record SimulatedService(Guid Uuid, IReadOnlyList<SimulatedCharacteristic> Characteristics);

/// <summary>A characteristic of a simulated tracker.</summary>
/// <param name="Uuid">Characteristic UUID.</param>
/// <param name="Properties">What it allows.</param>
/// <param name="Value">Its value before anything is notified (what a read returns).</param>
public sealed record SimulatedCharacteristic(Guid Uuid, GattProperties Properties, byte[] Value);

/// <summary>A write a simulated tracker received (<see cref="SimulatedCentral.Writes"/>).</summary>
/// <param name="Service">The characteristic's service UUID.</param>
/// <param name="Characteristic">The characteristic UUID.</param>
/// <param name="Value">The bytes, exactly as written.</param>
/// <param name="WithResponse">Write request (true) or command (false).</param>
/// <param name="HubTimeNs">When it was written, by the radio's clock (UTC ns since the Unix epoch).</param>
public sealed record SimulatedWrite(Guid Service, Guid Characteristic, byte[] Value, bool WithResponse, long HubTimeNs);

/// <summary>An operation of <see cref="IBleCentral"/> that <see cref="SimulatedCentral.InjectError"/> can make fail.</summary>
public enum SimulatedOperation
{
    /// <summary><see cref="IBleCentral.SetPoweredAsync"/>.</summary>
    SetPowered = 0,

    /// <summary><see cref="IBleCentral.StartDiscoveryAsync"/>.</summary>
    StartDiscovery = 1,

    /// <summary><see cref="IBleCentral.StopDiscoveryAsync"/>.</summary>
    StopDiscovery = 2,

    /// <summary><see cref="IBleCentral.ConnectAsync"/>.</summary>
    Connect = 3,

    /// <summary><see cref="IBleCentral.DisconnectAsync"/>.</summary>
    Disconnect = 4,

    /// <summary><see cref="IBleCentral.PairAsync"/>.</summary>
    Pair = 5,

    /// <summary><see cref="IBleCentral.GetServicesAsync"/>.</summary>
    GetServices = 6,

    /// <summary><see cref="IBleCentral.ReadAsync"/>.</summary>
    Read = 7,

    /// <summary><see cref="IBleCentral.WriteAsync"/>.</summary>
    Write = 8,

    /// <summary><see cref="IBleCentral.SubscribeAsync"/>.</summary>
    Subscribe = 9,
}
