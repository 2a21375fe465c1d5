using System.Text;
using System.Threading.Channels;
using Ingest.Pipeline.Intake;
using Ingest.Pipeline.Intake.Radio;
using static Ingest.Tests.Radio.Contract.ContractTrackers;

namespace Ingest.Tests.Radio.Contract;

/// <summary>
/// What every <see cref="IBleCentral"/> must do, as the supervisor relies on it: one abstract test base, run against
/// each implementation through its <see cref="IBleTestRig"/> (dotnet/runtime's ChannelTestBase pattern). Values that
/// travel through a backend (D-Bus signals) arrive asynchronously, so every expectation waits up to
/// <see cref="Patience"/> for its event.
/// </summary>
public abstract class BleCentralContract : IAsyncLifetime, IDisposable
{
    /// <summary>How long an expected event may take (a D-Bus round trip on a loaded CI box is well below this).</summary>
    protected static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);

    private readonly List<BleEvent> _seen = [];
    private readonly CancellationTokenSource _timeout = new(TimeSpan.FromMinutes(2));
    private IBleTestRig? _rig;
    private IBleCentral? _central;

    protected IBleTestRig Rig => _rig ?? throw new InvalidOperationException("no rig");

    protected IBleCentral Central => _central ?? throw new InvalidOperationException("no central");

    protected CancellationToken Token => _timeout.Token;

    /// <summary>The implementation's rig.</summary>
    protected abstract Task<IBleTestRig> CreateRigAsync();

    public async Task InitializeAsync()
    {
        _rig = await CreateRigAsync();
        _central = await _rig.CreateCentralAsync(Token);
    }

    public async Task DisposeAsync()
    {
        if (_central is not null)
        {
            await _central.DisposeAsync();
        }

        if (_rig is not null)
        {
            await _rig.DisposeAsync();
        }
    }

    public void Dispose()
    {
        _timeout.Dispose();
        GC.SuppressFinalize(this);
    }

    [Fact]
    public async Task StartAsync_KnownTracker_ListsAdapterAndPeripheralWithAddedEvents()
    {
        await Rig.AddTrackerAsync(PolarH10Like(), Token);
        await Central.StartAsync(Token);

        var adapter = await ExpectAsync(e => e.Kind == BleEventKind.AdapterAdded, "AdapterAdded");
        Assert.NotNull(adapter.Adapter);
        Assert.True(adapter.Adapter.Powered);
        var added = await ExpectAsync(e => e.Kind == BleEventKind.PeripheralAdded && e.Peripheral?.Address == H10Address, "PeripheralAdded for the tracker");
        Assert.False(added.Peripheral!.Connected);

        Assert.Contains(Central.Adapters, a => a.Id == adapter.Adapter.Id && a.Powered);
        var listed = Assert.Single(Central.Peripherals, p => p.Address == H10Address);
        Assert.Equal(adapter.Adapter.Id, listed.AdapterId);
        Assert.Equal(added.Peripheral.Id, listed.Id);
    }

    [Fact]
    public async Task StartDiscoveryAsync_TrackerComesIntoRange_ReportsNameRssiServicesAndManufacturerData()
    {
        var adapterId = await StartAsync();
        await Central.StartDiscoveryAsync(adapterId, new BleDiscoveryFilter([HeartRateService]), Token);
        await Rig.AddTrackerAsync(PolarH10Like(), Token);

        // A backend may report the device before its advertisement is complete: wait for the full picture.
        var seen = await ExpectAsync(
            e => e.Kind is BleEventKind.PeripheralAdded or BleEventKind.PeripheralChanged
                && e.Peripheral is { Address: H10Address, Name: H10Name, Rssi: not null } p
                && p.ServiceUuids.Contains(HeartRateService)
                && p.ManufacturerData.TryGetValue(PolarCompanyId, out var data) && data.AsSpan().SequenceEqual(ManufacturerBytes),
            "the tracker with name, RSSI, service and manufacturer data");
        Assert.InRange(seen.Peripheral!.Rssi!.Value, (short)-127, (short)20);
        Assert.True(Central.Adapters.Single(a => a.Id == adapterId).Discovering);
        Assert.Contains(Central.Peripherals, p => p.Address == H10Address);
    }

    [Fact]
    public async Task ConnectAsync_TrackerInRange_ConnectedEventAndConnectedPeripheral()
    {
        var id = await StartWithTrackerAsync();
        await Central.ConnectAsync(id, Token);

        var connected = await ExpectAsync(e => e.Kind == BleEventKind.Connected && e.Peripheral?.Id == id, "Connected");
        Assert.True(connected.Peripheral!.Connected);
        Assert.True(Central.Peripherals.Single(p => p.Id == id).Connected);
    }

    [Fact]
    public async Task GetServicesAsync_AfterReconnect_SameTableWithNewIds()
    {
        var id = await StartWithTrackerAsync();
        await Central.ConnectAsync(id, Token);
        var first = await Central.GetServicesAsync(id, Patience, Token);

        AssertTable(first, id);
        await Central.DisconnectAsync(id, Token);
        await ExpectAsync(e => e.Kind == BleEventKind.Disconnected && e.Peripheral?.Id == id, "Disconnected");
        await Central.ConnectAsync(id, Token);
        var second = await Central.GetServicesAsync(id, Patience, Token);

        AssertTable(second, id);
        var oldIds = first.SelectMany(s => s.Characteristics).Select(c => c.Id).ToHashSet();
        Assert.DoesNotContain(second.SelectMany(s => s.Characteristics), c => oldIds.Contains(c.Id));
    }

    [Fact]
    public async Task ReadAsync_DeviceInformationModel_ReturnsTheModelString()
    {
        var id = await StartConnectedAsync();
        var model = await FindAsync(id, ModelNumber);

        var value = await Central.ReadAsync(model, Token);

        Assert.Equal("Polar H10", Encoding.UTF8.GetString(value));
        Assert.Equal([0x55], await Central.ReadAsync(await FindAsync(id, BatteryLevel), Token));
    }

    [Fact]
    public async Task WriteAsync_PmdStart_TrackerReceivesTheExactBytes()
    {
        var id = await StartConnectedAsync();
        var controlPoint = await FindAsync(id, PmdControlPoint);

        await Central.WriteAsync(controlPoint, PmdStartEcg, withResponse: true, Token);

        var writes = await Rig.WritesAsync(H10Address, PmdControlPoint, Token);
        Assert.Equal(PmdStartEcg, Assert.Single(writes));
    }

    [Fact]
    public async Task SubscribeAsync_Notifications_DeliveredInOrderWithHandleAndCharacteristic()
    {
        var id = await StartConnectedAsync();
        var heartRate = await FindAsync(id, HeartRateMeasurement);
        var (target, channel) = NewTarget(new DeviceHandle(42));
        await using var subscription = await Central.SubscribeAsync(heartRate, target, Token);
        Assert.Equal(heartRate.Id, subscription.Characteristic.Id);

        byte[][] values = [[0x10, 60, 0x00, 0x04], [0x10, 61, 0x10, 0x04], [0x10, 62, 0x20, 0x04]];
        foreach (var value in values)
        {
            await Rig.NotifyAsync(H10Address, HeartRateMeasurement, value, Token);
        }

        foreach (var expected in values)
        {
            var n = await ReadAsync(channel);
            Assert.Equal(new DeviceHandle(42), n.Device);
            Assert.Equal(HeartRateMeasurement, n.Characteristic);
            Assert.Equal(expected, n.Payload.ToArray());
            Assert.True(n.HubTimeNs > 0);
            n.Release();
        }

        Assert.Equal(values.Length, target.Delivered);
        Assert.Equal(0, target.Pool.Outstanding);
    }

    [Fact]
    public async Task SubscriptionDisposed_LaterValues_NotDelivered()
    {
        var id = await StartConnectedAsync();
        var (target, channel) = NewTarget(new DeviceHandle(1));
        var subscription = await Central.SubscribeAsync(await FindAsync(id, HeartRateMeasurement), target, Token);
        await Rig.NotifyAsync(H10Address, HeartRateMeasurement, [0x00, 70], Token);
        (await ReadAsync(channel)).Release();

        await subscription.DisposeAsync();
        await Rig.NotifyAsync(H10Address, HeartRateMeasurement, [0x00, 71], Token);
        await Task.Delay(300, Token);

        Assert.False(channel.Reader.TryRead(out _));
        Assert.Equal(1, target.Delivered);
    }

    [Fact]
    public async Task LinkDrops_DisconnectedEventWithReason_SubscriptionEnds()
    {
        var id = await StartConnectedAsync();
        var (target, _) = NewTarget(new DeviceHandle(7));
        await using var subscription = await Central.SubscribeAsync(await FindAsync(id, HeartRateMeasurement), target, Token);

        await Rig.DropLinkAsync(H10Address, DisconnectReason.LinkLoss, Token);

        var dropped = await ExpectAsync(e => e.Kind == BleEventKind.Disconnected && e.Peripheral?.Id == id, "Disconnected");
        Assert.Equal(DisconnectReason.LinkLoss, dropped.Reason);
        Assert.False(dropped.Peripheral!.Connected);
        await subscription.Ended.WaitAsync(Patience, Token);
        Assert.False(Central.Peripherals.Single(p => p.Id == id).Connected);
    }

    [Fact]
    public async Task SetPoweredAsync_Off_DropsLinksAndRefusesConnect_OnAgainConnects()
    {
        var id = await StartConnectedAsync();
        var adapterId = Central.Adapters[0].Id;
        var (target, _) = NewTarget(new DeviceHandle(3));
        await using var subscription = await Central.SubscribeAsync(await FindAsync(id, HeartRateMeasurement), target, Token);

        await Central.SetPoweredAsync(adapterId, false, Token);

        await ExpectAsync(e => e.Kind == BleEventKind.Disconnected && e.Peripheral?.Id == id, "Disconnected on power off");
        await ExpectAsync(e => e.Kind == BleEventKind.AdapterChanged && e.Adapter is { Powered: false }, "AdapterChanged (off)");
        await subscription.Ended.WaitAsync(Patience, Token);
        var refused = await Assert.ThrowsAsync<BleOperationException>(() => Central.ConnectAsync(id, Token));
        Assert.Equal(BleErrorKind.NotReady, refused.Kind);

        await Central.SetPoweredAsync(adapterId, true, Token);
        await ExpectAsync(e => e.Kind == BleEventKind.AdapterChanged && e.Adapter is { Powered: true }, "AdapterChanged (on)");
        await Central.ConnectAsync(id, Token);
        await ExpectAsync(e => e.Kind == BleEventKind.Connected && e.Peripheral?.Id == id, "Connected after power on");
    }

    [Fact]
    public async Task AdapterPoweredOffOutside_LinkDropsAndAdapterChangedReported()
    {
        var id = await StartConnectedAsync();

        await Rig.SetAdapterPoweredAsync(false, Token);

        await ExpectAsync(e => e.Kind == BleEventKind.Disconnected && e.Peripheral?.Id == id, "Disconnected");
        await ExpectAsync(e => e.Kind == BleEventKind.AdapterChanged && e.Adapter is { Powered: false }, "AdapterChanged (off)");
        Assert.False(Central.Adapters[0].Powered);
    }

    [Fact]
    public async Task TrackerRemoved_PeripheralRemovedEvent_NoLongerListed()
    {
        var id = await StartWithTrackerAsync();

        await Rig.RemoveTrackerAsync(H10Address, Token);

        var removed = await ExpectAsync(e => e.Kind == BleEventKind.PeripheralRemoved, "PeripheralRemoved");
        Assert.Equal(id, removed.Peripheral!.Id);
        Assert.DoesNotContain(Central.Peripherals, p => p.Id == id);
    }

    [Fact]
    public async Task InjectedInProgress_NextConnect_ThrowsInProgress_ThenWorks()
    {
        var id = await StartWithTrackerAsync();
        await Rig.InjectErrorAsync(BleTestOperation.Connect, BleErrorKind.InProgress, Token);

        var error = await Assert.ThrowsAsync<BleOperationException>(() => Central.ConnectAsync(id, Token));

        Assert.Equal(BleErrorKind.InProgress, error.Kind);
        await Central.ConnectAsync(id, Token);
        await ExpectAsync(e => e.Kind == BleEventKind.Connected && e.Peripheral?.Id == id, "Connected after the injected error");
    }

    [Fact]
    public async Task InjectedError_NextRead_ThrowsThatKind()
    {
        var id = await StartConnectedAsync();
        var model = await FindAsync(id, ModelNumber);
        await Rig.InjectErrorAsync(BleTestOperation.Read, BleErrorKind.NotPermitted, Token);

        var error = await Assert.ThrowsAsync<BleOperationException>(() => Central.ReadAsync(model, Token));

        Assert.Equal(BleErrorKind.NotPermitted, error.Kind);
        Assert.Equal("Polar H10", Encoding.UTF8.GetString(await Central.ReadAsync(model, Token)));
    }

    [Fact]
    public async Task SubscribeAsync_CharacteristicWithoutNotify_ThrowsNotSupported()
    {
        var id = await StartConnectedAsync();

        var error = await Assert.ThrowsAsync<BleOperationException>(async () =>
            await Central.SubscribeAsync(await FindAsync(id, ModelNumber), NewTarget(new DeviceHandle(1)).Target, Token));

        Assert.Equal(BleErrorKind.NotSupported, error.Kind);
    }

    [Fact]
    public async Task VanishedPeripheral_EveryOperation_ThrowsBleOperationExceptionGoneOrNotConnected()
    {
        var id = await StartConnectedAsync();
        var heartRate = await FindAsync(id, HeartRateMeasurement);
        var model = await FindAsync(id, ModelNumber);
        var controlPoint = await FindAsync(id, PmdControlPoint);
        await Rig.RemoveTrackerAsync(H10Address, Token);
        await ExpectAsync(e => e.Kind == BleEventKind.PeripheralRemoved, "PeripheralRemoved");

        await AssertVanishedAsync(() => Central.ConnectAsync(id, Token));
        await AssertVanishedAsync(() => Central.PairAsync(id, Token));
        await AssertVanishedAsync(() => Central.GetServicesAsync(id, TimeSpan.FromSeconds(1), Token));
        await AssertVanishedAsync(() => Central.ReadAsync(model, Token));
        await AssertVanishedAsync(() => Central.WriteAsync(controlPoint, PmdStartEcg, true, Token));
        await AssertVanishedAsync(() => Central.SubscribeAsync(heartRate, NewTarget(new DeviceHandle(1)).Target, Token));

        // Disconnecting what is gone may succeed (nothing to do) but must not throw anything else.
        try
        {
            await Central.DisconnectAsync(id, Token);
        }
        catch (BleOperationException ex)
        {
            Assert.True(ex.Kind is BleErrorKind.Gone or BleErrorKind.NotConnected, $"Disconnect threw {ex.Kind}: {ex.Message}");
        }
    }

    /// <summary>Starts the central and waits for its first adapter; returns the adapter id.</summary>
    protected async Task<string> StartAsync()
    {
        await Central.StartAsync(Token);
        var adapter = await ExpectAsync(e => e.Kind == BleEventKind.AdapterAdded, "AdapterAdded");
        return adapter.Adapter!.Id;
    }

    /// <summary>A known Polar-H10-like tracker and a started central; returns the tracker's peripheral id.</summary>
    protected async Task<string> StartWithTrackerAsync()
    {
        await Rig.AddTrackerAsync(PolarH10Like(), Token);
        await Central.StartAsync(Token);
        var added = await ExpectAsync(e => e.Kind == BleEventKind.PeripheralAdded && e.Peripheral?.Address == H10Address, "PeripheralAdded");
        return added.Peripheral!.Id;
    }

    /// <summary>As <see cref="StartWithTrackerAsync"/>, then connected.</summary>
    protected async Task<string> StartConnectedAsync()
    {
        var id = await StartWithTrackerAsync();
        await Central.ConnectAsync(id, Token);
        await ExpectAsync(e => e.Kind == BleEventKind.Connected && e.Peripheral?.Id == id, "Connected");
        return id;
    }

    /// <summary>The characteristic with <paramref name="uuid"/> on the current link.</summary>
    protected async Task<GattCharacteristic> FindAsync(string peripheralId, Guid uuid)
    {
        var services = await Central.GetServicesAsync(peripheralId, Patience, Token);
        return services.SelectMany(s => s.Characteristics).First(c => c.Uuid == uuid);
    }

    /// <summary>Reads events until one matches (they are kept for the failure message); fails after <see cref="Patience"/>.</summary>
    protected async Task<BleEvent> ExpectAsync(Func<BleEvent, bool> match, string what)
    {
        using var patience = CancellationTokenSource.CreateLinkedTokenSource(Token);
        patience.CancelAfter(Patience);
        try
        {
            while (true)
            {
                var e = await Central.Events.ReadAsync(patience.Token);
                _seen.Add(e);
                if (match(e))
                {
                    return e;
                }
            }
        }
        catch (OperationCanceledException) when (!Token.IsCancellationRequested)
        {
            var seen = string.Join(", ", _seen.Select(e => $"{e.Kind}({e.Peripheral?.Address ?? e.Adapter?.Name}{(e.Reason == DisconnectReason.None ? "" : " " + e.Reason)})"));
            Assert.Fail($"no {what} within {Patience.TotalSeconds} s; events seen: {seen}");
            throw;
        }
    }

    protected static (NotificationTarget Target, Channel<Notification> Channel) NewTarget(DeviceHandle device, int capacity = 64)
    {
        var channel = Channel.CreateBounded<Notification>(new BoundedChannelOptions(capacity) { FullMode = BoundedChannelFullMode.Wait });
        return (new NotificationTarget(device, new NotificationBufferPool(), channel.Writer, TimeProvider.System), channel);
    }

    protected async Task<Notification> ReadAsync(Channel<Notification> channel)
    {
        using var patience = CancellationTokenSource.CreateLinkedTokenSource(Token);
        patience.CancelAfter(Patience);
        return await channel.Reader.ReadAsync(patience.Token);
    }

    private static void AssertTable(IReadOnlyList<GattService> services, string peripheralId)
    {
        void Has(Guid service, Guid characteristic, GattProperties properties)
        {
            var s = Assert.Single(services, s => s.Uuid == service);
            var c = Assert.Single(s.Characteristics, c => c.Uuid == characteristic);
            Assert.Equal(properties, c.Properties & properties);
            Assert.Equal(peripheralId, c.PeripheralId);
            Assert.Equal(service, c.ServiceUuid);
        }

        Has(HeartRateService, HeartRateMeasurement, GattProperties.Notify);
        Has(PmdService, PmdControlPoint, GattProperties.Write | GattProperties.Read);
        Has(PmdService, PmdData, GattProperties.Notify);
        Has(DeviceInformation, ModelNumber, GattProperties.Read);
        Has(DeviceInformation, FirmwareRevision, GattProperties.Read);
        Has(BatteryService, BatteryLevel, GattProperties.Read | GattProperties.Notify);
    }

    private static async Task AssertVanishedAsync(Func<Task> operation)
    {
        var error = await Assert.ThrowsAsync<BleOperationException>(operation);
        Assert.True(error.Kind is BleErrorKind.Gone or BleErrorKind.NotConnected, $"threw {error.Kind}: {error.Message}");
    }
}
