using System.Runtime.Versioning;
using Ingest.Gateway.Radio;
using Ingest.Gateway.Radio.BlueZ;
using Ingest.Gateway.Registry;
using Ingest.Pipeline.Intake;
using Ingest.Tests.Radio.Mock;
using Ingest.Tests.Support;

namespace Ingest.Tests.Radio.Supervisor;

/// <summary>
/// The radio supervisor over the real BlueZ backend, against python-dbusmock on a private bus, with trackers enrolled
/// in a real registry: what the "Proven" list asks of the radio.
/// </summary>
[SupportedOSPlatform("linux")]
public sealed class SupervisorOverBlueZTests : IAsyncLifetime, IDisposable
{
    private const string EnrolledAddress = "A0:9E:1A:0A:1B:2C";
    private const string NeighbourAddress = "A0:9E:1A:99:88:77";

    private static readonly byte[] EcgStart = Convert.FromHexString("02000001820001010E00");
    private static readonly byte[] AccStart = Convert.FromHexString("02020001C8000101100002010800");

    private readonly TemporaryDirectory _data = new("supervisor-bluez");
    private BlueZMock _mock = null!;
    private EnrollmentRegistry _registry = null!;
    private string _adapter = "";
    private string _enrolled = "";
    private string _neighbour = "";
    private string _pseudonym = "";

    public async Task InitializeAsync()
    {
        _mock = await BlueZMock.StartAsync();
        _adapter = await _mock.AddAdapterAsync();
        _enrolled = await _mock.AddPolarH10Async(_adapter, EnrolledAddress);
        _neighbour = await _mock.AddPolarH10Async(_adapter, NeighbourAddress, "Polar H10 99887766", rssi: -40);
        _registry = EnrollmentRegistry.Open(EnrollmentRegistry.PathIn(_data.Path), create: true);
        _pseudonym = _registry.Enroll(new EnrollmentRequest
        {
            Study = "demo", Site = "site-1", Participant = "P-0001", ProfileId = "polar-h10", Address = EnrolledAddress,
            Reason = "test enrollment", Actor = "nurse-test",
        }).Enrollment.Device;
    }

    public async Task DisposeAsync()
    {
        _registry.Dispose();
        await _mock.DisposeAsync();
    }

    public void Dispose() => _data.Dispose();

    // The mock strap sends only what a test tells it to; stream-stall restarts stay off (FastOptions) unless a test is about them.
    private SupervisorRig Start(RadioOptions? options = null) =>
        new(new BlueZCentral(new BlueZOptions { BusAddress = _mock.Address }), new RegistryEnrolledTrackers(_registry, "demo"), options);

    private async Task<int> StartWritesAsync() => (await _mock.WritesAsync(_enrolled, BlueZMock.PmdControl)).Count;

    [Fact]
    public async Task TheEnrolledTracker_IsConnected_GetsItsStartWrites_AndItsNotificationsFlow_TheNeighbourIsNeverConnected()
    {
        await using var rig = Start();

        await rig.WaitForAsync(() => rig.ConnectsOf(_pseudonym) == 1, "the enrolled H10 connected");
        await rig.WaitForAsync(() => StartWritesAsync().Result == 2, "both PMD START writes");
        var writes = await _mock.WritesAsync(_enrolled, BlueZMock.PmdControl);
        Assert.Equal([EcgStart, AccStart], writes.Select(w => w.Value));
        Assert.All(writes, w => Assert.Equal("request", w.Type));

        // A heart-rate notification (flags 0x00, 72 bpm) and a PMD frame reach the pipeline under the device's handle.
        var handle = rig.HandleOf(_pseudonym);
        Assert.Equal("signal", await _mock.NotifyAsync(_enrolled, BlueZMock.HeartRateMeasurement, [0x00, 72]));
        Assert.Equal("acquired", await _mock.NotifyAsync(_enrolled, BlueZMock.PmdData, [0x00, 1, 2, 3, 4, 5, 6, 7, 8, 0x00, 0x10, 0x20, 0x30]));
        await rig.WaitForAsync(() => rig.NotificationsOf(handle) == 2, "both notifications delivered");

        // The neighbour's H10 matches the profile but is not enrolled: refused, never connected, never written.
        await rig.WaitForAsync(() => rig.Supervisor.Status.NeighboursRefused == 1, "the neighbour counted as refused");
        Assert.Empty(await _mock.WritesAsync(_neighbour, BlueZMock.PmdControl));
        Assert.False(rig.Central.Peripherals.Single(p => p.Address == NeighbourAddress).Connected, "the neighbour must never be connected");
        Assert.Single(rig.Events, e => e.Kind == DeviceEventKind.Connected);
        var audit = _registry.Audit.List(50);
        Assert.Contains(audit, e => e.Action == "admission-refused");
        foreach (var text in rig.Log.Concat(audit.Select(e => $"{e.Subject} {e.Reason} {e.Details}")))
        {
            Assert.DoesNotContain("99:88:77", text, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain("0A:1B:2C", text, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain("0A1B2C3D", text, StringComparison.OrdinalIgnoreCase);
        }
    }

    [Fact]
    public async Task ALinkLost_GivesADisconnectWithItsReason_AndTheReconnectResubscribesAndRewritesTheSetup()
    {
        await using var rig = Start();
        await rig.WaitForAsync(() => rig.ConnectsOf(_pseudonym) == 1 && StartWritesAsync().Result == 2, "connected and set up");

        await _mock.DisconnectAsync(_enrolled, "org.bluez.Reason.Timeout");

        await rig.WaitForAsync(() => rig.ConnectsOf(_pseudonym) == 2, "the reconnect");
        Assert.Equal(DisconnectReason.LinkLoss, rig.Events.Single(e => e.Kind == DeviceEventKind.Disconnected).Reason);
        await rig.WaitForAsync(() => StartWritesAsync().Result == 4, "the START writes again");
        var handle = rig.HandleOf(_pseudonym);
        await _mock.NotifyAsync(_enrolled, BlueZMock.HeartRateMeasurement, [0x00, 80]);
        await rig.WaitForAsync(() => rig.NotificationsOf(handle) == 1, "a notification on the new subscription");
    }

    [Fact]
    public async Task APoweredOffAdapter_IsPoweredOnAgain_AndTheTrackerReconnects()
    {
        await using var rig = Start();
        await rig.WaitForAsync(() => rig.ConnectsOf(_pseudonym) == 1, "connected");

        await _mock.PowerOffAsync(_adapter);

        await rig.WaitForAsync(() => rig.ConnectsOf(_pseudonym) == 2, "reconnected after the supervisor powered the adapter on");
        Assert.True(rig.Central.Adapters.Single().Powered);
        Assert.Contains(rig.Log, line => line.Contains("powered off", StringComparison.Ordinal));
    }

    [Fact]
    public async Task AWedgedAdapter_AnsweringInProgress_IsPowerCycled_AndTheTrackerConnects()
    {
        await _mock.InjectErrorAsync("Connect", "org.bluez.Error.InProgress", 3);
        await using var rig = Start();

        await rig.WaitForAsync(() => rig.Supervisor.Status.AdapterRecoveries == 1, "one power-cycle", TimeSpan.FromSeconds(30));
        await rig.WaitForAsync(() => rig.ConnectsOf(_pseudonym) == 1, "connected after the power-cycle", TimeSpan.FromSeconds(30));
        Assert.Contains(rig.Log, line => line.Contains("power-cycling", StringComparison.Ordinal));
    }

    [Fact]
    public async Task AVanishedTracker_EndsItsLink_AndWhenItIsBack_ItIsConnectedAgain()
    {
        await using var rig = Start();
        await rig.WaitForAsync(() => rig.ConnectsOf(_pseudonym) == 1, "connected");

        await _mock.RemoveDeviceAsync(_enrolled);
        await rig.WaitForAsync(() => rig.CountEvents(_pseudonym, DeviceEventKind.Disconnected) == 1, "the link ended");
        await rig.WaitForAsync(() => rig.Tracker(_pseudonym).State == TrackerLinkState.NotSeen, "shown as not seen");

        _enrolled = await _mock.AddPolarH10Async(_adapter, EnrolledAddress);
        await rig.WaitForAsync(() => rig.ConnectsOf(_pseudonym) == 2, "connected again once it is back", TimeSpan.FromSeconds(30));
    }

    [Fact]
    public async Task AStreamThatStopsDelivering_IsRestarted_ResubscribedWithItsStartWritesRepeated_OnTheSameLink()
    {
        await using var rig = Start(SupervisorRig.FastOptions with { StreamStallTimeout = TimeSpan.FromSeconds(1) });
        await rig.WaitForAsync(() => rig.ConnectsOf(_pseudonym) == 1, "connected");

        // The strap sends nothing: the PMD data stream (ECG 130 Hz, ACC 200 Hz) is silent past a second.
        await rig.WaitForAsync(() => rig.Tracker(_pseudonym).StreamRestarts >= 1, "a stream restart");
        await rig.WaitForAsync(() => StartWritesAsync().Result >= 4, "the START writes repeated by the restart");
        Assert.Equal(1, rig.ConnectsOf(_pseudonym));
        Assert.Equal(0, rig.CountEvents(_pseudonym, DeviceEventKind.Disconnected));

        // Still subscribed: a notification now arrives.
        var handle = rig.HandleOf(_pseudonym);
        await _mock.NotifyAsync(_enrolled, BlueZMock.PmdData, [0x00, 1, 2, 3, 4, 5, 6, 7, 8, 0x00, 0x10, 0x20, 0x30]);
        await rig.WaitForAsync(() => rig.NotificationsOf(handle) >= 1, "data after the restart");
    }

    [Fact]
    public async Task Scan_ShowsTheTrackersWithTheirProfile_SignalAndEnrollment()
    {
        var environment = new Dictionary<string, string> { ["DBUS_SYSTEM_BUS_ADDRESS"] = _mock.Address };

        var (exit, output) = await Gateway.Gateway.RunAsync(["scan", "--duration", "2s", "--data-dir", _data.Path], environment);

        Assert.True(exit == 0, output);
        var enrolledRow = output.Split('\n').Single(line => line.StartsWith(EnrolledAddress, StringComparison.Ordinal));
        Assert.Contains("-58 dBm", enrolledRow, StringComparison.Ordinal);
        Assert.Contains("polar-h10", enrolledRow, StringComparison.Ordinal);
        Assert.Contains($"P-0001 ({_pseudonym})", enrolledRow, StringComparison.Ordinal);
        var neighbourRow = output.Split('\n').Single(line => line.StartsWith(NeighbourAddress, StringComparison.Ordinal));
        Assert.Contains("polar-h10", neighbourRow, StringComparison.Ordinal);
        Assert.EndsWith("no", neighbourRow.TrimEnd(), StringComparison.Ordinal);

        // Scan listens only: it connected nothing.
        Assert.All(_mock.CallLog.Split('\n'), line => Assert.DoesNotContain(" Connect ", line, StringComparison.Ordinal));
    }

    [Fact]
    public async Task BlueZRestarting_IsSurvived()
    {
        await using var rig = Start();
        await rig.WaitForAsync(() => rig.ConnectsOf(_pseudonym) == 1, "connected");

        await _mock.RestartBlueZAsync();

        await rig.WaitForAsync(() => rig.ConnectsOf(_pseudonym) == 2, "connected again after BlueZ came back", TimeSpan.FromSeconds(30));
        Assert.True(rig.Supervisor.Status.BackendAvailable);
    }
}
