using System.Collections.Concurrent;
using Ingest.Gateway.Radio;
using Ingest.Pipeline.Intake;
using Ingest.Pipeline.Intake.Radio;
using Ingest.Pipeline.Profiles;
using Ingest.Pipeline.Simulation.Fleet;
using Ingest.Pipeline.Simulation.Radio;
using Ingest.Tests.Support;

namespace Ingest.Tests.Radio.Supervisor;

/// <summary>
/// A radio supervisor over a radio (the simulated one by default), with the pipeline's side played by a reader that
/// counts notifications per device and keeps every device event. Timings are short so reconnects happen in seconds.
/// </summary>
internal sealed class SupervisorRig : IAsyncDisposable
{
    public static readonly RadioOptions FastOptions = new()
    {
        TickInterval = TimeSpan.FromMilliseconds(50),
        ReconnectInitialDelay = TimeSpan.FromMilliseconds(100),
        ReconnectMaxDelay = TimeSpan.FromMilliseconds(800),
        StableLinkTime = TimeSpan.FromSeconds(1),
        ConnectTimeout = TimeSpan.FromSeconds(5),
        ServicesResolveTimeout = TimeSpan.FromSeconds(5),
        // Off unless a test is about it: on a loaded machine a simulated stream can be late by more than a second, and a
        // restart rewrites the setup, which the tests count.
        StreamStallTimeout = TimeSpan.FromHours(1),
        PowerCycleDelay = TimeSpan.FromMilliseconds(100),
    };

    private static readonly Lazy<IReadOnlyList<FirmwareProfile>> s_profiles = new(() =>
        ProfileLoader.LoadAll(Path.Combine(Peers.RepositoryRoot, "firmware-profiles")));

    private readonly CancellationTokenSource _stop = new();
    private readonly Task _reader;
    private readonly ConcurrentDictionary<int, long> _notifications = new();
    private readonly ConcurrentQueue<DeviceEvent> _events = new();
    private readonly ConcurrentQueue<string> _log = new();

    public SupervisorRig(IBleCentral central, IEnrolledTrackers enrolled, RadioOptions? options = null, string study = "demo", IReadOnlyList<FirmwareProfile>? profiles = null)
    {
        Central = central;
        Enrolled = enrolled;
        Supervisor = new RadioSupervisor(central, enrolled, profiles ?? Profiles, study, options ?? FastOptions, _log.Enqueue);
        Running = Supervisor.RunAsync(_stop.Token);
        _reader = ReadAsync();
    }

    public static IReadOnlyList<FirmwareProfile> Profiles => s_profiles.Value;

    public IBleCentral Central { get; }

    public IEnrolledTrackers Enrolled { get; }

    public RadioSupervisor Supervisor { get; }

    public Task Running { get; }

    public IReadOnlyCollection<DeviceEvent> Events => _events;

    public IReadOnlyCollection<string> Log => _log;

    /// <summary>A simulated room with <paramref name="profileIds"/> trackers (one each), all enrolled as sim-00n.</summary>
    public static (SimulatedCentral Central, SimulatedEnrollment Enrollment) SimulatedRoom(IReadOnlyList<string> profileIds, int connectionLimit = 7, SimulatedFaultOptions? faults = null)
    {
        var central = new SimulatedCentral(Profiles, new SimulatedCentralOptions
        {
            Fleet = new SimulatedFleetOptions
            {
                TrackerCount = profileIds.Count,
                ProfileIds = profileIds,
                Seed = 7,
                Faults = faults ?? SimulatedFaultOptions.None,
            },
            ConnectionLimit = connectionLimit,
        });
        return (central, new SimulatedEnrollment(central, "demo", "site-1"));
    }

    public long NotificationsOf(DeviceHandle device) => _notifications.GetValueOrDefault(device.Value);

    /// <summary>Every device whose notifications reached the pipeline's channel.</summary>
    public IEnumerable<DeviceHandle> NotifyingDevices() => _notifications.Keys.Select(static k => new DeviceHandle(k));

    public TrackerStatus Tracker(string pseudonym) => Supervisor.Status.Trackers.Single(t => t.Device == pseudonym);

    /// <summary>Waits until <paramref name="condition"/> holds, or fails saying what was awaited and what the log says.</summary>
    public async Task WaitForAsync(Func<bool> condition, string what, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(20));
        while (!condition())
        {
            if (Running.IsFaulted)
            {
                Assert.Fail($"the supervisor failed while waiting for {what}: {Running.Exception}");
            }

            if (DateTime.UtcNow > deadline)
            {
                Assert.Fail($"timed out waiting for {what}; supervisor log:\n{string.Join('\n', _log)}");
            }

            await Task.Delay(20);
        }
    }

    public DeviceHandle HandleOf(string pseudonym)
    {
        foreach (var e in _events)
        {
            if (e.Kind == DeviceEventKind.Connected && Supervisor.Admit(e.Device, e.ProfileId)?.Device == pseudonym)
            {
                return e.Device;
            }
        }

        throw new InvalidOperationException($"{pseudonym} never connected");
    }

    public int ConnectsOf(string pseudonym) => CountEvents(pseudonym, DeviceEventKind.Connected);

    public int CountEvents(string pseudonym, DeviceEventKind kind)
    {
        var count = 0;
        foreach (var e in _events)
        {
            if (e.Kind == kind && IsOf(e.Device, pseudonym))
            {
                count++;
            }
        }

        return count;
    }

    private bool IsOf(DeviceHandle device, string pseudonym)
    {
        foreach (var e in _events)
        {
            if (e.Kind == DeviceEventKind.Connected && e.Device == device)
            {
                return Supervisor.Admit(device, e.ProfileId)?.Device == pseudonym;
            }
        }

        return false;
    }

    private async Task ReadAsync()
    {
        var notifications = Supervisor.Notifications;
        var events = Supervisor.DeviceEvents;
        var eventsDone = Task.Run(async () =>
        {
            await foreach (var e in events.ReadAllAsync())
            {
                _events.Enqueue(e);
            }
        });
        await foreach (var notification in notifications.ReadAllAsync())
        {
            _notifications.AddOrUpdate(notification.Device.Value, 1, static (_, n) => n + 1);
            notification.Release();
        }

        await eventsDone;
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        try
        {
            await Running.WaitAsync(TimeSpan.FromSeconds(20));
        }
        catch (OperationCanceledException)
        {
        }

        await _reader.WaitAsync(TimeSpan.FromSeconds(20));
        await Central.DisposeAsync();
        _stop.Dispose();
    }
}
