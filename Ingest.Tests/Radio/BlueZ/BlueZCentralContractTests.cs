using System.Runtime.Versioning;
using Ingest.Gateway.Radio.BlueZ;
using Ingest.Pipeline.Intake;
using Ingest.Pipeline.Intake.Radio;
using Ingest.Tests.Radio.Contract;
using Ingest.Tests.Radio.Mock;

namespace Ingest.Tests.Radio.BlueZ;

/// <summary>The BLE central contract, run against BlueZCentral over a private bus with the BlueZ mock.</summary>
[SupportedOSPlatform("linux")]
public sealed class BlueZCentralContractTests : BleCentralContract
{
    protected override async Task<IBleTestRig> CreateRigAsync() => await BlueZTestRig.StartAsync();
}

/// <summary>The contract's world on the BlueZ mock: one adapter (hci0); trackers are mock devices named by address.</summary>
[SupportedOSPlatform("linux")]
internal sealed class BlueZTestRig : IBleTestRig
{
    private readonly BlueZMock _mock;
    private readonly string _adapter;

    private BlueZTestRig(BlueZMock mock, string adapter)
    {
        _mock = mock;
        _adapter = adapter;
    }

    public static async Task<BlueZTestRig> StartAsync()
    {
        var mock = await BlueZMock.StartAsync();
        return new BlueZTestRig(mock, await mock.AddAdapterAsync());
    }

    public Task<IBleCentral> CreateCentralAsync(CancellationToken cancellationToken) =>
        Task.FromResult<IBleCentral>(new BlueZCentral(new BlueZOptions { BusAddress = _mock.Address }));

    public Task AddTrackerAsync(BleTrackerDescription tracker, CancellationToken cancellationToken) =>
        _mock.AddTrackerAsync(_adapter, new MockTracker(
            tracker.Address,
            tracker.Name,
            tracker.Rssi,
            tracker.AdvertisedServices,
            new Dictionary<ushort, byte[]> { [tracker.ManufacturerId] = tracker.ManufacturerData },
            [.. tracker.Services.Select(s => new MockService(s.Uuid, [.. s.Characteristics.Select(c => new MockCharacteristic(c.Uuid, Flags(c.Properties), Value: c.InitialValue))]))]));

    public Task NotifyAsync(string address, Guid characteristic, byte[] value, CancellationToken cancellationToken) =>
        _mock.NotifyAsync(DevicePath(address), characteristic, value);

    public Task DropLinkAsync(string address, DisconnectReason reason, CancellationToken cancellationToken) =>
        _mock.DisconnectAsync(DevicePath(address), reason switch
        {
            DisconnectReason.LinkLoss => "org.bluez.Reason.Timeout",
            DisconnectReason.RemoteTerminated => "org.bluez.Reason.Remote",
            DisconnectReason.LocalTerminated => "org.bluez.Reason.Local",
            _ => "org.bluez.Reason.Unknown",
        });

    public Task SetAdapterPoweredAsync(bool powered, CancellationToken cancellationToken) =>
        powered ? _mock.PowerOnAsync(_adapter) : _mock.PowerOffAsync(_adapter);

    public Task RemoveTrackerAsync(string address, CancellationToken cancellationToken) =>
        _mock.RemoveDeviceAsync(DevicePath(address));

    public Task InjectErrorAsync(BleTestOperation operation, BleErrorKind kind, CancellationToken cancellationToken) =>
        _mock.InjectErrorAsync(operation switch
        {
            BleTestOperation.Connect => "Connect",
            BleTestOperation.Read => "ReadValue",
            BleTestOperation.Write => "WriteValue",
            BleTestOperation.Subscribe => "StartNotify",
            BleTestOperation.StartDiscovery => "StartDiscovery",
            _ => throw new ArgumentOutOfRangeException(nameof(operation)),
        }, ErrorName(kind));

    public async Task<IReadOnlyList<byte[]>> WritesAsync(string address, Guid characteristic, CancellationToken cancellationToken) =>
        [.. (await _mock.WritesAsync(DevicePath(address), characteristic)).Select(w => w.Value)];

    public ValueTask DisposeAsync() => _mock.DisposeAsync();

    private string DevicePath(string address) => $"{_adapter}/dev_{address.Replace(':', '_')}";

    private static string[] Flags(GattProperties properties) =>
    [
        .. new (GattProperties Flag, string Name)[]
        {
            (GattProperties.Read, "read"),
            (GattProperties.Write, "write"),
            (GattProperties.WriteWithoutResponse, "write-without-response"),
            (GattProperties.Notify, "notify"),
            (GattProperties.Indicate, "indicate"),
        }.Where(f => properties.HasFlag(f.Flag)).Select(f => f.Name),
    ];

    /// <summary>The BlueZ error name that BlueZErrors maps back to <paramref name="kind"/>.</summary>
    private static string ErrorName(BleErrorKind kind) => kind switch
    {
        BleErrorKind.InProgress => "org.bluez.Error.InProgress",
        BleErrorKind.NotReady => "org.bluez.Error.NotReady",
        BleErrorKind.NotPermitted => "org.bluez.Error.NotPermitted",
        BleErrorKind.NotConnected => "org.bluez.Error.NotConnected",
        BleErrorKind.AlreadyDone => "org.bluez.Error.AlreadyConnected",
        BleErrorKind.NotSupported => "org.bluez.Error.NotSupported",
        BleErrorKind.Gone => "org.freedesktop.DBus.Error.UnknownObject",
        BleErrorKind.Timeout => "org.freedesktop.DBus.Error.NoReply",
        BleErrorKind.ConnectFailed => "org.bluez.Error.ConnectionAttemptFailed",
        _ => "org.bluez.Error.Failed",
    };
}
