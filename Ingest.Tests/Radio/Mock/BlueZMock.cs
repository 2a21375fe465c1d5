using System.Diagnostics;
using System.Runtime.Versioning;
using Ingest.Tests.Support;
using Tmds.DBus.Protocol;

namespace Ingest.Tests.Radio.Mock;

/// <summary>A characteristic of a mock tracker's GATT table.</summary>
/// <param name="Uuid">Characteristic UUID.</param>
/// <param name="Flags">BlueZ Flags strings ("read", "write", "write-without-response", "notify", "indicate").</param>
/// <param name="Acquire">Offer AcquireNotify (the NotifyAcquired property), as BlueZ does for notify characteristics.</param>
/// <param name="Value">Initial value (what ReadValue returns).</param>
public sealed record MockCharacteristic(Guid Uuid, string[] Flags, bool Acquire = false, byte[]? Value = null);

/// <summary>A primary service of a mock tracker.</summary>
public sealed record MockService(Guid Uuid, IReadOnlyList<MockCharacteristic> Characteristics);

/// <summary>A tracker to put on the mock bus: its advertisement and its GATT table (objects appear while connected).</summary>
public sealed record MockTracker(
    string Address,
    string Name,
    short Rssi = -60,
    IReadOnlyList<Guid>? ServiceUuids = null,
    IReadOnlyDictionary<ushort, byte[]>? Manufacturer = null,
    IReadOnlyList<MockService>? Gatt = null);

/// <summary>
/// A private D-Bus system bus (dbus-daemon) with BlueZ played by python-dbusmock and the project's template
/// (<c>Radio/Mock/wearable_bluez.py</c>). Point <c>DBUS_SYSTEM_BUS_ADDRESS</c> (or <c>BlueZOptions.BusAddress</c>) at
/// <see cref="Address"/>. Both processes are children of the test and are stopped by PID on dispose; a missing
/// dbus-daemon or python3-dbusmock fails the test with the install command. GATT objects exist only while a tracker is
/// connected and get new paths on every connect, so characteristics are named by (device path, UUID) here.
/// </summary>
[SupportedOSPlatform("linux")]
public sealed class BlueZMock : IAsyncDisposable
{
    /// <summary>How to install the peers.</summary>
    public const string InstallAdvice = "apt-get install dbus python3-dbusmock python3-dbus python3-gi";

    /// <summary>Debian's python: the pyenv python3 on PATH has no dbus/gi/dbusmock (test-peers.md §0).</summary>
    public const string Python = "/usr/bin/python3";

    public static readonly Guid HeartRateService = Sig(0x180D);
    public static readonly Guid HeartRateMeasurement = Sig(0x2A37);
    public static readonly Guid DeviceInformationService = Sig(0x180A);
    public static readonly Guid ModelNumber = Sig(0x2A24);
    public static readonly Guid FirmwareRevision = Sig(0x2A26);
    public static readonly Guid BatteryService = Sig(0x180F);
    public static readonly Guid BatteryLevel = Sig(0x2A19);
    public static readonly Guid PmdService = Guid.Parse("fb005c80-02e7-f387-1cad-8acd2d8df0c8");
    public static readonly Guid PmdControl = Guid.Parse("fb005c81-02e7-f387-1cad-8acd2d8df0c8");
    public static readonly Guid PmdData = Guid.Parse("fb005c82-02e7-f387-1cad-8acd2d8df0c8");

    /// <summary>Polar Electro's Bluetooth company identifier (0x006B).</summary>
    public const ushort PolarCompanyId = 107;

    private const string MockInterface = "org.bluez.Mock";
    private static readonly TimeSpan s_startTimeout = TimeSpan.FromSeconds(15);
    private static readonly Lazy<Task> s_pythonCheck = new(CheckPythonAsync);

    private readonly TemporaryDirectory _directory;
    private readonly PeerProcess _daemon;
    private readonly DBusConnection _control;
    private readonly List<Func<Task>> _journal = [];
    private PeerProcess? _mock;
    private int _restarts;

    private BlueZMock(TemporaryDirectory directory, PeerProcess daemon, DBusConnection control, string address)
    {
        _directory = directory;
        _daemon = daemon;
        _control = control;
        Address = address;
    }

    /// <summary>The private bus address (<c>unix:path=…</c>) for DBUS_SYSTEM_BUS_ADDRESS.</summary>
    public string Address { get; }

    /// <summary>How long <see cref="StartAsync"/> took (bus + BlueZ owning its name).</summary>
    public TimeSpan StartupTime { get; private set; }

    /// <summary>The mock's call log (<c>-l</c>), for failure messages.</summary>
    public string CallLog => File.Exists(_directory.Combine("calls.log")) ? File.ReadAllText(_directory.Combine("calls.log")) : "";

    /// <summary>Starts a private bus and (unless <paramref name="startBlueZ"/> is false) BlueZ on it.</summary>
    public static async Task<BlueZMock> StartAsync(bool startBlueZ = true)
    {
        var stopwatch = Stopwatch.StartNew();
        var dbusDaemon = Peers.Require("dbus-daemon", InstallAdvice);
        await s_pythonCheck.Value;

        var directory = new TemporaryDirectory("bluez");
        var socket = directory.Combine("bus.sock");
        Assert.True(socket.Length < 100, $"the bus socket path {socket} is too long for a unix socket (108 bytes)");
        var config = directory.Combine("bus.conf");
        await File.WriteAllTextAsync(config, $"""
            <!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
             "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
            <busconfig>
              <type>session</type>
              <listen>unix:path={socket}</listen>
              <auth>EXTERNAL</auth>
              <policy context="default">
                <allow send_destination="*" eavesdrop="true"/>
                <allow eavesdrop="true"/>
                <allow own="*"/>
                <allow user="*"/>
              </policy>
            </busconfig>
            """);
        var daemon = PeerProcess.Start(dbusDaemon, ["--config-file=" + config, "--nofork", "--print-address=1"], directory.Path);
        var address = "unix:path=" + socket;
        DBusConnection? control = null;
        try
        {
            await daemon.WaitForOutputAsync("unix:path=", s_startTimeout);
            control = new DBusConnection(address);
            await control.ConnectAsync();
            var mock = new BlueZMock(directory, daemon, control, address);
            if (startBlueZ)
            {
                await mock.StartBlueZAsync();
            }

            mock.StartupTime = stopwatch.Elapsed;
            return mock;
        }
        catch
        {
            control?.Dispose();
            daemon.Dispose();
            directory.Dispose();
            throw;
        }
    }

    /// <summary>Starts BlueZ (the dbusmock process) and waits until it owns org.bluez.</summary>
    public async Task StartBlueZAsync()
    {
        var template = Path.Combine(AppContext.BaseDirectory, "Radio", "Mock", "wearable_bluez.py");
        Assert.True(File.Exists(template), $"the mock template {template} was not copied to the test output (Ingest.Tests.csproj)");
        _mock = PeerProcess.Start(Python, ["-m", "dbusmock", "--template", template, "-l", _directory.Combine("calls.log")], _directory.Path,
            new Dictionary<string, string> { ["DBUS_SYSTEM_BUS_ADDRESS"] = Address });
        var deadline = DateTime.UtcNow + s_startTimeout;
        while (!(await _control.ListServicesAsync()).Contains("org.bluez"))
        {
            if (!_mock.IsRunning)
            {
                Assert.Fail($"python-dbusmock exited before owning org.bluez ({InstallAdvice}): {_mock.Output}");
            }

            if (DateTime.UtcNow > deadline)
            {
                Assert.Fail($"python-dbusmock did not own org.bluez within {s_startTimeout}: {_mock.Output}");
            }

            await Task.Delay(10);
        }
    }

    /// <summary>
    /// BlueZ "restarts": the mock process is killed (org.bluez loses its owner), started again on the same bus, and (by
    /// default) the adapters and trackers added so far are added again, disconnected, as bluetoothd finds them anew.
    /// </summary>
    public async Task RestartBlueZAsync(bool restoreObjects = true)
    {
        StopBlueZ();
        _restarts++;
        await StartBlueZAsync();
        if (restoreObjects)
        {
            foreach (var step in _journal.ToList())
            {
                await step();
            }
        }
    }

    /// <summary>Kills BlueZ (the mock process) without starting it again.</summary>
    public void StopBlueZ()
    {
        _mock?.Dispose();
        _mock = null;
    }

    /// <summary>Adds an adapter ("hci0") and returns its object path.</summary>
    public async Task<string> AddAdapterAsync(string name = "hci0")
    {
        var path = await AddAdapterCoreAsync(name);
        _journal.Add(() => AddAdapterCoreAsync(name));
        return path;
    }

    /// <summary>Adds a tracker under <paramref name="adapterPath"/> with its advertisement and GATT table; returns its path.</summary>
    public async Task<string> AddTrackerAsync(string adapterPath, MockTracker tracker)
    {
        var path = await AddTrackerCoreAsync(adapterPath, tracker);
        _journal.Add(() => AddTrackerCoreAsync(adapterPath, tracker));
        return path;
    }

    /// <summary>
    /// A Polar H10 as the profile expects it: name "Polar H10 0A1B2C3D", manufacturer id 107, Heart Rate (180d/2a37),
    /// PMD control (fb005c81: write, notify) and data (fb005c82: notify with AcquireNotify), Device Information (2a24
    /// "H10", 2a26 "5.0.0"), Battery (2a19 = 100 %).
    /// </summary>
    public Task<string> AddPolarH10Async(string adapterPath, string address = "A0:9E:1A:0A:1B:2C", string name = "Polar H10 0A1B2C3D", short rssi = -58) =>
        AddTrackerAsync(adapterPath, PolarH10(address, name, rssi));

    /// <summary>The Polar H10 tracker description (see <see cref="AddPolarH10Async"/>).</summary>
    public static MockTracker PolarH10(string address, string name = "Polar H10 0A1B2C3D", short rssi = -58) => new(
        address, name, rssi,
        ServiceUuids: [HeartRateService],
        Manufacturer: new Dictionary<ushort, byte[]> { [PolarCompanyId] = [0x33, 0x1E, 0x00] },
        Gatt:
        [
            new MockService(HeartRateService, [new MockCharacteristic(HeartRateMeasurement, ["notify"])]),
            new MockService(PmdService,
            [
                new MockCharacteristic(PmdControl, ["read", "write", "notify"], Value: [0x0F, 0x05, 0x00, 0x00]),
                new MockCharacteristic(PmdData, ["notify"], Acquire: true),
            ]),
            new MockService(DeviceInformationService,
            [
                new MockCharacteristic(ModelNumber, ["read"], Value: "H10"u8.ToArray()),
                new MockCharacteristic(FirmwareRevision, ["read"], Value: "5.0.0"u8.ToArray()),
            ]),
            new MockService(BatteryService, [new MockCharacteristic(BatteryLevel, ["read", "notify"], Value: [100])]),
        ]);

    /// <summary>
    /// Sends a notification from the tracker: through the AcquireNotify socket when one is held, else as
    /// PropertiesChanged(Value). Returns "acquired" or "signal".
    /// </summary>
    public Task<string> NotifyAsync(string devicePath, Guid characteristic, byte[] value) =>
        CallAsync("EmitNotification", "osay", (ref MessageWriter w) =>
        {
            w.WriteObjectPath(devicePath);
            w.WriteString(characteristic.ToString("D"));
            w.WriteArray(value);
        }, ReadString);

    /// <summary>The tracker's link drops with a BlueZ reason name (org.bluez.Reason.Timeout / Remote / Local).</summary>
    public Task DisconnectAsync(string devicePath, string reason = "org.bluez.Reason.Timeout") =>
        CallAsync("DisconnectDevice", "os", (ref MessageWriter w) =>
        {
            w.WriteObjectPath(devicePath);
            w.WriteString(reason);
        });

    /// <summary>The tracker connects by itself (no Device1.Connect call).</summary>
    public Task ConnectDeviceAsync(string devicePath) =>
        CallAsync("ConnectDevice", "o", (ref MessageWriter w) => w.WriteObjectPath(devicePath));

    /// <summary>The adapter powers off like bluetoothd does it: links dropped (reason Local), discovery stopped.</summary>
    public Task PowerOffAsync(string adapterPath) =>
        CallAsync("PowerOffAdapter", "s", (ref MessageWriter w) => w.WriteString(adapterPath));

    /// <summary>The adapter powers on.</summary>
    public Task PowerOnAsync(string adapterPath) =>
        CallAsync("PowerOnAdapter", "s", (ref MessageWriter w) => w.WriteString(adapterPath));

    /// <summary>The device and its GATT objects vanish (one InterfacesRemoved each).</summary>
    public Task RemoveDeviceAsync(string devicePath) =>
        CallAsync("RemoveDevice", "o", (ref MessageWriter w) => w.WriteObjectPath(devicePath));

    /// <summary>The adapter and everything under it vanish (a pulled dongle).</summary>
    public Task RemoveAdapterAsync(string adapterPath) =>
        CallAsync("RemoveAdapter", "s", (ref MessageWriter w) => w.WriteString(adapterPath));

    /// <summary>The next <paramref name="count"/> calls of <paramref name="method"/> fail with <paramref name="errorName"/>.</summary>
    public Task InjectErrorAsync(string method, string errorName = "org.bluez.Error.InProgress", int count = 1) =>
        CallAsync("InjectError", "ssi", (ref MessageWriter w) =>
        {
            w.WriteString(method);
            w.WriteString(errorName);
            w.WriteInt32(count);
        });

    /// <summary>A new advertisement: RSSI, name, manufacturer data and service UUIDs.</summary>
    public Task SetAdvertisementAsync(string devicePath, short rssi, string name, IReadOnlyDictionary<ushort, byte[]>? manufacturer, IReadOnlyList<Guid>? uuids) =>
        CallAsync("SetAdvertisement", "onsa{qay}as", (ref MessageWriter w) =>
        {
            w.WriteObjectPath(devicePath);
            w.WriteInt16(rssi);
            w.WriteString(name);
            var dict = w.WriteDictionaryStart();
            foreach (var (company, data) in manufacturer ?? new Dictionary<ushort, byte[]>())
            {
                w.WriteDictionaryEntryStart();
                w.WriteUInt16(company);
                w.WriteArray(data);
            }

            w.WriteDictionaryEnd(dict);
            w.WriteArray((uuids ?? []).Select(u => u.ToString("D")).ToArray());
        });

    /// <summary>Sets any property of any object to any value (with PropertiesChanged): for malformed-input tests.</summary>
    public Task SetRawPropertyAsync(string path, string iface, string name, VariantValue value) =>
        CallAsync("SetRawProperty", "ossv", (ref MessageWriter w) =>
        {
            w.WriteObjectPath(path);
            w.WriteString(iface);
            w.WriteString(name);
            w.WriteVariant(value);
        });

    /// <summary>Adds an object with arbitrary properties (and InterfacesAdded): for malformed-input tests.</summary>
    public Task AddRawObjectAsync(string path, string iface, Dictionary<string, VariantValue> properties) =>
        CallAsync("AddRawObject", "osa{sv}", (ref MessageWriter w) =>
        {
            w.WriteObjectPath(path);
            w.WriteString(iface);
            w.WriteDictionary(properties);
        });

    /// <summary>Emits any signal from any object with any signature (org.freedesktop.DBus.Mock.EmitSignal): for malformed-input tests.</summary>
    public async Task EmitSignalAsync(string path, string iface, string member, string signature, VariantValue[] args)
    {
        var writer = _control.GetMessageWriter();
        MessageBuffer message;
        try
        {
            writer.WriteMethodCallHeader("org.bluez", path, "org.freedesktop.DBus.Mock", "EmitSignal", "sssav");
            writer.WriteString(iface);
            writer.WriteString(member);
            writer.WriteString(signature);
            writer.WriteArray(args);
            message = writer.CreateMessage();
        }
        finally
        {
            writer.Dispose();
        }

        await _control.CallMethodAsync(message).WaitAsync(TimeSpan.FromSeconds(10));
    }

    /// <summary>Every WriteValue to the tracker's characteristic, across reconnects, oldest first.</summary>
    public Task<IReadOnlyList<(string Type, byte[] Value)>> WritesAsync(string devicePath, Guid characteristic) =>
        CallAsync("GetWrites", "os", (ref MessageWriter w) =>
        {
            w.WriteObjectPath(devicePath);
            w.WriteString(characteristic.ToString("D"));
        }, static (message, _) =>
        {
            var reader = message.GetBodyReader();
            var writes = new List<(string, byte[])>();
            var end = reader.ReadArrayStart(DBusType.Struct);
            while (reader.HasNext(end))
            {
                reader.AlignStruct();
                writes.Add((reader.ReadString(), reader.ReadArrayOfByte()));
            }

            return (IReadOnlyList<(string, byte[])>)writes;
        });

    /// <summary>"notifying=… acquired=…" per characteristic UUID under the device (for assertions).</summary>
    public Task<Dictionary<string, VariantValue>> CharacteristicStateAsync(string devicePath) =>
        CallAsync("GetCharacteristicState", "o", (ref MessageWriter w) => w.WriteObjectPath(devicePath),
            static (message, _) => message.GetBodyReader().ReadDictionaryOfStringToVariantValue());

    /// <inheritdoc />
    public ValueTask DisposeAsync()
    {
        _control.Dispose();
        StopBlueZ();
        _daemon.Dispose();
        _directory.Dispose();
        return ValueTask.CompletedTask;
    }

    private Task<string> AddAdapterCoreAsync(string name) =>
        CallAsync("AddAdapter", "ss", (ref MessageWriter w) =>
        {
            w.WriteString(name);
            w.WriteString("wearable-ingest-hub");
        }, ReadString);

    private async Task<string> AddTrackerCoreAsync(string adapterPath, MockTracker tracker)
    {
        var path = await CallAsync("AddTracker", "sssn", (ref MessageWriter w) =>
        {
            w.WriteString(adapterPath);
            w.WriteString(tracker.Address);
            w.WriteString(tracker.Name);
            w.WriteInt16(tracker.Rssi);
        }, ReadString);
        if (tracker.Manufacturer is not null || tracker.ServiceUuids is not null)
        {
            await SetAdvertisementAsync(path, tracker.Rssi, tracker.Name, tracker.Manufacturer, tracker.ServiceUuids);
        }

        foreach (var service in tracker.Gatt ?? [])
        {
            await CallAsync("AddGattService", "os", (ref MessageWriter w) =>
            {
                w.WriteObjectPath(path);
                w.WriteString(service.Uuid.ToString("D"));
            });
            foreach (var characteristic in service.Characteristics)
            {
                await CallAsync("AddGattCharacteristic", "osasbay", (ref MessageWriter w) =>
                {
                    w.WriteObjectPath(path);
                    w.WriteString(characteristic.Uuid.ToString("D"));
                    w.WriteArray(characteristic.Flags);
                    w.WriteBool(characteristic.Acquire);
                    w.WriteArray(characteristic.Value ?? []);
                });
            }
        }

        return path;
    }

    private delegate void BodyWriter(ref MessageWriter writer);

    private Task CallAsync(string member, string signature, BodyWriter body) =>
        CallAsync<object?>(member, signature, body, static (_, _) => null);

    private async Task<T> CallAsync<T>(string member, string signature, BodyWriter body, MessageValueReader<T> reader)
    {
        MessageBuffer message;
        var writer = _control.GetMessageWriter();
        try
        {
            writer.WriteMethodCallHeader("org.bluez", "/", MockInterface, member, signature);
            body(ref writer);
            message = writer.CreateMessage();
        }
        finally
        {
            writer.Dispose(); // a ref struct passed by ref cannot be a using variable
        }

        try
        {
            return await _control.CallMethodAsync(message, reader).WaitAsync(TimeSpan.FromSeconds(10));
        }
        catch (DBusErrorReplyException ex)
        {
            throw new InvalidOperationException($"mock {member} failed: {ex.ErrorName}: {ex.ErrorMessage}\n{_mock?.Output}", ex);
        }
    }

    private static string ReadString(Message message, object? state) => message.GetBodyReader().ReadString();

    private static Guid Sig(ushort shortUuid) => Guid.Parse($"0000{shortUuid:x4}-0000-1000-8000-00805f9b34fb");

    private static async Task CheckPythonAsync()
    {
        Assert.True(File.Exists(Python), $"{Python} is missing: install with scripts/install-test-peers.sh ({InstallAdvice})");
        var (exit, output) = await PeerProcess.RunAsync(Python, ["-c", "import dbus, gi, dbusmock"], TimeSpan.FromSeconds(30));
        Assert.True(exit == 0, $"python3-dbusmock is not usable by {Python}: install with scripts/install-test-peers.sh ({InstallAdvice}). {output}");
    }
}
