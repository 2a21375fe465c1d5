using System.Net.Sockets;
using Ingest.Pipeline.Intake.Radio;
using Tmds.DBus.Protocol;

namespace Ingest.Gateway.Radio.BlueZ;

/// <summary>GATT: the service table, ReadValue, WriteValue and notifications (org.bluez.GattCharacteristic1).</summary>
internal sealed partial class BlueZCentral
{
    /// <summary>ATT MTU bounds (Bluetooth Core 5.4 Vol 3 Part F 3.2.8: 23 minimum for LE, 517 the largest useful).</summary>
    private const int MinAttMtu = 23;
    private const int MaxAttMtu = 517;

    /// <inheritdoc />
    public async Task<IReadOnlyList<GattService>> GetServicesAsync(string peripheralId, TimeSpan resolveTimeout, CancellationToken cancellationToken)
    {
        RequireObjectId(peripheralId, "peripheral");
        var resolved = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_gate)
        {
            if (!_resolveWaiters.TryGetValue(peripheralId, out var waiters))
            {
                _resolveWaiters[peripheralId] = waiters = [];
            }

            waiters.Add(resolved);
        }

        try
        {
            // The current value first (it may have turned true before we asked), then the PropertiesChanged that sets it.
            var alreadyResolved = await CallAsync(GetProperty(peripheralId, BlueZNames.Device, "ServicesResolved"), ReadBoolVariant,
                "Device1.ServicesResolved get", cancellationToken).ConfigureAwait(false);
            if (!alreadyResolved)
            {
                try
                {
                    await resolved.Task.WaitAsync(resolveTimeout, cancellationToken).ConfigureAwait(false);
                }
                catch (TimeoutException ex)
                {
                    throw new BleOperationException(BleErrorKind.Timeout,
                        $"GATT services did not resolve within {resolveTimeout.TotalSeconds:0.#} s (is the peripheral still connected?)", ex);
                }
            }
        }
        finally
        {
            lock (_gate)
            {
                if (_resolveWaiters.TryGetValue(peripheralId, out var waiters) && waiters.Remove(resolved) && waiters.Count == 0)
                {
                    _resolveWaiters.Remove(peripheralId);
                }
            }
        }

        // Object paths change on every connect: always read the table fresh.
        var (objects, _) = await GetManagedObjectsAsync(cancellationToken).ConfigureAwait(false);
        return BlueZGatt.ReadTable(objects, peripheralId, _malformed);
    }

    /// <inheritdoc />
    public Task<byte[]> ReadAsync(GattCharacteristic characteristic, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(characteristic);
        RequireObjectId(characteristic.Id, "characteristic");
        return CallAsync(MethodWithNoOptions(characteristic.Id, BlueZNames.GattCharacteristic, "ReadValue"), ReadValueReply,
            $"GattCharacteristic1.ReadValue of {characteristic.Uuid}", cancellationToken);
    }

    /// <inheritdoc />
    public Task WriteAsync(GattCharacteristic characteristic, ReadOnlyMemory<byte> value, bool withResponse, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(characteristic);
        RequireObjectId(characteristic.Id, "characteristic");
        if (value.Length > BleLimits.MaxAttributeBytes)
        {
            throw new ArgumentException($"a GATT write carries at most {BleLimits.MaxAttributeBytes} bytes, not {value.Length}", nameof(value));
        }

        return CallAsync(WriteValue(characteristic.Id, value.Span, withResponse),
            $"GattCharacteristic1.WriteValue ({(withResponse ? "request" : "command")}) of {characteristic.Uuid}", cancellationToken);
    }

    /// <inheritdoc />
    public async Task<IBleSubscription> SubscribeAsync(GattCharacteristic characteristic, NotificationTarget target, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(characteristic);
        ArgumentNullException.ThrowIfNull(target);
        RequireObjectId(characteristic.Id, "characteristic");
        if ((characteristic.Properties & (GattProperties.Notify | GattProperties.Indicate)) == 0)
        {
            throw new BleOperationException(BleErrorKind.NotSupported,
                $"characteristic {characteristic.Uuid} allows neither notifications nor indications (its Flags lack notify/indicate)");
        }

        if (characteristic.CanAcquireNotify)
        {
            try
            {
                return await AcquireNotifyAsync(characteristic, target, cancellationToken).ConfigureAwait(false);
            }
            catch (BleOperationException ex) when (ex.Kind is BleErrorKind.NotSupported or BleErrorKind.NotPermitted)
            {
                // BlueZ refuses AcquireNotify when, e.g., another client already uses StartNotify: signals still work.
            }
        }

        return await StartNotifyAsync(characteristic, target, cancellationToken).ConfigureAwait(false);
    }

    private async Task<IBleSubscription> AcquireNotifyAsync(GattCharacteristic characteristic, NotificationTarget target, CancellationToken cancellationToken)
    {
        var (handle, mtu) = await CallAsync(MethodWithNoOptions(characteristic.Id, BlueZNames.GattCharacteristic, "AcquireNotify"),
            static (message, _) =>
            {
                if (message.SignatureAsString != "hq")
                {
                    throw new DBusReadException($"AcquireNotify replied with signature '{message.SignatureAsString}', expected 'hq'");
                }

                var reader = message.GetBodyReader();
                var socket = reader.ReadHandle<SafeSocketHandle>();
                return (socket, reader.ReadUInt16());
            },
            $"GattCharacteristic1.AcquireNotify of {characteristic.Uuid}", cancellationToken).ConfigureAwait(false);
        if (mtu is < MinAttMtu or > MaxAttMtu)
        {
            // The datagrams still carry whole values; the MTU is only informative here.
            _malformed.Record($"{BlueZNames.GattCharacteristic}.AcquireNotify MTU {mtu} is outside {MinAttMtu}..{MaxAttMtu}");
        }

        var subscription = new AcquiredNotifySubscription(characteristic, target, new Socket(handle));
        Register(subscription);
        return subscription;
    }

    private async Task<IBleSubscription> StartNotifyAsync(GattCharacteristic characteristic, NotificationTarget target, CancellationToken cancellationToken)
    {
        var subscription = new SignalNotifySubscription(characteristic, target, _options.SubscriptionBacklog,
            ct => CallAsync(Method(characteristic.Id, BlueZNames.GattCharacteristic, "StopNotify"), "GattCharacteristic1.StopNotify", ct));
        try
        {
            // The match goes first so that no value between StartNotify's reply and the subscription is lost.
            var match = await Connection.AddMatchAsync(new MatchRule
            {
                Type = MessageType.Signal,
                Sender = BlueZNames.Service,
                Path = characteristic.Id,
                Interface = BlueZNames.Properties,
                Member = "PropertiesChanged",
                Arg0 = BlueZNames.GattCharacteristic,
            }, SignalNotifySubscription.ReadValue, subscription.OnValue, emitOnCapturedContext: false, ObserverFlags.None, _malformed).ConfigureAwait(false);
            subscription.Attach(match);
            await CallAsync(Method(characteristic.Id, BlueZNames.GattCharacteristic, "StartNotify"),
                $"GattCharacteristic1.StartNotify of {characteristic.Uuid}", cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            subscription.End();
            await subscription.DisposeAsync().ConfigureAwait(false);
            throw;
        }

        Register(subscription);
        return subscription;
    }

    private void Register(BlueZSubscription subscription)
    {
        // Not checked against the device's Connected flag: the state machine may lag the call that just succeeded. A link
        // that drops from here on ends the subscription (LinkDown, InterfacesRemoved, or EOF on an acquired socket).
        lock (_gate)
        {
            if (_owner.Length > 0)
            {
                _subscriptions.Add(subscription);
                return;
            }
        }

        subscription.End(); // BlueZ left between the call and now
    }

    private MessageBuffer WriteValue(string path, ReadOnlySpan<byte> value, bool withResponse)
    {
        using var writer = Connection.GetMessageWriter();
        writer.WriteMethodCallHeader(BlueZNames.Service, path, BlueZNames.GattCharacteristic, "WriteValue", "aya{sv}");
        writer.WriteArray(value);
        // bluez doc/org.bluez.GattCharacteristic.rst: "request" = write with response, "command" = without.
        writer.WriteDictionary(new Dictionary<string, VariantValue>(StringComparer.Ordinal)
        {
            ["type"] = VariantValue.String(withResponse ? "request" : "command"),
        });
        return writer.CreateMessage();
    }

    private static bool ReadBoolVariant(Message message, object? state)
    {
        if (message.SignatureAsString != "v")
        {
            throw new DBusReadException($"Properties.Get replied with signature '{message.SignatureAsString}', expected 'v'");
        }

        var value = message.GetBodyReader().ReadVariantValue();
        if (value.Type != VariantValueType.Bool)
        {
            throw new DBusReadException($"the property has D-Bus type {value.Type}, expected boolean");
        }

        return value.GetBool();
    }

    private static byte[] ReadValueReply(Message message, object? state)
    {
        if (message.SignatureAsString != "ay")
        {
            throw new DBusReadException($"ReadValue replied with signature '{message.SignatureAsString}', expected 'ay'");
        }

        var value = message.GetBodyReader().ReadArrayOfByte();
        if (value.Length > BleLimits.MaxAttributeBytes)
        {
            ((BlueZCentral)state!)._malformed.Record($"{BlueZNames.GattCharacteristic}.ReadValue returned more than {BleLimits.MaxAttributeBytes} bytes");
            throw new BleOperationException(BleErrorKind.Failed,
                $"BlueZ ReadValue returned {value.Length} bytes, more than an attribute can hold ({BleLimits.MaxAttributeBytes})");
        }

        return value;
    }
}
