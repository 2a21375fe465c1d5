using Ingest.Pipeline.Intake.Radio;
using Tmds.DBus.Protocol;

namespace Ingest.Gateway.Radio.BlueZ;

/// <summary>The state machine: applies queued bus signals and snapshots to the tables and turns them into events.</summary>
internal sealed partial class BlueZCentral
{
    private async Task ProcessAsync(CancellationToken cancellationToken)
    {
        await WriteEventsAsync(Interlocked.Exchange(ref _startupEvents, []), cancellationToken).ConfigureAwait(false);
        var reader = _signals.Reader;
        while (await reader.WaitToReadAsync(cancellationToken).ConfigureAwait(false))
        {
            while (reader.TryRead(out var queued))
            {
                await HandleAsync(queued, cancellationToken).ConfigureAwait(false);
                if (Interlocked.Exchange(ref _resyncNeeded, 0) == 1)
                {
                    await ReloadAsync(cancellationToken).ConfigureAwait(false);
                }
            }

            if (Interlocked.Exchange(ref _resyncNeeded, 0) == 1)
            {
                await ReloadAsync(cancellationToken).ConfigureAwait(false);
            }
        }
    }

    private async Task HandleAsync(QueuedSignal queued, CancellationToken cancellationToken)
    {
        List<BleEvent> events;
        switch (queued.Signal)
        {
            case OwnerChangedSignal owner:
                // An owner change older than the snapshot we hold is already reflected in it (BlueZ started just
                // before we loaded): handling it would announce a restart that did not happen.
                if (queued.Sequence > Volatile.Read(ref _snapshotSequence))
                {
                    await HandleOwnerChangedAsync(owner.NewOwner, cancellationToken).ConfigureAwait(false);
                }

                return;
            case ConnectionClosedSignal:
                if (Volatile.Read(ref _disposed) == 0)
                {
                    await WriteEventsAsync(LoseBackend(), cancellationToken).ConfigureAwait(false);
                }

                return;
        }

        lock (_gate)
        {
            if (queued.Sequence <= _snapshotSequence || _owner.Length == 0)
            {
                return; // older than the snapshot we hold (already in it), or BlueZ is gone
            }

            events = queued.Signal switch
            {
                InterfacesAddedSignal added => OnInterfacesAdded(added.Path, added.Interfaces),
                InterfacesRemovedSignal removed => OnInterfacesRemoved(removed.Path, removed.Interfaces),
                PropertiesChangedSignal changed => OnPropertiesChanged(changed),
                DeviceDisconnectedSignal disconnected => OnDeviceDisconnected(disconnected),
                _ => [],
            };
        }

        await WriteEventsAsync(events, cancellationToken).ConfigureAwait(false);
    }

    private async Task HandleOwnerChangedAsync(string newOwner, CancellationToken cancellationToken)
    {
        string previous;
        lock (_gate)
        {
            previous = _owner;
        }

        if (previous.Length > 0)
        {
            // BlueZ stopped (empty owner) or was replaced by another process: everything it knew is gone.
            await WriteEventsAsync(LoseBackend(), cancellationToken).ConfigureAwait(false);
        }

        if (newOwner.Length > 0)
        {
            lock (_gate)
            {
                _owner = newOwner;
            }

            await WriteEventsAsync([Event(BleEventKind.BackendAvailable)], cancellationToken).ConfigureAwait(false);
            await ReloadAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Re-reads the whole tree and emits the difference (Added events for everything after a restart).</summary>
    private async Task ReloadAsync(CancellationToken cancellationToken)
    {
        Dictionary<string, Dictionary<string, Dictionary<string, VariantValue>>> objects;
        long sequence;
        try
        {
            (objects, sequence) = await GetManagedObjectsAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (BleOperationException)
        {
            // BlueZ vanished again while we asked; its NameOwnerChanged is queued and will be handled next.
            return;
        }

        List<BleEvent> events;
        lock (_gate)
        {
            events = ApplySnapshot(objects, sequence);
        }

        await WriteEventsAsync(events, cancellationToken).ConfigureAwait(false);
    }

    private List<BleEvent> LoseBackend()
    {
        BlueZSubscription[] ended;
        List<TaskCompletionSource> waiters;
        lock (_gate)
        {
            _owner = "";
            _adapters.Clear();
            _devices.Clear();
            _pendingReasons.Clear();
            ended = [.. _subscriptions];
            _subscriptions.Clear();
            waiters = [.. _resolveWaiters.Values.SelectMany(w => w)];
            _resolveWaiters.Clear();
        }

        foreach (var subscription in ended)
        {
            subscription.End();
        }

        foreach (var waiter in waiters)
        {
            waiter.TrySetException(new BleOperationException(BleErrorKind.Gone, "BlueZ went away while waiting for GATT services"));
        }

        return [Event(BleEventKind.BackendLost)];
    }

    /// <summary>Makes the tables equal to a snapshot; returns the events that describe the difference. Under _gate.</summary>
    private List<BleEvent> ApplySnapshot(Dictionary<string, Dictionary<string, Dictionary<string, VariantValue>>> objects, long sequence)
    {
        _snapshotSequence = sequence;
        var events = new List<BleEvent>();
        var paths = objects.Keys.Where(BlueZValues.IsBlueZObjectPath).OrderBy(p => p, StringComparer.Ordinal).ToList();

        foreach (var path in _devices.Keys.Where(p => !objects.TryGetValue(p, out var i) || !i.ContainsKey(BlueZNames.Device)).ToList())
        {
            events.AddRange(RemoveDevice(path));
        }

        foreach (var path in _adapters.Keys.Where(p => !objects.TryGetValue(p, out var i) || !i.ContainsKey(BlueZNames.Adapter)).ToList())
        {
            events.AddRange(RemoveAdapter(path));
        }

        foreach (var path in paths)
        {
            if (objects[path].TryGetValue(BlueZNames.Adapter, out var props))
            {
                events.AddRange(UpsertAdapter(path, props));
            }
        }

        foreach (var path in paths)
        {
            if (objects[path].TryGetValue(BlueZNames.Device, out var props))
            {
                events.AddRange(UpsertDevice(path, props, []));
            }
        }

        // A subscription whose characteristic is not in the tree any more has ended.
        foreach (var subscription in _subscriptions.Where(s => !objects.ContainsKey(s.Characteristic.Id)).ToList())
        {
            EndSubscription(subscription);
        }

        return events;
    }

    private List<BleEvent> OnInterfacesAdded(string path, Dictionary<string, Dictionary<string, VariantValue>> interfaces)
    {
        var events = new List<BleEvent>();
        if (!BlueZValues.IsBlueZObjectPath(path))
        {
            return events;
        }

        if (interfaces.TryGetValue(BlueZNames.Adapter, out var adapter))
        {
            events.AddRange(UpsertAdapter(path, adapter));
        }

        if (interfaces.TryGetValue(BlueZNames.Device, out var device))
        {
            events.AddRange(UpsertDevice(path, device, []));
        }

        return events;
    }

    private List<BleEvent> OnInterfacesRemoved(string path, string[] interfaces)
    {
        var events = new List<BleEvent>();
        foreach (var subscription in _subscriptions.Where(s => BlueZValues.IsAtOrBelow(s.Characteristic.Id, path)).ToList())
        {
            EndSubscription(subscription);
        }

        if (interfaces.Contains(BlueZNames.Device))
        {
            events.AddRange(RemoveDevice(path));
        }

        if (interfaces.Contains(BlueZNames.Adapter))
        {
            events.AddRange(RemoveAdapter(path));
        }

        return events;
    }

    private List<BleEvent> OnPropertiesChanged(PropertiesChangedSignal signal)
    {
        if (signal.Interface == BlueZNames.Adapter)
        {
            return _adapters.ContainsKey(signal.Path) ? UpsertAdapter(signal.Path, signal.Changed) : [];
        }

        if (signal.Interface == BlueZNames.Device && _devices.ContainsKey(signal.Path))
        {
            return UpsertDevice(signal.Path, signal.Changed, signal.Invalidated);
        }

        return [];
    }

    private List<BleEvent> OnDeviceDisconnected(DeviceDisconnectedSignal signal)
    {
        // BlueZ sends Disconnected(reason) just before Connected turns false; keep the reason for that change.
        if (_devices.ContainsKey(signal.Path))
        {
            _pendingReasons[signal.Path] = signal.ReasonName;
        }

        return [];
    }

    private List<BleEvent> UpsertAdapter(string path, IReadOnlyDictionary<string, VariantValue> props)
    {
        if (_adapters.TryGetValue(path, out var adapter))
        {
            return adapter.Apply(props, _malformed) ? [Event(BleEventKind.AdapterChanged, adapter.ToAdapter())] : [];
        }

        adapter = new AdapterState(path);
        adapter.Apply(props, _malformed);
        _adapters[path] = adapter;
        return [Event(BleEventKind.AdapterAdded, adapter.ToAdapter())];
    }

    private List<BleEvent> UpsertDevice(string path, IReadOnlyDictionary<string, VariantValue> props, IReadOnlyList<string> invalidated)
    {
        var now = NowNs();
        if (!_devices.TryGetValue(path, out var device))
        {
            if (_devices.Count >= BleLimits.MaxPeripherals)
            {
                _malformed.Record($"more than {BleLimits.MaxPeripherals} peripherals: a new one was not tracked");
                return [];
            }

            device = DeviceState.TryCreate(path, props, _malformed, now);
            if (device is null)
            {
                return [];
            }

            _devices[path] = device;
            return [Event(BleEventKind.PeripheralAdded, peripheral: device.ToPeripheral())];
        }

        var change = device.Apply(props, invalidated, _malformed, now);
        var events = new List<BleEvent>();
        if ((change & DeviceChange.Other) != 0)
        {
            events.Add(Event(BleEventKind.PeripheralChanged, peripheral: device.ToPeripheral()));
        }

        if ((change & DeviceChange.LinkUp) != 0)
        {
            events.Add(Event(BleEventKind.Connected, peripheral: device.ToPeripheral()));
        }

        if ((change & DeviceChange.LinkDown) != 0)
        {
            _pendingReasons.Remove(path, out var reasonName);
            EndSubscriptionsBelow(path);
            events.Add(Event(BleEventKind.Disconnected, peripheral: device.ToPeripheral(), reason: BlueZErrors.ReasonOf(reasonName)));
        }

        if (device.ServicesResolved && _resolveWaiters.Remove(path, out var waiters))
        {
            foreach (var waiter in waiters)
            {
                waiter.TrySetResult();
            }
        }

        return events;
    }

    private List<BleEvent> RemoveDevice(string path)
    {
        EndSubscriptionsBelow(path);
        _pendingReasons.Remove(path);
        if (_resolveWaiters.Remove(path, out var waiters))
        {
            foreach (var waiter in waiters)
            {
                waiter.TrySetException(new BleOperationException(BleErrorKind.Gone, "the peripheral vanished while waiting for GATT services"));
            }
        }

        return _devices.Remove(path, out var device) ? [Event(BleEventKind.PeripheralRemoved, peripheral: device.ToPeripheral())] : [];
    }

    private List<BleEvent> RemoveAdapter(string path)
    {
        // bluetoothd does not always announce a vanished adapter's devices first (a crash, a pulled dongle): remove them here.
        var events = new List<BleEvent>();
        foreach (var device in _devices.Values.Where(d => d.AdapterPath == path || BlueZValues.IsAtOrBelow(d.Path, path)).Select(d => d.Path).ToList())
        {
            events.AddRange(RemoveDevice(device));
        }

        if (_adapters.Remove(path, out var adapter))
        {
            events.Add(Event(BleEventKind.AdapterRemoved, adapter.ToAdapter()));
        }

        return events;
    }

    private void EndSubscriptionsBelow(string path)
    {
        foreach (var subscription in _subscriptions.Where(s => BlueZValues.IsAtOrBelow(s.Characteristic.Id, path)).ToList())
        {
            EndSubscription(subscription);
        }
    }

    private void EndSubscription(BlueZSubscription subscription)
    {
        _subscriptions.Remove(subscription);
        subscription.End();
    }

    private async Task WriteEventsAsync(List<BleEvent> events, CancellationToken cancellationToken)
    {
        foreach (var e in events)
        {
            await _events.Writer.WriteAsync(e, cancellationToken).ConfigureAwait(false);
        }
    }
}
