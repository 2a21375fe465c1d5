using System.Runtime.Versioning;
using Ingest.Gateway.Radio.BlueZ;
using Ingest.Pipeline.Intake.Radio;
using Ingest.Tests.Radio.Mock;
using Tmds.DBus.Protocol;

namespace Ingest.Tests.Radio.BlueZ;

/// <summary>
/// Values off the bus that break BlueZ's documented shapes are skipped and counted, never cast blindly and never a
/// crash: after each, the central still tracks the valid state and keeps working.
/// </summary>
[SupportedOSPlatform("linux")]
public sealed class BlueZMalformedInputTests
{
    [Fact]
    public async Task WrongTypedAndOutOfRangeRssi_AreSkippedAndCounted()
    {
        await using var rig = await BlueZRig.StartAsync();
        await rig.NextAsync(BleEventKind.PeripheralAdded);

        await rig.Mock.SetRawPropertyAsync(rig.Tracker, BlueZNames.Device, "RSSI", VariantValue.String("loud"));
        await rig.Mock.SetRawPropertyAsync(rig.Tracker, BlueZNames.Device, "RSSI", VariantValue.Int16(99));
        await rig.Mock.SetRawPropertyAsync(rig.Tracker, BlueZNames.Device, "Name", VariantValue.UInt32(7));
        await rig.Mock.SetAdvertisementAsync(rig.Tracker, -50, "Polar H10 0A1B2C3D", null, [BlueZMock.HeartRateService]);

        var changed = await rig.NextAsync(BleEventKind.PeripheralChanged);
        Assert.Equal((short)-50, changed.Peripheral!.Rssi); // the first change event is the valid advertisement
        Assert.Equal("Polar H10 0A1B2C3D", changed.Peripheral.Name);
        Assert.Equal(3, rig.Central.MalformedValues);
        Assert.Contains("Name has D-Bus type UInt32", rig.Central.LastMalformed, StringComparison.Ordinal);
    }

    [Fact]
    public async Task NonUuidServiceAndWrongTypedManufacturerData_AreSkippedAndTheRestKept()
    {
        await using var rig = await BlueZRig.StartAsync();
        await rig.NextAsync(BleEventKind.PeripheralAdded);

        await rig.Mock.SetRawPropertyAsync(rig.Tracker, BlueZNames.Device, "ManufacturerData", VariantValue.Array(new byte[] { 1, 2 }));
        await rig.Mock.SetRawPropertyAsync(rig.Tracker, BlueZNames.Device, "UUIDs",
            VariantValue.Array(new[] { "not-a-uuid", BlueZMock.PmdService.ToString("D") }));

        var changed = await rig.NextAsync(BleEventKind.PeripheralChanged);
        Assert.Equal([BlueZMock.PmdService], changed.Peripheral!.ServiceUuids);
        Assert.Equal([0x33, 0x1E, 0x00], changed.Peripheral.ManufacturerData[BlueZMock.PolarCompanyId]);
        Assert.Equal(2, rig.Central.MalformedValues);
    }

    [Fact]
    public async Task DeviceWithBadAddress_IsNotTracked()
    {
        await using var rig = await BlueZRig.StartAsync();
        await rig.NextAsync(BleEventKind.PeripheralAdded);

        await rig.Mock.AddRawObjectAsync(rig.Adapter + "/dev_BAD", BlueZNames.Device, new Dictionary<string, VariantValue>
        {
            ["Address"] = VariantValue.String("not-an-address"),
            ["Name"] = VariantValue.String("Polar H10 FFFFFFFF"),
        });
        await rig.Mock.AddRawObjectAsync(rig.Adapter + "/dev_NOADDR", BlueZNames.Device, new Dictionary<string, VariantValue>
        {
            ["Address"] = VariantValue.Int32(5),
        });
        var good = await rig.Mock.AddTrackerAsync(rig.Adapter, new MockTracker("C0:FF:EE:00:00:02", "ok"));

        Assert.Equal(good, (await rig.NextAsync(BleEventKind.PeripheralAdded)).Peripheral!.Id);
        Assert.Equal(2, rig.Central.Peripherals.Count);
        Assert.Equal(2, rig.Central.MalformedValues);
    }

    [Fact]
    public async Task SignalWithTheWrongSignature_IsCountedAndTheConnectionSurvives()
    {
        await using var rig = await BlueZRig.StartAsync();
        await rig.NextAsync(BleEventKind.PeripheralAdded);

        await rig.Mock.EmitSignalAsync(rig.Tracker, "org.freedesktop.DBus.Properties", "PropertiesChanged", "s", [VariantValue.String(BlueZNames.Device)]);
        await rig.Mock.EmitSignalAsync(rig.Tracker, BlueZNames.Device, "Disconnected", "u", [VariantValue.UInt32(1)]);
        await rig.Mock.SetAdvertisementAsync(rig.Tracker, -44, "Polar H10 0A1B2C3D", null, null);

        Assert.Equal((short)-44, (await rig.NextAsync(BleEventKind.PeripheralChanged)).Peripheral!.Rssi);
        Assert.Equal(2, rig.Central.MalformedValues);
        await rig.ConnectAsync();
    }

    [Fact]
    public async Task OversizedNotifications_AreCountedByTheTargetAndTheStreamGoesOn()
    {
        await using var rig = await BlueZRig.StartAsync();
        var services = await rig.ConnectAsync();
        var signalled = new TargetProbe();
        var acquired = new TargetProbe();
        await using var heartRate = await rig.Central.SubscribeAsync(BlueZRig.Find(services, BlueZMock.HeartRateMeasurement), signalled.Target, CancellationToken.None);
        await using var pmd = await rig.Central.SubscribeAsync(BlueZRig.Find(services, BlueZMock.PmdData), acquired.Target, CancellationToken.None);
        var oversized = new byte[BleLimits.MaxAttributeBytes + 88];

        await rig.Mock.NotifyAsync(rig.Tracker, BlueZMock.HeartRateMeasurement, oversized);
        await rig.Mock.NotifyAsync(rig.Tracker, BlueZMock.HeartRateMeasurement, [0x00, 0x48]);
        Assert.Equal("acquired", await rig.Mock.NotifyAsync(rig.Tracker, BlueZMock.PmdData, oversized));
        await rig.Mock.NotifyAsync(rig.Tracker, BlueZMock.PmdData, [0x02, 0x01]);

        Assert.Equal([0x00, 0x48], (await signalled.ReadAsync(1))[0].Payload);
        Assert.Equal([0x02, 0x01], (await acquired.ReadAsync(1))[0].Payload);
        Assert.Equal(1, signalled.Target.Oversized);
        Assert.Equal(1, acquired.Target.Oversized);
        Assert.Equal(1, signalled.Target.Delivered);
        Assert.Equal(1, acquired.Target.Delivered);
    }

    [Fact]
    public async Task GattObjectWithNonUuid_IsLeftOutOfTheTable()
    {
        await using var rig = await BlueZRig.StartAsync();
        var services = await rig.ConnectAsync();
        var battery = services.Single(s => s.Uuid == BlueZMock.BatteryService);

        await rig.Mock.AddRawObjectAsync(battery.Id + "/char0fff", BlueZNames.GattCharacteristic, new Dictionary<string, VariantValue>
        {
            ["UUID"] = VariantValue.String("battery-level"),
            ["Service"] = VariantValue.ObjectPath(new ObjectPath(battery.Id)),
            ["Flags"] = VariantValue.Array(new[] { "read" }),
        });
        await rig.Mock.AddRawObjectAsync(battery.Id + "/char0ffe", BlueZNames.GattCharacteristic, new Dictionary<string, VariantValue>
        {
            ["UUID"] = VariantValue.String(Guid.NewGuid().ToString("D")),
            ["Service"] = VariantValue.String(battery.Id), // a string where BlueZ sends an object path
        });
        var again = await rig.Central.GetServicesAsync(rig.Tracker, BlueZRig.Wait, CancellationToken.None);

        Assert.Equal([BlueZMock.BatteryLevel], again.Single(s => s.Uuid == BlueZMock.BatteryService).Characteristics.Select(c => c.Uuid));
        Assert.Equal(2, rig.Central.MalformedValues);
    }
}
