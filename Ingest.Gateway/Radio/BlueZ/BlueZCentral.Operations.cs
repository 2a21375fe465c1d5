using Ingest.Pipeline.Intake.Radio;
using Tmds.DBus.Protocol;

namespace Ingest.Gateway.Radio.BlueZ;

/// <summary>Adapter and device methods (org.bluez.Adapter1, org.bluez.Device1) and the call plumbing.</summary>
internal sealed partial class BlueZCentral
{
    /// <inheritdoc />
    public Task SetPoweredAsync(string adapterId, bool powered, CancellationToken cancellationToken)
    {
        RequireObjectId(adapterId, "adapter");
        return CallAsync(SetBoolProperty(adapterId, BlueZNames.Adapter, "Powered", powered), "Adapter1.Powered set", cancellationToken);
    }

    /// <inheritdoc />
    public async Task StartDiscoveryAsync(string adapterId, BleDiscoveryFilter filter, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(filter);
        RequireObjectId(adapterId, "adapter");
        if (filter.ServiceUuids.Count > BleLimits.MaxServiceUuids)
        {
            throw new ArgumentException($"a discovery filter takes at most {BleLimits.MaxServiceUuids} service UUIDs, not {filter.ServiceUuids.Count}", nameof(filter));
        }

        if (filter.MinimumRssi is < BlueZValues.MinRssi or > BlueZValues.MaxRssi)
        {
            throw new ArgumentException($"a discovery filter's RSSI must lie in {BlueZValues.MinRssi}..{BlueZValues.MaxRssi} dBm, not {filter.MinimumRssi}", nameof(filter));
        }

        await CallAsync(DiscoveryFilter(adapterId, filter), "Adapter1.SetDiscoveryFilter", cancellationToken).ConfigureAwait(false);
        await CallAsync(Method(adapterId, BlueZNames.Adapter, "StartDiscovery"), "Adapter1.StartDiscovery", cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task StopDiscoveryAsync(string adapterId, CancellationToken cancellationToken)
    {
        RequireObjectId(adapterId, "adapter");
        try
        {
            await CallAsync(Method(adapterId, BlueZNames.Adapter, "StopDiscovery"), "Adapter1.StopDiscovery", cancellationToken).ConfigureAwait(false);
        }
        catch (BleOperationException ex) when (ex.Kind is BleErrorKind.NotReady or BleErrorKind.Failed)
        {
            // BlueZ answers Failed "No discovery started" (or NotReady when powered off): nothing was running, as asked.
        }
    }

    /// <inheritdoc />
    public async Task ConnectAsync(string peripheralId, CancellationToken cancellationToken)
    {
        RequireObjectId(peripheralId, "peripheral");
        try
        {
            await CallAsync(Method(peripheralId, BlueZNames.Device, "Connect"), "Device1.Connect", cancellationToken).ConfigureAwait(false);
        }
        catch (BleOperationException ex) when (ex.Kind == BleErrorKind.AlreadyDone)
        {
            // Already connected: the link is up, which is what the caller wants.
        }
    }

    /// <inheritdoc />
    public async Task DisconnectAsync(string peripheralId, CancellationToken cancellationToken)
    {
        RequireObjectId(peripheralId, "peripheral");
        try
        {
            await CallAsync(Method(peripheralId, BlueZNames.Device, "Disconnect"), "Device1.Disconnect", cancellationToken).ConfigureAwait(false);
        }
        catch (BleOperationException ex) when (ex.Kind == BleErrorKind.NotConnected)
        {
            // Not connected: nothing to do.
        }
    }

    /// <inheritdoc />
    public async Task PairAsync(string peripheralId, CancellationToken cancellationToken)
    {
        RequireObjectId(peripheralId, "peripheral");
        try
        {
            await CallAsync(Method(peripheralId, BlueZNames.Device, "Pair"), "Device1.Pair", cancellationToken).ConfigureAwait(false);
        }
        catch (BleOperationException ex) when (ex.Kind == BleErrorKind.AlreadyDone)
        {
            // Already bonded.
        }

        // Trusted lets the tracker reconnect without an agent prompting (bluez doc/org.bluez.Device.rst "Trusted").
        await CallAsync(SetBoolProperty(peripheralId, BlueZNames.Device, "Trusted", true), "Device1.Trusted set", cancellationToken).ConfigureAwait(false);
    }

    private async Task<(Dictionary<string, Dictionary<string, Dictionary<string, VariantValue>>> Objects, long Sequence)> GetManagedObjectsAsync(CancellationToken cancellationToken)
    {
        // The reader runs on the receive loop in message order, so the sequence read there separates the signals the
        // snapshot already contains from those that came after it.
        return await CallAsync(Method(BlueZNames.Root, BlueZNames.ObjectManager, "GetManagedObjects"),
            (message, state) => (BlueZSignals.ReadManagedObjects(message, state), Interlocked.Read(ref ((BlueZCentral)state!)._receiveSequence)),
            "ObjectManager.GetManagedObjects", cancellationToken).ConfigureAwait(false);
    }

    private async Task CallAsync(MessageBuffer message, string operation, CancellationToken cancellationToken)
    {
        try
        {
            await Connection.CallMethodAsync(message).WaitAsync(_options.CallTimeout, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (BlueZErrors.Translate(ex, operation) is { } translated)
        {
            throw translated;
        }
    }

    private async Task<T> CallAsync<T>(MessageBuffer message, MessageValueReader<T> reader, string operation, CancellationToken cancellationToken)
    {
        try
        {
            return await Connection.CallMethodAsync(message, reader, this).WaitAsync(_options.CallTimeout, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (BlueZErrors.Translate(ex, operation) is { } translated)
        {
            throw translated;
        }
    }

    private DBusConnection Connection =>
        _connection ?? throw new InvalidOperationException("BlueZCentral.StartAsync has not been called");

    private MessageBuffer Method(string path, string iface, string member)
    {
        using var writer = Connection.GetMessageWriter();
        writer.WriteMethodCallHeader(BlueZNames.Service, path, iface, member);
        return writer.CreateMessage();
    }

    /// <summary>Method with one empty a{sv} options argument (ReadValue, AcquireNotify).</summary>
    private MessageBuffer MethodWithNoOptions(string path, string iface, string member)
    {
        using var writer = Connection.GetMessageWriter();
        writer.WriteMethodCallHeader(BlueZNames.Service, path, iface, member, "a{sv}");
        var options = writer.WriteDictionaryStart();
        writer.WriteDictionaryEnd(options);
        return writer.CreateMessage();
    }

    private MessageBuffer SetBoolProperty(string path, string iface, string property, bool value)
    {
        using var writer = Connection.GetMessageWriter();
        writer.WriteMethodCallHeader(BlueZNames.Service, path, BlueZNames.Properties, "Set", "ssv");
        writer.WriteString(iface);
        writer.WriteString(property);
        writer.WriteVariantBool(value);
        return writer.CreateMessage();
    }

    private MessageBuffer GetProperty(string path, string iface, string property)
    {
        using var writer = Connection.GetMessageWriter();
        writer.WriteMethodCallHeader(BlueZNames.Service, path, BlueZNames.Properties, "Get", "ss");
        writer.WriteString(iface);
        writer.WriteString(property);
        return writer.CreateMessage();
    }

    private MessageBuffer DiscoveryFilter(string adapterId, BleDiscoveryFilter filter)
    {
        // bluez doc/org.bluez.Adapter.rst SetDiscoveryFilter: Transport "le" (no BR/EDR inquiry), UUIDs, RSSI.
        var entries = new Dictionary<string, VariantValue>(StringComparer.Ordinal)
        {
            ["Transport"] = VariantValue.String("le"),
            ["UUIDs"] = VariantValue.Array(filter.ServiceUuids.Select(u => u.ToString("D")).ToArray()),
        };
        if (filter.MinimumRssi is { } rssi)
        {
            entries["RSSI"] = VariantValue.Int16(rssi);
        }

        using var writer = Connection.GetMessageWriter();
        writer.WriteMethodCallHeader(BlueZNames.Service, adapterId, BlueZNames.Adapter, "SetDiscoveryFilter", "a{sv}");
        writer.WriteDictionary(entries);
        return writer.CreateMessage();
    }

    private static void RequireObjectId(string id, string what)
    {
        if (!BlueZValues.IsBlueZObjectPath(id))
        {
            throw new BleOperationException(BleErrorKind.Gone, $"that {what} id is not a BlueZ object (ids come from Adapters, Peripherals and GetServicesAsync)");
        }
    }
}
