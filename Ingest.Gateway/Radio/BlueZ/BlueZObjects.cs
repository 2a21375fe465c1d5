using Ingest.Pipeline.Intake.Radio;
using Tmds.DBus.Protocol;

namespace Ingest.Gateway.Radio.BlueZ;

/// <summary>One adapter as the central last saw it (org.bluez.Adapter1).</summary>
internal sealed class AdapterState(string path)
{
    public string Path { get; } = path;

    public bool Powered { get; private set; }

    public bool Discovering { get; private set; }

    /// <summary>Applies changed properties; true when Powered or Discovering changed.</summary>
    public bool Apply(IReadOnlyDictionary<string, VariantValue> props, BlueZMalformed bad)
    {
        var changed = false;
        if (BlueZValues.TryBool(props, BlueZNames.Adapter, "Powered", bad, out var powered) && powered != Powered)
        {
            Powered = powered;
            changed = true;
        }

        if (BlueZValues.TryBool(props, BlueZNames.Adapter, "Discovering", bad, out var discovering) && discovering != Discovering)
        {
            Discovering = discovering;
            changed = true;
        }

        return changed;
    }

    public BleAdapter ToAdapter() => new(Path, Path[(Path.LastIndexOf('/') + 1)..], Powered, Discovering);
}

/// <summary>What one PropertiesChanged did to a device.</summary>
[Flags]
internal enum DeviceChange
{
    None = 0,
    LinkUp = 1,
    LinkDown = 2,
    Other = 4,
}

/// <summary>One peripheral as the central last saw it (org.bluez.Device1), built only from checked values.</summary>
internal sealed class DeviceState
{
    private DeviceState(string path, string adapterPath, string address)
    {
        Path = path;
        AdapterPath = adapterPath;
        Address = address;
    }

    public string Path { get; }

    public string AdapterPath { get; }

    public string Address { get; }

    public BleAddressType AddressType { get; private set; }

    public string? Name { get; private set; }

    public short? Rssi { get; private set; }

    public IReadOnlyList<Guid> ServiceUuids { get; private set; } = [];

    public IReadOnlyDictionary<ushort, byte[]> ManufacturerData { get; private set; } = new Dictionary<ushort, byte[]>();

    public bool Connected { get; private set; }

    public bool ServicesResolved { get; private set; }

    public bool Paired { get; private set; }

    public long LastSeenNs { get; private set; }

    /// <summary>
    /// A device from its first property set, or null (counted) when its address is missing or malformed: without a
    /// valid address the registry cannot match it, so it is not tracked at all.
    /// </summary>
    public static DeviceState? TryCreate(string path, IReadOnlyDictionary<string, VariantValue> props, BlueZMalformed bad, long nowNs)
    {
        if (!BlueZValues.TryString(props, BlueZNames.Device, "Address", bad, out var address))
        {
            if (!props.ContainsKey("Address"))
            {
                bad.Record($"{BlueZNames.Device}.Address is missing");
            }

            return null;
        }

        if (!BlueZValues.IsAddress(address))
        {
            bad.Record($"{BlueZNames.Device}.Address is not six hex pairs separated by colons");
            return null;
        }

        // The adapter is the parent object; Device1.Adapter says the same when present and well-typed.
        var adapterPath = path[..path.LastIndexOf('/')];
        if (BlueZValues.TryObjectPath(props, BlueZNames.Device, "Adapter", bad, out var adapter) && BlueZValues.IsBlueZObjectPath(adapter))
        {
            adapterPath = adapter;
        }

        var device = new DeviceState(path, adapterPath, address.ToUpperInvariant());
        device.Apply(props, [], bad, nowNs);
        return device;
    }

    /// <summary>Applies changed and invalidated properties (BlueZ invalidates RSSI when a device leaves range).</summary>
    public DeviceChange Apply(IReadOnlyDictionary<string, VariantValue> props, IReadOnlyList<string> invalidated, BlueZMalformed bad, long nowNs)
    {
        const string I = BlueZNames.Device;
        var change = DeviceChange.None;
        var advertised = false;

        if (BlueZValues.TryString(props, I, "AddressType", bad, out var addressType))
        {
            var type = addressType == "random" ? BleAddressType.Random : BleAddressType.Public;
            change |= Set(AddressType != type, () => AddressType = type);
        }

        if (BlueZValues.TryString(props, I, "Name", bad, out var name))
        {
            if (name.Length > BleLimits.MaxNameChars)
            {
                bad.Record($"{I}.Name is longer than {BleLimits.MaxNameChars} characters");
            }
            else
            {
                advertised = true;
                change |= Set(Name != name, () => Name = name);
            }
        }

        if (BlueZValues.TryRssi(props, I, "RSSI", bad, out var rssi))
        {
            advertised = true;
            change |= Set(Rssi != rssi, () => Rssi = rssi);
        }

        if (BlueZValues.TryUuids(props, I, "UUIDs", bad, out var uuids))
        {
            change |= Set(!ServiceUuids.SequenceEqual(uuids), () => ServiceUuids = uuids);
        }

        if (BlueZValues.TryManufacturerData(props, I, "ManufacturerData", bad, out var data))
        {
            advertised = true;
            change |= Set(!SameData(ManufacturerData, data), () => ManufacturerData = data);
        }

        if (BlueZValues.TryBool(props, I, "ServicesResolved", bad, out var resolved))
        {
            change |= Set(ServicesResolved != resolved, () => ServicesResolved = resolved);
        }

        if (BlueZValues.TryBool(props, I, "Paired", bad, out var paired))
        {
            change |= Set(Paired != paired, () => Paired = paired);
        }

        if (BlueZValues.TryBool(props, I, "Connected", bad, out var connected) && connected != Connected)
        {
            Connected = connected;
            change |= connected ? DeviceChange.LinkUp : DeviceChange.LinkDown;
            if (!connected)
            {
                ServicesResolved = false;
            }
        }

        foreach (var gone in invalidated)
        {
            if (gone == "RSSI" && Rssi is not null)
            {
                Rssi = null;
                change |= DeviceChange.Other;
            }
        }

        if (advertised || LastSeenNs == 0 || (change & DeviceChange.LinkUp) != 0)
        {
            LastSeenNs = nowNs;
        }

        return change;
    }

    public BlePeripheral ToPeripheral() => new(Path, AdapterPath, Address, AddressType, Name, Rssi, ServiceUuids,
        ManufacturerData, Connected, ServicesResolved, Paired, LastSeenNs);

    private static DeviceChange Set(bool differs, Action assign)
    {
        if (!differs)
        {
            return DeviceChange.None;
        }

        assign();
        return DeviceChange.Other;
    }

    private static bool SameData(IReadOnlyDictionary<ushort, byte[]> a, Dictionary<ushort, byte[]> b)
    {
        if (a.Count != b.Count)
        {
            return false;
        }

        foreach (var (key, value) in a)
        {
            if (!b.TryGetValue(key, out var other) || !value.AsSpan().SequenceEqual(other))
            {
                return false;
            }
        }

        return true;
    }
}
