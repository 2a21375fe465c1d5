using System.Text.RegularExpressions;
using Ingest.Pipeline.Intake;
using Ingest.Pipeline.Intake.Radio;

namespace Ingest.Pipeline.Simulation.Radio;

/// <summary>Test hooks: what a test or demo does to the simulated room. A real radio has none of these.</summary>
public sealed partial class SimulatedCentral
{
    /// <summary>
    /// For tests and demos: puts a tracker that is not in the fleet into the room (a neighbour's, or one described by a
    /// contract test). Added before <see cref="StartAsync"/> it is remembered (listed at start); added later it is heard
    /// the next time a discovering adapter listens (at once, if one is discovering). Its values flow only through
    /// <see cref="NotifyAsync"/>.
    /// </summary>
    /// <param name="description">What it advertises and its GATT table (checked against <see cref="BleLimits"/>).</param>
    /// <param name="adapterName">The adapter that hears it (default: the first).</param>
    /// <param name="cancellationToken">Cancels waiting for room in the event channel.</param>
    /// <returns>Its peripheral id.</returns>
    /// <exception cref="ArgumentException">The description breaks a limit, or its address is already in the room.</exception>
    public async Task<string> AddNeighbourAsync(SimulatedPeripheralDescription description, string? adapterName = null, CancellationToken cancellationToken = default)
    {
        Check(description);
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        string id;
        lock (_gate)
        {
            var adapter = 0;
            if (adapterName is not null)
            {
                adapter = Array.FindIndex(_adapters, a => a.Name == adapterName);
                if (adapter < 0)
                {
                    throw new ArgumentException($"no adapter named '{adapterName}'", nameof(adapterName));
                }
            }

            var peripheral = Add(description, adapter, -1);
            id = peripheral.Id;
            if (Volatile.Read(ref _started) == 0)
            {
                peripheral.Known = true;
            }
            else
            {
                var now = NowNs();
                peripheral.Wander(now);
                HearLocked(peripheral, now, coalesce: false);
            }
        }

        await FlushEventsAsync(cancellationToken).ConfigureAwait(false);
        return id;
    }

    /// <summary>
    /// For tests and demos: the tracker leaves the room for good and the backend forgets it (a link drops with
    /// <see cref="DisconnectReason.LinkLoss"/>, then <see cref="BleEventKind.PeripheralRemoved"/>). Calls naming it then
    /// fail with <see cref="BleErrorKind.Gone"/>.
    /// </summary>
    public async Task RemovePeripheralAsync(string peripheralId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(peripheralId);
        var ended = new List<SimulatedSubscription>();
        lock (_gate)
        {
            var peripheral = Hooked(peripheralId);
            if (!peripheral.Removed)
            {
                var now = NowNs();
                if (peripheral.Connected)
                {
                    DropLinkLocked(peripheral, DisconnectReason.LinkLoss, now, ended);
                }

                peripheral.Removed = true;
                if (peripheral.Known)
                {
                    peripheral.Known = false;
                    EnqueueLocked(new BleEvent(BleEventKind.PeripheralRemoved, now, Peripheral: peripheral.Snapshot(_adapters[peripheral.Adapter].Id)));
                }
            }
        }

        EndAll(ended);
        await FlushEventsAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// For tests and demos: the tracker goes out of range (a link drops with <see cref="DisconnectReason.LinkLoss"/>;
    /// no advertising; Connect fails) or comes back (heard at once by a discovering adapter). The backend keeps it.
    /// </summary>
    public async Task SetInRangeAsync(string peripheralId, bool inRange, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(peripheralId);
        var ended = new List<SimulatedSubscription>();
        lock (_gate)
        {
            var peripheral = Hooked(peripheralId);
            var now = NowNs();
            var was = peripheral.InRange;
            peripheral.OutOfRangeByTest = !inRange;
            if (!inRange && peripheral.Connected)
            {
                DropLinkLocked(peripheral, DisconnectReason.LinkLoss, now, ended);
            }
            else if (inRange && !was && peripheral.InRange && Volatile.Read(ref _started) != 0)
            {
                peripheral.Wander(now);
                HearLocked(peripheral, now, coalesce: false);
            }
        }

        EndAll(ended);
        await FlushEventsAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>For tests and demos: the link drops with <paramref name="reason"/>; the tracker stays in range. Nothing happens when it is not linked.</summary>
    public async Task DropLinkAsync(string peripheralId, DisconnectReason reason, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(peripheralId);
        if (!Enum.IsDefined(reason) || reason == DisconnectReason.None)
        {
            throw new ArgumentOutOfRangeException(nameof(reason), reason, "a link drops for a reason: LinkLoss, RemoteTerminated or LocalTerminated");
        }

        var ended = new List<SimulatedSubscription>();
        lock (_gate)
        {
            var peripheral = Hooked(peripheralId);
            if (peripheral.Connected)
            {
                DropLinkLocked(peripheral, reason, NowNs(), ended);
            }
        }

        EndAll(ended);
        await FlushEventsAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// For tests and demos: the tracker sends <paramref name="value"/> on its characteristic <paramref name="characteristic"/>
    /// (which also becomes what a read returns). Delivered when subscribed on a connected link; no PMD gating (the test
    /// speaks for the sensor).
    /// </summary>
    /// <returns>True when a subscriber got it.</returns>
    public async Task<bool> NotifyAsync(string peripheralId, Guid characteristic, ReadOnlyMemory<byte> value, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(peripheralId);
        SimulatedSubscription? subscription;
        lock (_gate)
        {
            var peripheral = Hooked(peripheralId);
            var state = peripheral.Find(characteristic)
                ?? throw new ArgumentException($"{peripheralId} has no characteristic {characteristic}", nameof(characteristic));
            state.Value = value.ToArray();
            subscription = peripheral.Connected ? state.Subscription : null;
        }

        return subscription is { IsActive: true }
            && await subscription.Target.DeliverAsync(characteristic, value, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// For tests and demos: the next <paramref name="count"/> calls of <paramref name="operation"/> fail with
    /// <paramref name="kind"/> (e.g. <see cref="BleErrorKind.InProgress"/>, as a wedged adapter answers).
    /// </summary>
    public void InjectError(SimulatedOperation operation, BleErrorKind kind, int count = 1)
    {
        if (!Enum.IsDefined(operation))
        {
            throw new ArgumentOutOfRangeException(nameof(operation), operation, "not an operation of the radio");
        }

        if (!Enum.IsDefined(kind))
        {
            throw new ArgumentOutOfRangeException(nameof(kind), kind, "not a BleErrorKind");
        }

        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(count, 1_000_000);
        lock (_gate)
        {
            _injected[(int)operation] = (kind, count);
        }
    }

    /// <summary>
    /// For tests and demos: the backend goes away and comes back (bluetoothd restarted): <see cref="BleEventKind.BackendLost"/>,
    /// every link and subscription gone without Disconnected events, discovery stopped, then
    /// <see cref="BleEventKind.BackendAvailable"/> and Added events for the adapters and what the backend remembers.
    /// </summary>
    public async Task SimulateBackendRestartAsync(CancellationToken cancellationToken = default)
    {
        var ended = new List<SimulatedSubscription>();
        lock (_gate)
        {
            var now = NowNs();
            EnqueueLocked(new BleEvent(BleEventKind.BackendLost, now));
            foreach (var peripheral in _peripherals)
            {
                if (peripheral.Connected)
                {
                    peripheral.TearDown(ended);
                }
            }

            foreach (var adapter in _adapters)
            {
                adapter.Discovering = false;
            }

            EnqueueLocked(new BleEvent(BleEventKind.BackendAvailable, now));
            ListEverythingLocked(now);
        }

        EndAll(ended);
        await FlushEventsAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>For tests and demos: the writes the tracker received, oldest first (at most 10 000 are kept).</summary>
    public IReadOnlyList<SimulatedWrite> Writes(string peripheralId)
    {
        ArgumentNullException.ThrowIfNull(peripheralId);
        lock (_gate)
        {
            return [.. Hooked(peripheralId).Writes];
        }
    }

    private SimulatedPeripheral Hooked(string peripheralId) =>
        _byId.TryGetValue(peripheralId, out var peripheral)
            ? peripheral
            : throw new ArgumentException($"no simulated peripheral {peripheralId}", nameof(peripheralId));

    private static void Check(SimulatedPeripheralDescription description)
    {
        ArgumentNullException.ThrowIfNull(description);
        if (description.Address is null || !AddressPattern().IsMatch(description.Address))
        {
            throw new ArgumentException($"the address '{description.Address}' is not upper-case AA:BB:CC:DD:EE:FF", nameof(description));
        }

        if (description.Name is { Length: > BleLimits.MaxNameChars })
        {
            throw new ArgumentException($"the name has {description.Name.Length} characters; at most {BleLimits.MaxNameChars}", nameof(description));
        }

        if (description.Rssi is < -127 or > 20)
        {
            throw new ArgumentException($"the RSSI is {description.Rssi} dBm; it must be from -127 to 20", nameof(description));
        }

        ArgumentNullException.ThrowIfNull(description.AdvertisedServices);
        ArgumentNullException.ThrowIfNull(description.ManufacturerData);
        ArgumentNullException.ThrowIfNull(description.Services);
        if (description.AdvertisedServices.Count > BleLimits.MaxServiceUuids || description.Services.Count > BleLimits.MaxServices
            || description.ManufacturerData.Count > BleLimits.MaxManufacturerEntries)
        {
            throw new ArgumentException($"the tracker has more advertised services ({BleLimits.MaxServiceUuids}), GATT services ({BleLimits.MaxServices}) or manufacturer entries ({BleLimits.MaxManufacturerEntries}) than a peripheral may", nameof(description));
        }

        foreach (var (_, data) in description.ManufacturerData)
        {
            if (data is null || data.Length > BleLimits.MaxAttributeBytes)
            {
                throw new ArgumentException($"manufacturer data must be at most {BleLimits.MaxAttributeBytes} bytes", nameof(description));
            }
        }

        foreach (var service in description.Services)
        {
            if (service?.Characteristics is null || service.Characteristics.Count > BleLimits.MaxCharacteristicsPerService)
            {
                throw new ArgumentException($"a service needs a list of at most {BleLimits.MaxCharacteristicsPerService} characteristics", nameof(description));
            }

            foreach (var characteristic in service.Characteristics)
            {
                if (characteristic?.Value is null || characteristic.Value.Length > BleLimits.MaxAttributeBytes)
                {
                    throw new ArgumentException($"characteristic values must be given and at most {BleLimits.MaxAttributeBytes} bytes", nameof(description));
                }
            }
        }
    }

    [GeneratedRegex("^[0-9A-F]{2}(:[0-9A-F]{2}){5}$")]
    private static partial Regex AddressPattern();
}
