using System.Runtime.Versioning;
using Ingest.Gateway.Radio.BlueZ;
using Ingest.Pipeline.Intake;
using Ingest.Pipeline.Intake.Radio;
using Ingest.Tests.Radio.Mock;
using Xunit.Abstractions;

namespace Ingest.Tests.Radio.BlueZ;

/// <summary>
/// BlueZCentral against python-dbusmock playing BlueZ (wearable_bluez.py) on a private dbus-daemon per test: loading,
/// discovery, advertisements, links, GATT, both notification mechanisms, faults.
/// </summary>
[SupportedOSPlatform("linux")]
public sealed class BlueZCentralTests(ITestOutputHelper output)
{
    private const string PolarAddress = "A0:9E:1A:0A:1B:2C";

    [Fact]
    public async Task StartAsync_LoadsAdaptersAndPeripheralsWithTheirAdvertisement()
    {
        await using var rig = await BlueZRig.StartAsync();
        output.WriteLine($"fixture start (bus + BlueZ mock): {rig.Mock.StartupTime.TotalMilliseconds:0} ms");

        var adapter = Assert.Single(rig.Central.Adapters);
        Assert.Equal(new BleAdapter(rig.Adapter, "hci0", Powered: true, Discovering: false), adapter);
        var peripheral = Assert.Single(rig.Central.Peripherals);
        Assert.Equal(rig.Tracker, peripheral.Id);
        Assert.Equal(rig.Adapter, peripheral.AdapterId);
        Assert.Equal(PolarAddress, peripheral.Address);
        Assert.Equal("Polar H10 0A1B2C3D", peripheral.Name);
        Assert.Equal((short)-58, peripheral.Rssi);
        Assert.Equal([BlueZMock.HeartRateService], peripheral.ServiceUuids);
        Assert.Equal([0x33, 0x1E, 0x00], peripheral.ManufacturerData[BlueZMock.PolarCompanyId]);
        Assert.False(peripheral.Connected);

        Assert.Equal(rig.Adapter, (await rig.NextAsync(BleEventKind.AdapterAdded)).Adapter!.Id);
        Assert.Equal(rig.Tracker, (await rig.NextAsync(BleEventKind.PeripheralAdded)).Peripheral!.Id);
        Assert.Equal(0, rig.Central.MalformedValues);
    }

    [Fact]
    public async Task StartAsync_NoBlueZOnTheBus_ThrowsUnavailableSayingWhatToInstall()
    {
        await using var mock = await BlueZMock.StartAsync(startBlueZ: false);
        await using var central = new BlueZCentral(new BlueZOptions { BusAddress = mock.Address });

        var ex = await Assert.ThrowsAsync<BleUnavailableException>(() => central.StartAsync(CancellationToken.None));

        Assert.Contains("org.bluez has no owner", ex.Message, StringComparison.Ordinal);
        Assert.Contains("apt install bluez", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task StartAsync_NoBus_ThrowsUnavailableNamingTheAddress()
    {
        using var directory = new Support.TemporaryDirectory("nobus");
        var address = "unix:path=" + directory.Combine("missing.sock");
        await using var central = new BlueZCentral(new BlueZOptions { BusAddress = address });

        var ex = await Assert.ThrowsAsync<BleUnavailableException>(() => central.StartAsync(CancellationToken.None));

        Assert.Contains(address, ex.Message, StringComparison.Ordinal);
        Assert.Contains("DBUS_SYSTEM_BUS_ADDRESS", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task StartAsync_BlueZWithoutAdapter_ThrowsUnavailable()
    {
        await using var mock = await BlueZMock.StartAsync();
        await using var central = new BlueZCentral(new BlueZOptions { BusAddress = mock.Address });

        var ex = await Assert.ThrowsAsync<BleUnavailableException>(() => central.StartAsync(CancellationToken.None));

        Assert.Contains("no Bluetooth adapter", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Discovery_SetsAnLeFilterThenStartsAndStops()
    {
        await using var rig = await BlueZRig.StartAsync();

        await rig.Central.StartDiscoveryAsync(rig.Adapter, new BleDiscoveryFilter([BlueZMock.HeartRateService], -80), CancellationToken.None);
        Assert.True((await rig.NextAsync(BleEventKind.AdapterChanged)).Adapter!.Discovering);
        await rig.Central.StopDiscoveryAsync(rig.Adapter, CancellationToken.None);
        Assert.False((await rig.NextAsync(BleEventKind.AdapterChanged)).Adapter!.Discovering);

        var log = rig.Mock.CallLog;
        Assert.Contains("SetDiscoveryFilter {\"Transport\": \"le\", \"UUIDs\": [\"0000180d-0000-1000-8000-00805f9b34fb\"], \"RSSI\": -80}", log, StringComparison.Ordinal);
        Assert.True(log.IndexOf("SetDiscoveryFilter", StringComparison.Ordinal) < log.IndexOf("StartDiscovery", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Advertisements_BecomePeripheralEventsWithNameRssiManufacturerDataAndServices()
    {
        await using var rig = await BlueZRig.StartAsync();
        await rig.NextAsync(BleEventKind.PeripheralAdded);

        await rig.Mock.SetAdvertisementAsync(rig.Tracker, -41, "Polar H10 0A1B2C3D",
            new Dictionary<ushort, byte[]> { [BlueZMock.PolarCompanyId] = [1, 2, 3, 4] }, [BlueZMock.HeartRateService, BlueZMock.PmdService]);
        var changed = await rig.NextAsync(BleEventKind.PeripheralChanged, e => e.Peripheral!.Rssi == -41);
        Assert.Equal([1, 2, 3, 4], changed.Peripheral!.ManufacturerData[BlueZMock.PolarCompanyId]);
        Assert.Equal([BlueZMock.HeartRateService, BlueZMock.PmdService], changed.Peripheral.ServiceUuids);

        var second = await rig.Mock.AddTrackerAsync(rig.Adapter, new MockTracker("C0:FF:EE:00:00:01", "HRM-Pro", -70));
        var added = await rig.NextAsync(BleEventKind.PeripheralAdded);
        Assert.Equal(second, added.Peripheral!.Id);
        Assert.Equal("C0:FF:EE:00:00:01", added.Peripheral.Address);
        Assert.Equal((short)-70, added.Peripheral.Rssi);
    }

    [Fact]
    public async Task Connect_RaisesConnectedAndGattTableIsFoundAnewAfterReconnect()
    {
        await using var rig = await BlueZRig.StartAsync();

        var services = await rig.ConnectAsync();
        Assert.Equal(rig.Tracker, (await rig.NextAsync(BleEventKind.Connected)).Peripheral!.Id);
        Assert.Equal([BlueZMock.HeartRateService, BlueZMock.PmdService, BlueZMock.DeviceInformationService, BlueZMock.BatteryService],
            services.Select(s => s.Uuid));
        var data = BlueZRig.Find(services, BlueZMock.PmdData);
        Assert.True(data.CanAcquireNotify);
        Assert.Equal(GattProperties.Notify, data.Properties);
        Assert.Equal(BlueZMock.PmdService, data.ServiceUuid);
        Assert.Equal(rig.Tracker, data.PeripheralId);
        var control = BlueZRig.Find(services, BlueZMock.PmdControl);
        Assert.Equal(GattProperties.Read | GattProperties.Write | GattProperties.Notify, control.Properties);
        Assert.False(control.CanAcquireNotify);

        await rig.Central.DisconnectAsync(rig.Tracker, CancellationToken.None);
        Assert.Equal(DisconnectReason.LocalTerminated, (await rig.NextAsync(BleEventKind.Disconnected)).Reason);
        var again = await rig.ConnectAsync();

        Assert.Equal(services.Select(s => s.Uuid), again.Select(s => s.Uuid));
        Assert.Empty(again.Select(s => s.Id).Intersect(services.Select(s => s.Id)));
        Assert.NotEqual(data.Id, BlueZRig.Find(again, BlueZMock.PmdData).Id);
    }

    [Fact]
    public async Task Read_DeviceInformationModelAndFirmware()
    {
        await using var rig = await BlueZRig.StartAsync();
        var services = await rig.ConnectAsync();

        Assert.Equal("H10", System.Text.Encoding.UTF8.GetString(await rig.Central.ReadAsync(BlueZRig.Find(services, BlueZMock.ModelNumber), CancellationToken.None)));
        Assert.Equal("5.0.0", System.Text.Encoding.UTF8.GetString(await rig.Central.ReadAsync(BlueZRig.Find(services, BlueZMock.FirmwareRevision), CancellationToken.None)));
        Assert.Equal([100], await rig.Central.ReadAsync(BlueZRig.Find(services, BlueZMock.BatteryLevel), CancellationToken.None));
    }

    [Fact]
    public async Task Write_WithAndWithoutResponse_ArrivesWithTheExactBytes()
    {
        await using var rig = await BlueZRig.StartAsync();
        var control = BlueZRig.Find(await rig.ConnectAsync(), BlueZMock.PmdControl);
        byte[] startEcg = [0x02, 0x00, 0x00, 0x01, 0x82, 0x00, 0x01, 0x01, 0x0E, 0x00];

        await rig.Central.WriteAsync(control, startEcg, withResponse: true, CancellationToken.None);
        await rig.Central.WriteAsync(control, new byte[] { 0x03, 0x00 }, withResponse: false, CancellationToken.None);

        var writes = await rig.Mock.WritesAsync(rig.Tracker, BlueZMock.PmdControl);
        Assert.Equal(2, writes.Count);
        Assert.Equal("request", writes[0].Type);
        Assert.Equal(startEcg, writes[0].Value);
        Assert.Equal("command", writes[1].Type);
        Assert.Equal([0x03, 0x00], writes[1].Value);
    }

    [Fact]
    public async Task Subscribe_StartNotify_DeliversValuesInOrderWithTheDeviceHandle()
    {
        await using var rig = await BlueZRig.StartAsync();
        var heartRate = BlueZRig.Find(await rig.ConnectAsync(), BlueZMock.HeartRateMeasurement);
        var probe = new TargetProbe(handle: 42);

        await using var subscription = await rig.Central.SubscribeAsync(heartRate, probe.Target, CancellationToken.None);
        Assert.Equal("start-notify", subscription.Mechanism);
        for (var i = 0; i < 30; i++)
        {
            Assert.Equal("signal", await rig.Mock.NotifyAsync(rig.Tracker, BlueZMock.HeartRateMeasurement, [0x10, (byte)(60 + i), (byte)i]));
        }

        var received = await probe.ReadAsync(30);
        for (var i = 0; i < 30; i++)
        {
            Assert.Equal(new DeviceHandle(42), received[i].Device);
            Assert.Equal(BlueZMock.HeartRateMeasurement, received[i].Characteristic);
            Assert.Equal([0x10, (byte)(60 + i), (byte)i], received[i].Payload);
        }

        Assert.Contains("notifying=True", (await rig.Mock.CharacteristicStateAsync(rig.Tracker))[BlueZMock.HeartRateMeasurement.ToString("D")].GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Subscribe_AcquireNotify_DeliversDatagramsInOrderAndReleasesOnDispose()
    {
        await using var rig = await BlueZRig.StartAsync();
        var data = BlueZRig.Find(await rig.ConnectAsync(), BlueZMock.PmdData);
        var probe = new TargetProbe(handle: 3);

        var subscription = await rig.Central.SubscribeAsync(data, probe.Target, CancellationToken.None);
        Assert.Equal("acquire-notify", subscription.Mechanism);
        var frames = Enumerable.Range(0, 40).Select(i => Enumerable.Range(0, 200).Select(b => (byte)(b + i)).ToArray()).ToList();
        foreach (var frame in frames)
        {
            Assert.Equal("acquired", await rig.Mock.NotifyAsync(rig.Tracker, BlueZMock.PmdData, frame));
        }

        var received = await probe.ReadAsync(frames.Count);
        Assert.Equal(frames, received.Select(r => r.Payload));
        Assert.All(received, r => Assert.Equal((new DeviceHandle(3), BlueZMock.PmdData), (r.Device, r.Characteristic)));
        Assert.Equal(frames.Count, probe.Target.Delivered);

        await subscription.DisposeAsync();
        Assert.True(subscription.Ended.IsCompleted);
        // BlueZ sees the socket closed: the next notification goes the signal way again.
        Assert.Equal("signal", await NotifyWhenReleasedAsync(rig, BlueZMock.PmdData));
    }

    [Theory]
    [InlineData("org.bluez.Reason.Timeout", DisconnectReason.LinkLoss)]
    [InlineData("org.bluez.Reason.Remote", DisconnectReason.RemoteTerminated)]
    [InlineData("org.bluez.Reason.Local", DisconnectReason.LocalTerminated)]
    [InlineData("org.bluez.Reason.Unknown", DisconnectReason.None)]
    public async Task LinkDrop_RaisesDisconnectedWithTheMappedReasonAndEndsSubscriptions(string reasonName, DisconnectReason expected)
    {
        await using var rig = await BlueZRig.StartAsync();
        var services = await rig.ConnectAsync();
        var signalled = await rig.Central.SubscribeAsync(BlueZRig.Find(services, BlueZMock.HeartRateMeasurement), new TargetProbe().Target, CancellationToken.None);
        var acquired = await rig.Central.SubscribeAsync(BlueZRig.Find(services, BlueZMock.PmdData), new TargetProbe().Target, CancellationToken.None);
        await rig.NextAsync(BleEventKind.Connected);

        await rig.Mock.DisconnectAsync(rig.Tracker, reasonName);

        var disconnected = await rig.NextAsync(BleEventKind.Disconnected);
        Assert.Equal(expected, disconnected.Reason);
        Assert.False(disconnected.Peripheral!.Connected);
        await signalled.Ended.WaitAsync(BlueZRig.Wait);
        await acquired.Ended.WaitAsync(BlueZRig.Wait);
        await signalled.DisposeAsync();
        await acquired.DisposeAsync();
    }

    [Fact]
    public async Task Pair_BondsAndMarksTheTrackerTrusted()
    {
        await using var rig = await BlueZRig.StartAsync();
        await rig.NextAsync(BleEventKind.PeripheralAdded);

        await rig.Central.PairAsync(rig.Tracker, CancellationToken.None);
        await rig.Central.PairAsync(rig.Tracker, CancellationToken.None); // AlreadyExists is success

        Assert.True((await rig.NextAsync(BleEventKind.PeripheralChanged)).Peripheral!.Paired);
        Assert.Contains("Set /org/bluez/hci0/dev_A0_9E_1A_0A_1B_2C org.bluez.Device1.Trusted True", rig.Mock.CallLog, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PowerOff_DropsLinksAndChangesTheAdapter_ThenConnectIsNotReady()
    {
        await using var rig = await BlueZRig.StartAsync();
        await rig.ConnectAsync();
        await rig.NextAsync(BleEventKind.Connected);

        await rig.Central.SetPoweredAsync(rig.Adapter, false, CancellationToken.None);

        Assert.Equal(DisconnectReason.LocalTerminated, (await rig.NextAsync(BleEventKind.Disconnected)).Reason);
        Assert.False((await rig.NextAsync(BleEventKind.AdapterChanged)).Adapter!.Powered);
        var ex = await Assert.ThrowsAsync<BleOperationException>(() => rig.Central.ConnectAsync(rig.Tracker, CancellationToken.None));
        Assert.Equal(BleErrorKind.NotReady, ex.Kind);
        Assert.Contains("org.bluez.Error.NotReady", ex.Message, StringComparison.Ordinal);

        await rig.Mock.PowerOnAsync(rig.Adapter);
        Assert.True((await rig.NextAsync(BleEventKind.AdapterChanged)).Adapter!.Powered);
        await rig.Central.ConnectAsync(rig.Tracker, CancellationToken.None);
    }

    [Fact]
    public async Task RemovedDeviceAndAdapter_RaiseRemovedEvents_AndCallsOnTheVanishedDeviceAreGone()
    {
        await using var rig = await BlueZRig.StartAsync();
        await rig.ConnectAsync();

        await rig.Mock.RemoveDeviceAsync(rig.Tracker);
        Assert.Equal(rig.Tracker, (await rig.NextAsync(BleEventKind.PeripheralRemoved)).Peripheral!.Id);
        Assert.Empty(rig.Central.Peripherals);
        var ex = await Assert.ThrowsAsync<BleOperationException>(() => rig.Central.ConnectAsync(rig.Tracker, CancellationToken.None));
        Assert.Equal(BleErrorKind.Gone, ex.Kind);
        Assert.DoesNotContain(PolarAddress.Replace(':', '_'), ex.Message, StringComparison.Ordinal);

        await rig.Mock.RemoveAdapterAsync(rig.Adapter);
        Assert.Equal(rig.Adapter, (await rig.NextAsync(BleEventKind.AdapterRemoved)).Adapter!.Id);
        Assert.Empty(rig.Central.Adapters);
    }

    [Fact]
    public async Task BlueZRestart_BackendLostThenAvailableAndObjectsReloaded()
    {
        await using var rig = await BlueZRig.StartAsync();
        await rig.NextAsync(BleEventKind.PeripheralAdded);

        await rig.Mock.RestartBlueZAsync();

        await rig.NextAsync(BleEventKind.BackendLost);
        await rig.NextAsync(BleEventKind.BackendAvailable);
        Assert.Equal(rig.Adapter, (await rig.NextAsync(BleEventKind.AdapterAdded)).Adapter!.Id);
        Assert.Equal(rig.Tracker, (await rig.NextAsync(BleEventKind.PeripheralAdded)).Peripheral!.Id);
        Assert.Single(rig.Central.Peripherals);
        await rig.ConnectAsync();
    }

    [Theory]
    [InlineData("Connect")]
    [InlineData("StartDiscovery")]
    public async Task InjectedInProgress_IsAnInProgressOperationException(string method)
    {
        await using var rig = await BlueZRig.StartAsync();
        await rig.Mock.InjectErrorAsync(method, "org.bluez.Error.InProgress");

        var ex = await Assert.ThrowsAsync<BleOperationException>(() => method == "Connect"
            ? rig.Central.ConnectAsync(rig.Tracker, CancellationToken.None)
            : rig.Central.StartDiscoveryAsync(rig.Adapter, BleDiscoveryFilter.All, CancellationToken.None));

        Assert.Equal(BleErrorKind.InProgress, ex.Kind);
        Assert.Contains("org.bluez.Error.InProgress", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SignalBacklogOverflow_IsCountedAndAResyncRestoresTheLatestState()
    {
        await using var mock = await BlueZMock.StartAsync();
        var adapter = await mock.AddAdapterAsync();
        var tracker = await mock.AddPolarH10Async(adapter);
        // One event slot and the smallest signal backlog, and nobody reads events: the state machine stalls and the
        // receive loop has to drop signals.
        await using var central = new BlueZCentral(new BlueZOptions { BusAddress = mock.Address, EventCapacity = 1, SignalBacklog = 16 });
        await central.StartAsync(CancellationToken.None);

        for (var i = 0; i < 60; i++)
        {
            await mock.SetAdvertisementAsync(tracker, (short)(-30 - i), i == 59 ? "last" : $"adv {i}", null, null);
        }

        using var cts = new CancellationTokenSource(BlueZRig.Wait);
        while (central.SignalOverflows == 0 && !cts.IsCancellationRequested)
        {
            await Task.Delay(20); // the signals reach the central's connection a little after the mock's replies
        }

        Assert.True(central.SignalOverflows > 0, "the backlog did not overflow; the test proves nothing");
        var drain = Task.Run(async () =>
        {
            await foreach (var _ in central.Events.ReadAllAsync(cts.Token))
            {
            }
        });
        while (central.Peripherals.Single().Name != "last" || central.Peripherals.Single().Rssi != -89)
        {
            Assert.False(cts.IsCancellationRequested, $"state did not converge: {central.Peripherals.Single()}");
            await Task.Delay(20);
        }

        await cts.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => drain);
        output.WriteLine($"signals dropped and resynced: {central.SignalOverflows}");
    }

    private static async Task<string> NotifyWhenReleasedAsync(BlueZRig rig, Guid characteristic)
    {
        // The mock notices the closed socket on its next send; the value then goes out as a signal.
        var way = await rig.Mock.NotifyAsync(rig.Tracker, characteristic, [0]);
        return way == "signal" ? way : await rig.Mock.NotifyAsync(rig.Tracker, characteristic, [0]);
    }
}
