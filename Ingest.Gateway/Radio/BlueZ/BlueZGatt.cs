using Ingest.Pipeline.Intake.Radio;
using Tmds.DBus.Protocol;

namespace Ingest.Gateway.Radio.BlueZ;

/// <summary>
/// Builds a peripheral's GATT table from a GetManagedObjects snapshot: the GattService1 objects below the device path
/// and their GattCharacteristic1 children, in handle order (BlueZ names them serviceXXXX/charYYYY by handle). Entries
/// with a malformed UUID or a wrong-typed property are skipped and counted; counts are capped by <see cref="BleLimits"/>.
/// </summary>
internal static class BlueZGatt
{
    public static IReadOnlyList<GattService> ReadTable(
        Dictionary<string, Dictionary<string, Dictionary<string, VariantValue>>> objects, string devicePath, BlueZMalformed bad)
    {
        var below = objects.Keys.Where(p => p.Length > devicePath.Length && BlueZValues.IsAtOrBelow(p, devicePath))
            .OrderBy(p => p, StringComparer.Ordinal).ToList();

        var services = new List<(string Path, Guid Uuid, List<GattCharacteristic> Characteristics)>();
        foreach (var path in below)
        {
            if (!objects[path].TryGetValue(BlueZNames.GattService, out var props))
            {
                continue;
            }

            if (services.Count >= BleLimits.MaxServices)
            {
                bad.Record($"{BlueZNames.GattService}: more than {BleLimits.MaxServices} services on one peripheral");
                break;
            }

            if (TryUuid(props, BlueZNames.GattService, bad, out var uuid))
            {
                services.Add((path, uuid, []));
            }
        }

        foreach (var path in below)
        {
            if (!objects[path].TryGetValue(BlueZNames.GattCharacteristic, out var props))
            {
                continue;
            }

            if (!BlueZValues.TryObjectPath(props, BlueZNames.GattCharacteristic, "Service", bad, out var servicePath))
            {
                continue;
            }

            var index = services.FindIndex(s => s.Path == servicePath);
            if (index < 0 || !TryUuid(props, BlueZNames.GattCharacteristic, bad, out var uuid))
            {
                continue;
            }

            var service = services[index];
            if (service.Characteristics.Count >= BleLimits.MaxCharacteristicsPerService)
            {
                bad.Record($"{BlueZNames.GattCharacteristic}: more than {BleLimits.MaxCharacteristicsPerService} characteristics in one service");
                continue;
            }

            BlueZValues.TryStrings(props, BlueZNames.GattCharacteristic, "Flags", 32, bad, out var flags);
            // NotifyAcquired exists only when BlueZ offers AcquireNotify for this characteristic.
            var canAcquire = BlueZValues.TryBool(props, BlueZNames.GattCharacteristic, "NotifyAcquired", bad, out _);
            service.Characteristics.Add(new GattCharacteristic(path, devicePath, service.Uuid, uuid, PropertiesOf(flags), canAcquire));
        }

        return [.. services.Select(s => new GattService(s.Path, s.Uuid, s.Characteristics))];
    }

    /// <summary>BlueZ's Flags strings (doc/org.bluez.GattCharacteristic.rst) that the central uses; others are ignored.</summary>
    public static GattProperties PropertiesOf(IEnumerable<string> flags)
    {
        var properties = GattProperties.None;
        foreach (var flag in flags)
        {
            properties |= flag switch
            {
                "read" => GattProperties.Read,
                "write" => GattProperties.Write,
                "write-without-response" => GattProperties.WriteWithoutResponse,
                "notify" => GattProperties.Notify,
                "indicate" => GattProperties.Indicate,
                _ => GattProperties.None,
            };
        }

        return properties;
    }

    private static bool TryUuid(Dictionary<string, VariantValue> props, string iface, BlueZMalformed bad, out Guid uuid)
    {
        uuid = Guid.Empty;
        if (!BlueZValues.TryString(props, iface, "UUID", bad, out var text))
        {
            return false;
        }

        if (!BlueZValues.TryParseUuid(text, out uuid))
        {
            bad.Record($"{iface}.UUID is not a UUID");
            return false;
        }

        return true;
    }
}
