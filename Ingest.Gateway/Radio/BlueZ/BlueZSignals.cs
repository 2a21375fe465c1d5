using Tmds.DBus.Protocol;

namespace Ingest.Gateway.Radio.BlueZ;

/// <summary>Something the bus told the central, parsed off the D-Bus receive loop into plain values.</summary>
internal abstract record BusSignal;

/// <summary>ObjectManager.InterfacesAdded (oa{sa{sv}}).</summary>
internal sealed record InterfacesAddedSignal(string Path, Dictionary<string, Dictionary<string, VariantValue>> Interfaces) : BusSignal;

/// <summary>ObjectManager.InterfacesRemoved (oas).</summary>
internal sealed record InterfacesRemovedSignal(string Path, string[] Interfaces) : BusSignal;

/// <summary>Properties.PropertiesChanged (sa{sv}as) of one object.</summary>
internal sealed record PropertiesChangedSignal(string Path, string Interface, Dictionary<string, VariantValue> Changed, string[] Invalidated) : BusSignal;

/// <summary>Device1.Disconnected (ss): the reason name comes just before Connected turns false.</summary>
internal sealed record DeviceDisconnectedSignal(string Path, string ReasonName) : BusSignal;

/// <summary>org.bluez got a new owner (BlueZ started) or lost it (empty: BlueZ stopped or crashed).</summary>
internal sealed record OwnerChangedSignal(string NewOwner) : BusSignal;

/// <summary>The bus connection closed.</summary>
internal sealed record ConnectionClosedSignal(string Reason) : BusSignal;

/// <summary>Signals were not queued (backlog full): re-read the whole tree and emit the difference.</summary>
internal sealed record ResyncSignal : BusSignal;

/// <summary>
/// Reader functions for Tmds.DBus.Protocol match rules and calls. They run on the D-Bus receive loop, where an
/// exception would close the connection, so each checks the message signature first and turns any malformed body into
/// null plus a count in <see cref="BlueZMalformed"/> (passed as the reader state).
/// </summary>
internal static class BlueZSignals
{
    public static BusSignal? ReadInterfacesAdded(Message message, object? state) =>
        Guard(message, "oa{sa{sv}}", state, static m =>
        {
            var reader = m.GetBodyReader();
            var path = reader.ReadObjectPathAsString();
            return new InterfacesAddedSignal(path, ReadInterfaces(ref reader));
        });

    public static BusSignal? ReadInterfacesRemoved(Message message, object? state) =>
        Guard(message, "oas", state, static m =>
        {
            var reader = m.GetBodyReader();
            var path = reader.ReadObjectPathAsString();
            return new InterfacesRemovedSignal(path, reader.ReadArrayOfString());
        });

    public static BusSignal? ReadPropertiesChanged(Message message, object? state) =>
        Guard(message, "sa{sv}as", state, static m =>
        {
            var reader = m.GetBodyReader();
            var iface = reader.ReadString();
            var changed = reader.ReadDictionaryOfStringToVariantValue();
            var invalidated = reader.ReadArrayOfString();
            return new PropertiesChangedSignal(m.PathAsString ?? "", iface, changed, invalidated);
        });

    public static BusSignal? ReadDeviceDisconnected(Message message, object? state) =>
        Guard(message, "ss", state, static m =>
        {
            var reader = m.GetBodyReader();
            return new DeviceDisconnectedSignal(m.PathAsString ?? "", reader.ReadString());
        });

    public static BusSignal? ReadNameOwnerChanged(Message message, object? state) =>
        Guard(message, "sss", state, static m =>
        {
            var reader = m.GetBodyReader();
            var name = reader.ReadString();
            _ = reader.ReadString();
            var newOwner = reader.ReadString();
            return name == BlueZNames.Service ? new OwnerChangedSignal(newOwner) : null;
        });

    /// <summary>GetManagedObjects' reply: path → interface → properties.</summary>
    public static Dictionary<string, Dictionary<string, Dictionary<string, VariantValue>>> ReadManagedObjects(Message message, object? state)
    {
        if (message.SignatureAsString != "a{oa{sa{sv}}}")
        {
            throw new DBusReadException($"GetManagedObjects replied with signature '{message.SignatureAsString}', expected a{{oa{{sa{{sv}}}}}}");
        }

        var reader = message.GetBodyReader();
        var objects = new Dictionary<string, Dictionary<string, Dictionary<string, VariantValue>>>(StringComparer.Ordinal);
        var end = reader.ReadDictionaryStart();
        while (reader.HasNext(end))
        {
            var path = reader.ReadObjectPathAsString();
            objects[path] = ReadInterfaces(ref reader);
        }

        return objects;
    }

    private static Dictionary<string, Dictionary<string, VariantValue>> ReadInterfaces(ref Reader reader)
    {
        var interfaces = new Dictionary<string, Dictionary<string, VariantValue>>(StringComparer.Ordinal);
        var end = reader.ReadDictionaryStart();
        while (reader.HasNext(end))
        {
            var name = reader.ReadString();
            interfaces[name] = reader.ReadDictionaryOfStringToVariantValue();
        }

        return interfaces;
    }

    private static BusSignal? Guard(Message message, string signature, object? state, Func<Message, BusSignal?> read)
    {
        var bad = (BlueZMalformed?)state;
        if (message.SignatureAsString != signature)
        {
            bad?.Record($"{message.InterfaceAsString}.{message.MemberAsString} signal has signature '{message.SignatureAsString}', expected '{signature}'");
            return null;
        }

        try
        {
            return read(message);
        }
        catch (Exception ex)
        {
            // Never let a malformed body escape into Tmds' receive loop (it would close the connection).
            bad?.Record($"{message.InterfaceAsString}.{message.MemberAsString} signal could not be read: {ex.GetType().Name}");
            return null;
        }
    }
}
