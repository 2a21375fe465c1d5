using System.Runtime.Versioning;
using System.Threading.Channels;
using Ingest.Gateway.Radio.BlueZ;
using Ingest.Pipeline.Intake;
using Ingest.Pipeline.Intake.Radio;
using Ingest.Tests.Radio.Mock;

namespace Ingest.Tests.Radio.BlueZ;

/// <summary>A mock BlueZ with one adapter and one Polar H10, and a started central on it.</summary>
[SupportedOSPlatform("linux")]
internal sealed class BlueZRig : IAsyncDisposable
{
    public static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);

    private readonly List<BleEvent> _seen = [];

    private BlueZRig(BlueZMock mock, BlueZCentral central, string adapter, string tracker)
    {
        Mock = mock;
        Central = central;
        Adapter = adapter;
        Tracker = tracker;
    }

    public BlueZMock Mock { get; }

    public BlueZCentral Central { get; }

    public string Adapter { get; }

    public string Tracker { get; }

    public static async Task<BlueZRig> StartAsync()
    {
        var mock = await BlueZMock.StartAsync();
        try
        {
            var adapter = await mock.AddAdapterAsync();
            var tracker = await mock.AddPolarH10Async(adapter);
            var central = new BlueZCentral(new BlueZOptions { BusAddress = mock.Address });
            await central.StartAsync(CancellationToken.None);
            return new BlueZRig(mock, central, adapter, tracker);
        }
        catch
        {
            await mock.DisposeAsync();
            throw;
        }
    }

    /// <summary>Reads events until one of <paramref name="kind"/> matches; fails with what was seen on timeout.</summary>
    public async Task<BleEvent> NextAsync(BleEventKind kind, Func<BleEvent, bool>? match = null)
    {
        using var cts = new CancellationTokenSource(Wait);
        try
        {
            while (true)
            {
                var e = await Central.Events.ReadAsync(cts.Token);
                _seen.Add(e);
                if (e.Kind == kind && (match is null || match(e)))
                {
                    return e;
                }
            }
        }
        catch (OperationCanceledException)
        {
            Assert.Fail($"no {kind} event within {Wait}; seen: {string.Join(", ", _seen.Select(e => e.Kind))}; mock log:\n{Mock.CallLog}");
            throw;
        }
    }

    /// <summary>Connects the tracker and returns its GATT table.</summary>
    public async Task<IReadOnlyList<GattService>> ConnectAsync()
    {
        await Central.ConnectAsync(Tracker, CancellationToken.None);
        return await Central.GetServicesAsync(Tracker, Wait, CancellationToken.None);
    }

    public static GattCharacteristic Find(IReadOnlyList<GattService> services, Guid uuid) =>
        services.SelectMany(s => s.Characteristics).Single(c => c.Uuid == uuid);

    public async ValueTask DisposeAsync()
    {
        await Central.DisposeAsync();
        await Mock.DisposeAsync();
    }
}

/// <summary>A notification target with its channel, and a reader that copies payloads out and releases them.</summary>
[SupportedOSPlatform("linux")]
internal sealed class TargetProbe
{
    private readonly Channel<Notification> _channel = Channel.CreateBounded<Notification>(new BoundedChannelOptions(1024)
    {
        FullMode = BoundedChannelFullMode.Wait,
    });

    public TargetProbe(int handle = 7)
    {
        Target = new NotificationTarget(new DeviceHandle(handle), new NotificationBufferPool(), _channel.Writer, TimeProvider.System);
    }

    public NotificationTarget Target { get; }

    public async Task<List<(DeviceHandle Device, Guid Characteristic, byte[] Payload)>> ReadAsync(int count)
    {
        var received = new List<(DeviceHandle, Guid, byte[])>();
        using var cts = new CancellationTokenSource(BlueZRig.Wait);
        try
        {
            while (received.Count < count)
            {
                var n = await _channel.Reader.ReadAsync(cts.Token);
                received.Add((n.Device, n.Characteristic, n.Payload.ToArray()));
                n.Release();
            }
        }
        catch (OperationCanceledException)
        {
            Assert.Fail($"only {received.Count} of {count} notifications arrived within {BlueZRig.Wait}");
        }

        return received;
    }

    public bool TryReadNow(out byte[] payload)
    {
        payload = [];
        if (!_channel.Reader.TryRead(out var n))
        {
            return false;
        }

        payload = n.Payload.ToArray();
        n.Release();
        return true;
    }
}
