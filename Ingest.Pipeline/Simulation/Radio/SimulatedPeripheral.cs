using Ingest.Pipeline.Intake.Radio;
using Ingest.Pipeline.Simulation.Fleet;

namespace Ingest.Pipeline.Simulation.Radio;

/// <summary>
/// One tracker in the simulated room and what the backend knows of it. Every member is guarded by the central's lock;
/// the tables built here are fixed for the peripheral's lifetime, so the per-notification lookups allocate nothing.
/// </summary>
internal sealed class SimulatedPeripheral
{
    private readonly SimulatedCharacteristicState[] _characteristics;
    private readonly Dictionary<Guid, SimulatedCharacteristicState> _byUuid = [];
    private readonly Dictionary<string, SimulatedCharacteristicState> _byId = new(StringComparer.Ordinal);
    private SimRandom _rssiRandom;
    private double _rssi;

    public SimulatedPeripheral(string id, int adapter, int trackerIndex, SimulatedPeripheralDescription description, SimRandom rssiRandom)
    {
        Id = id;
        Adapter = adapter;
        TrackerIndex = trackerIndex;
        Description = description;
        _rssiRandom = rssiRandom;
        _rssi = description.Rssi;
        AddressType = (Convert.ToByte(description.Address[..2], 16) & 0xC0) == 0xC0 ? BleAddressType.Random : BleAddressType.Public;

        var all = new List<SimulatedCharacteristicState>();
        var advertised = new List<Guid>(description.AdvertisedServices);
        var uuids = new List<Guid>(description.AdvertisedServices);
        foreach (var service in description.Services)
        {
            foreach (var characteristic in service.Characteristics)
            {
                var state = new SimulatedCharacteristicState(service.Uuid, characteristic);
                all.Add(state);
                _byUuid.TryAdd(characteristic.Uuid, state);
            }
        }

        _characteristics = [.. all];
        AdvertisedUuids = advertised;
        foreach (var service in description.Services)
        {
            if (!uuids.Contains(service.Uuid))
            {
                uuids.Add(service.Uuid);
            }
        }

        ResolvedUuids = uuids;
    }

    public string Id { get; }

    public int Adapter { get; }

    /// <summary>The fleet tracker behind it, or −1 for a neighbour added by a test.</summary>
    public int TrackerIndex { get; }

    public SimulatedPeripheralDescription Description { get; }

    public BleAddressType AddressType { get; }

    public IReadOnlyList<Guid> AdvertisedUuids { get; }

    /// <summary>Advertised plus GATT services: what BlueZ's UUIDs property holds once services resolved.</summary>
    public IReadOnlyList<Guid> ResolvedUuids { get; }

    /// <summary>The backend lists it (remembered, or heard while discovering).</summary>
    public bool Known { get; set; }

    /// <summary>Left the room for good (<see cref="SimulatedCentral.RemovePeripheralAsync"/>).</summary>
    public bool Removed { get; set; }

    /// <summary>Put out of range by a test.</summary>
    public bool OutOfRangeByTest { get; set; }

    /// <summary>In a fault outage (a disconnect fault until the fleet's reconnect delay has passed).</summary>
    public bool FaultOutage { get; set; }

    public bool InRange => !Removed && !OutOfRangeByTest && !FaultOutage;

    public bool Connected { get; set; }

    public bool EverResolved { get; set; }

    public bool Paired { get; set; }

    /// <summary>Links made so far; part of every GATT id, so ids change on every connect.</summary>
    public int ConnectionCount { get; set; }

    public long LastSeenNs { get; set; }

    /// <summary>Polar PMD measurement types started on this link (bit per type); cleared on disconnect.</summary>
    public ulong PmdStarted { get; set; }

    public IReadOnlyList<GattService> CurrentTable { get; private set; } = [];

    public List<SimulatedWrite> Writes { get; } = [];

    public short Rssi => (short)Math.Round(_rssi);

    /// <summary>The characteristic with <paramref name="uuid"/> (the first, if several services share it), or null.</summary>
    public SimulatedCharacteristicState? Find(Guid uuid) => _byUuid.GetValueOrDefault(uuid);

    /// <summary>The characteristic with id <paramref name="id"/> on the current link, or null (stale id, or no link).</summary>
    public SimulatedCharacteristicState? FindById(string id) => _byId.GetValueOrDefault(id);

    /// <summary>Advertising heard: the RSSI takes a small random step back towards the tracker's typical value.</summary>
    public void Wander(long nowNs)
    {
        // A random walk of ±3 dB pulled a quarter of the way back to the typical level: it wanders but stays plausible.
        var step = (_rssiRandom.NextDouble() * 6) - 3;
        _rssi = Math.Clamp(_rssi + step + ((Description.Rssi - _rssi) * 0.25), -127, 20);
        LastSeenNs = nowNs;
    }

    /// <summary>A new link: fresh ids for every service and characteristic (BlueZ object paths are per link too).</summary>
    public void BuildTable()
    {
        ConnectionCount++;
        _byId.Clear();
        var services = new List<GattService>(Description.Services.Count);
        var handle = 1;
        var next = 0;
        foreach (var service in Description.Services)
        {
            var serviceId = $"{Id}/conn{ConnectionCount}/service{handle++:x4}";
            var characteristics = new List<GattCharacteristic>(service.Characteristics.Count);
            foreach (var definition in service.Characteristics)
            {
                var state = _characteristics[next++];
                var id = $"{serviceId}/char{handle++:x4}";
                state.CurrentId = id;
                _byId[id] = state;
                characteristics.Add(new GattCharacteristic(id, Id, service.Uuid, definition.Uuid, definition.Properties,
                    (definition.Properties & GattProperties.Notify) != 0));
            }

            services.Add(new GattService(serviceId, service.Uuid, characteristics));
        }

        CurrentTable = services;
    }

    /// <summary>The link is down: subscriptions end, ids die, PMD measurements stop (the sensor forgets them).</summary>
    public void TearDown(List<SimulatedSubscription> ended)
    {
        Connected = false;
        PmdStarted = 0;
        _byId.Clear();
        CurrentTable = [];
        foreach (var state in _characteristics)
        {
            state.CurrentId = null;
            if (state.Subscription is { } subscription)
            {
                ended.Add(subscription);
                state.Subscription = null;
            }
        }
    }

    public BlePeripheral Snapshot(string adapterId) => new(
        Id,
        adapterId,
        Description.Address,
        AddressType,
        Description.Name,
        InRange ? Rssi : null,
        EverResolved ? ResolvedUuids : AdvertisedUuids,
        Description.ManufacturerData,
        Connected,
        Connected,
        Paired,
        LastSeenNs);
}
