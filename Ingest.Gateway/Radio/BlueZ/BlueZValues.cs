using System.Text.RegularExpressions;
using Ingest.Pipeline.Intake.Radio;
using Tmds.DBus.Protocol;

namespace Ingest.Gateway.Radio.BlueZ;

/// <summary>
/// Typed reads of BlueZ property values (a{sv} entries). Every read checks the D-Bus type before taking the value and
/// the value against <see cref="BleLimits"/>; a value of the wrong type or out of its limits is skipped and counted in
/// <see cref="BlueZMalformed"/>, never cast blindly. An absent property is not malformed: BlueZ omits unknown values.
/// </summary>
internal static partial class BlueZValues
{
    /// <summary>Lowest RSSI BlueZ reports (HCI: −127 dBm).</summary>
    public const short MinRssi = -127;

    /// <summary>Highest RSSI a receiver reports (HCI: +20 dBm).</summary>
    public const short MaxRssi = 20;

    /// <summary>Longest object path we accept from the bus or a caller (BlueZ's are well under 100 characters).</summary>
    public const int MaxObjectPathChars = 255;

    public static bool TryString(IReadOnlyDictionary<string, VariantValue> props, string iface, string name, BlueZMalformed bad, out string value)
    {
        value = "";
        if (!props.TryGetValue(name, out var v))
        {
            return false;
        }

        if (v.Type != VariantValueType.String)
        {
            return Skip(bad, iface, name, $"has D-Bus type {v.Type}, expected string");
        }

        value = v.GetString();
        return true;
    }

    public static bool TryObjectPath(IReadOnlyDictionary<string, VariantValue> props, string iface, string name, BlueZMalformed bad, out string value)
    {
        value = "";
        if (!props.TryGetValue(name, out var v))
        {
            return false;
        }

        if (v.Type != VariantValueType.ObjectPath)
        {
            return Skip(bad, iface, name, $"has D-Bus type {v.Type}, expected object path");
        }

        value = v.GetObjectPathAsString();
        return true;
    }

    public static bool TryBool(IReadOnlyDictionary<string, VariantValue> props, string iface, string name, BlueZMalformed bad, out bool value)
    {
        value = false;
        if (!props.TryGetValue(name, out var v))
        {
            return false;
        }

        if (v.Type != VariantValueType.Bool)
        {
            return Skip(bad, iface, name, $"has D-Bus type {v.Type}, expected boolean");
        }

        value = v.GetBool();
        return true;
    }

    /// <summary>RSSI (D-Bus n), checked to lie in −127…20 dBm.</summary>
    public static bool TryRssi(IReadOnlyDictionary<string, VariantValue> props, string iface, string name, BlueZMalformed bad, out short value)
    {
        value = 0;
        if (!props.TryGetValue(name, out var v))
        {
            return false;
        }

        if (v.Type != VariantValueType.Int16)
        {
            return Skip(bad, iface, name, $"has D-Bus type {v.Type}, expected int16");
        }

        var rssi = v.GetInt16();
        if (rssi is < MinRssi or > MaxRssi)
        {
            return Skip(bad, iface, name, $"is {rssi} dBm, outside {MinRssi}..{MaxRssi}");
        }

        value = rssi;
        return true;
    }

    /// <summary>A byte array (D-Bus ay) of at most <paramref name="maxBytes"/> bytes.</summary>
    public static bool TryBytes(in VariantValue v, string iface, string name, int maxBytes, BlueZMalformed bad, out byte[] value)
    {
        value = [];
        if (v.Type != VariantValueType.Array || v.ItemType != VariantValueType.Byte)
        {
            return Skip(bad, iface, name, $"has D-Bus type {Describe(v)}, expected byte array");
        }

        if (v.Count > maxBytes)
        {
            return Skip(bad, iface, name, $"has {v.Count} bytes, more than {maxBytes}");
        }

        value = v.GetArray<byte>();
        return true;
    }

    /// <summary>A string array (D-Bus as) of at most <paramref name="maxItems"/> items.</summary>
    public static bool TryStrings(IReadOnlyDictionary<string, VariantValue> props, string iface, string name, int maxItems, BlueZMalformed bad, out string[] value)
    {
        value = [];
        if (!props.TryGetValue(name, out var v))
        {
            return false;
        }

        if (v.Type != VariantValueType.Array || (v.Count > 0 && v.ItemType != VariantValueType.String))
        {
            return Skip(bad, iface, name, $"has D-Bus type {Describe(v)}, expected string array");
        }

        if (v.Count > maxItems)
        {
            return Skip(bad, iface, name, $"has {v.Count} entries, more than {maxItems}");
        }

        value = v.Count == 0 ? [] : v.GetArray<string>();
        return true;
    }

    /// <summary>
    /// Service UUIDs (D-Bus as): each must parse as a UUID; a bad entry is skipped and counted, the rest kept, at most
    /// <see cref="BleLimits.MaxServiceUuids"/>.
    /// </summary>
    public static bool TryUuids(IReadOnlyDictionary<string, VariantValue> props, string iface, string name, BlueZMalformed bad, out Guid[] value)
    {
        value = [];
        if (!TryStrings(props, iface, name, BleLimits.MaxServiceUuids, bad, out var strings))
        {
            return false;
        }

        var uuids = new List<Guid>(strings.Length);
        foreach (var text in strings)
        {
            if (TryParseUuid(text, out var uuid))
            {
                uuids.Add(uuid);
            }
            else
            {
                Skip(bad, iface, name, "has an entry that is not a UUID");
            }
        }

        value = [.. uuids];
        return true;
    }

    /// <summary>
    /// ManufacturerData (D-Bus a{qv}, each value ay): at most <see cref="BleLimits.MaxManufacturerEntries"/> entries of
    /// at most <see cref="BleLimits.MaxAttributeBytes"/> bytes; any other shape is skipped and counted.
    /// </summary>
    public static bool TryManufacturerData(IReadOnlyDictionary<string, VariantValue> props, string iface, string name, BlueZMalformed bad, out Dictionary<ushort, byte[]> value)
    {
        value = [];
        if (!props.TryGetValue(name, out var v))
        {
            return false;
        }

        if (v.Type != VariantValueType.Dictionary || v.KeyType != VariantValueType.UInt16)
        {
            return Skip(bad, iface, name, $"has D-Bus type {Describe(v)}, expected a{{qv}}");
        }

        if (v.Count > BleLimits.MaxManufacturerEntries)
        {
            return Skip(bad, iface, name, $"has {v.Count} entries, more than {BleLimits.MaxManufacturerEntries}");
        }

        var result = new Dictionary<ushort, byte[]>(v.Count);
        for (var i = 0; i < v.Count; i++)
        {
            var entry = v.GetDictionaryEntry(i);
            var data = entry.Value;
            if (data.Type == VariantValueType.Variant)
            {
                data = data.GetVariantValue();
            }

            if (TryBytes(data, iface, name, BleLimits.MaxAttributeBytes, bad, out var bytes))
            {
                result[entry.Key.GetUInt16()] = bytes;
            }
        }

        value = result;
        return true;
    }

    /// <summary>A 128-bit UUID in BlueZ's text form (xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx).</summary>
    public static bool TryParseUuid(string text, out Guid uuid) =>
        Guid.TryParseExact(text, "D", out uuid);

    /// <summary>A radio address as BlueZ prints it: six hex pairs separated by colons.</summary>
    public static bool IsAddress(string text) => AddressPattern().IsMatch(text);

    /// <summary>A D-Bus object path under BlueZ's tree (the ids callers pass back in).</summary>
    public static bool IsBlueZObjectPath(string? path) =>
        path is not null && path.Length <= MaxObjectPathChars && path.StartsWith(BlueZNames.ObjectPathPrefix, StringComparison.Ordinal)
        && ObjectPathPattern().IsMatch(path);

    /// <summary>True when <paramref name="path"/> is <paramref name="parent"/> or below it.</summary>
    public static bool IsAtOrBelow(string path, string parent) =>
        path.Length >= parent.Length && path.StartsWith(parent, StringComparison.Ordinal)
        && (path.Length == parent.Length || path[parent.Length] == '/');

    private static string Describe(in VariantValue v) => v.Type switch
    {
        VariantValueType.Array => $"array of {v.ItemType}",
        VariantValueType.Dictionary => $"dictionary of {v.KeyType} to {v.ValueType}",
        _ => v.Type.ToString(),
    };

    private static bool Skip(BlueZMalformed bad, string iface, string name, string problem)
    {
        bad.Record($"{iface}.{name} {problem}");
        return false;
    }

    [GeneratedRegex("^[0-9A-Fa-f]{2}(:[0-9A-Fa-f]{2}){5}$", RegexOptions.CultureInvariant)]
    private static partial Regex AddressPattern();

    [GeneratedRegex("^(/[A-Za-z0-9_]+)+$", RegexOptions.CultureInvariant)]
    private static partial Regex ObjectPathPattern();
}
