using System.Collections.Concurrent;
using System.Threading.Channels;
using Ingest.Gateway.Web;
using Ingest.Pipeline.Intake;
using Ingest.Pipeline.Intake.Radio;
using Ingest.Pipeline.Profiles;
using Ingest.Pipeline.Service;

namespace Ingest.Gateway.Radio;

/// <summary>
/// Keeps every enrolled tracker in range connected and streaming, over any <see cref="IBleCentral"/> (BlueZ, or the
/// simulated radio), and is the pipeline's <see cref="INotificationSource"/> and <see cref="IDeviceAdmission"/>.
/// <para>
/// Only trackers the registry (<see cref="IEnrolledTrackers"/>) names are ever connected; a tracker that matches a
/// profile but is not enrolled is refused and counted, never connected. For each enrolled tracker it connects, looks the
/// GATT table up anew, checks the Device Information strings against the profile, enables the control points'
/// notifications, writes a <see cref="DeviceEventKind.Connected"/> event, subscribes to the streams' characteristics and
/// runs the setup writes (every connect: trackers forget them), then watches the link: a stream that stops delivering is
/// restarted, a dropped link becomes a <see cref="DeviceEventKind.Disconnected"/> event (a gap record downstream) and a
/// reconnect with exponential backoff and jitter. At most <see cref="RadioOptions.MaxConnectionsPerAdapter"/> links per
/// adapter; the status says when enrolled trackers exceed it. A wedged adapter (repeated <c>InProgress</c>, no
/// advertisements for a long time) is power-cycled; a powered-off adapter is powered on; BlueZ restarting or an adapter
/// vanishing ends its links, which come back with it.
/// </para>
/// Threading: one loop owns all state (<see cref="RunAsync"/>); each link runs as its own task and reports back to the
/// loop through its input channel. <see cref="Status"/> and <see cref="Admit"/> may be called from any thread.
/// </summary>
public sealed partial class RadioSupervisor : INotificationSource, IDeviceAdmission
{
    /// <summary>Default capacity of the notification channel (a few seconds of a full hub's traffic).</summary>
    public const int DefaultNotificationCapacity = 4096;

    private const int InputCapacity = 1024;
    private const int EventCapacity = 256;

    private readonly IBleCentral _central;
    private readonly IEnrolledTrackers _enrolled;
    private readonly ProfileMatcher _matcher;
    private readonly Dictionary<string, FirmwareProfile> _profiles = new(StringComparer.Ordinal);
    private readonly string _study;
    private readonly RadioOptions _options;
    private readonly Action<string> _log;
    private readonly TimeProvider _time;
    private readonly Channel<Notification> _notifications;
    private readonly Channel<DeviceEvent> _events;
    private readonly Channel<Notification> _controlResponses;
    private readonly Channel<Input> _inputs = Channel.CreateBounded<Input>(new BoundedChannelOptions(InputCapacity) { FullMode = BoundedChannelFullMode.Wait, SingleReader = true });
    private readonly ConcurrentDictionary<int, AdmittedDevice> _admitted = new();

    // Owned by the loop.
    private readonly Dictionary<string, Tracker> _trackers = new(StringComparer.Ordinal);
    private readonly Dictionary<string, AdapterState> _adapters = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string?> _peripheralOwners = new(StringComparer.Ordinal);
    private readonly HashSet<string> _refusedPeripherals = new(StringComparer.Ordinal);
    private long _enrolledVersion = long.MinValue;
    private long _neighboursRefused;
    private long _adapterRecoveries;
    private bool _backendAvailable;
    private int _nextHandle;
    private int _started;
    private int _radioStarted;
    private CancellationToken _stopping;
    private RadioStatus _status = RadioStatus.Empty;

    /// <summary>Creates the supervisor; nothing happens until <see cref="RunAsync"/>.</summary>
    /// <param name="central">The radio.</param>
    /// <param name="enrolled">The enrollment registry.</param>
    /// <param name="profiles">The firmware profiles the hub has.</param>
    /// <param name="study">The hub's study: trackers enrolled in another study are not connected.</param>
    /// <param name="options">Timings and limits.</param>
    /// <param name="log">Where to say what happens (one line each; never a radio address).</param>
    /// <param name="timeProvider">The hub clock.</param>
    /// <param name="notificationCapacity">Bound of <see cref="Notifications"/>.</param>
    public RadioSupervisor(
        IBleCentral central,
        IEnrolledTrackers enrolled,
        IReadOnlyList<FirmwareProfile> profiles,
        string study,
        RadioOptions options,
        Action<string>? log = null,
        TimeProvider? timeProvider = null,
        int notificationCapacity = DefaultNotificationCapacity)
    {
        ArgumentNullException.ThrowIfNull(central);
        ArgumentNullException.ThrowIfNull(enrolled);
        ArgumentNullException.ThrowIfNull(profiles);
        ArgumentException.ThrowIfNullOrEmpty(study);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentOutOfRangeException.ThrowIfLessThan(notificationCapacity, 1);
        options.Validate();
        _central = central;
        _enrolled = enrolled;
        _matcher = new ProfileMatcher(profiles);
        foreach (var profile in profiles)
        {
            _profiles[profile.Id] = profile;
        }

        _study = study;
        _options = options;
        _log = log ?? (static _ => { });
        _time = timeProvider ?? TimeProvider.System;
        Pool = new NotificationBufferPool(Math.Min(notificationCapacity, 1024));
        _notifications = Channel.CreateBounded<Notification>(new BoundedChannelOptions(notificationCapacity) { FullMode = BoundedChannelFullMode.Wait });
        _events = Channel.CreateBounded<DeviceEvent>(new BoundedChannelOptions(EventCapacity) { FullMode = BoundedChannelFullMode.Wait });
        _controlResponses = Channel.CreateBounded<Notification>(new BoundedChannelOptions(64) { FullMode = BoundedChannelFullMode.Wait, SingleReader = true });
    }

    /// <inheritdoc />
    public ChannelReader<Notification> Notifications => _notifications.Reader;

    /// <inheritdoc />
    public ChannelReader<DeviceEvent> DeviceEvents => _events.Reader;

    /// <summary>The payload buffers of every notification this source delivers.</summary>
    public NotificationBufferPool Pool { get; }

    /// <summary>What the radio is doing now.</summary>
    public RadioStatus Status => Volatile.Read(ref _status);

    /// <inheritdoc />
    public AdmittedDevice? Admit(DeviceHandle device, string? profileId) =>
        _admitted.TryGetValue(device.Value, out var admitted) && string.Equals(admitted.Profile.Id, profileId, StringComparison.Ordinal)
            ? admitted
            : null;

    /// <summary>
    /// Starts the radio backend now, so a missing one is reported before anything else starts; <see cref="RunAsync"/>
    /// then skips that step. Optional.
    /// </summary>
    /// <exception cref="BleUnavailableException">There is no radio backend (no BlueZ, no bus); the message says what to do.</exception>
    public async Task StartRadioAsync(CancellationToken cancellationToken = default)
    {
        if (Interlocked.Exchange(ref _radioStarted, 1) == 0)
        {
            await _central.StartAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <inheritdoc />
    /// <exception cref="BleUnavailableException">There is no radio backend (no BlueZ, no bus); the message says what to do.</exception>
    public Task RunAsync(CancellationToken cancellationToken = default)
    {
        if (Interlocked.Exchange(ref _started, 1) != 0)
        {
            throw new InvalidOperationException("RunAsync may be called once");
        }

        return RunCoreAsync(cancellationToken);
    }

    private async Task RunCoreAsync(CancellationToken cancellationToken)
    {
        _stopping = cancellationToken;
        Exception? failure = null;
        using var helpers = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var pump = Task.CompletedTask;
        var ticker = Task.CompletedTask;
        var drain = DrainControlResponsesAsync();
        try
        {
            await StartRadioAsync(cancellationToken).ConfigureAwait(false);
            _backendAvailable = true;
            pump = PumpRadioEventsAsync(helpers.Token);
            ticker = TickAsync(helpers.Token);
            Tick();
            while (await _inputs.Reader.WaitToReadAsync(cancellationToken).ConfigureAwait(false))
            {
                while (_inputs.Reader.TryRead(out var input))
                {
                    Handle(input);
                }

                PublishStatus();
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // A stop, not a failure.
        }
        catch (Exception ex)
        {
            failure = ex;
            throw;
        }
        finally
        {
            await helpers.CancelAsync().ConfigureAwait(false);
            await StopLinksAsync().ConfigureAwait(false);
            await IgnoreCancellation(pump).ConfigureAwait(false);
            await IgnoreCancellation(ticker).ConfigureAwait(false);
            _controlResponses.Writer.TryComplete();
            await drain.ConfigureAwait(false);
            _notifications.Writer.TryComplete(failure);
            _events.Writer.TryComplete(failure);
            PublishStatus();
        }
    }

    private async Task PumpRadioEventsAsync(CancellationToken cancellationToken)
    {
        try
        {
            await foreach (var radioEvent in _central.Events.ReadAllAsync(cancellationToken).ConfigureAwait(false))
            {
                await _inputs.Writer.WriteAsync(new RadioInput(radioEvent), cancellationToken).ConfigureAwait(false);
            }

            await _inputs.Writer.WriteAsync(new RadioInput(new BleEvent(BleEventKind.BackendLost, NowNs())), cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            _log($"radio: the backend's event stream failed ({ex.Message}); treating it as gone");
            await _inputs.Writer.WriteAsync(new RadioInput(new BleEvent(BleEventKind.BackendLost, NowNs())), cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task TickAsync(CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(_options.TickInterval, _time);
        while (await timer.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false))
        {
            await _inputs.Writer.WriteAsync(TickInput.Instance, cancellationToken).ConfigureAwait(false);
        }
    }

    // Control point answers (e.g. Polar PMD's F0 02 <type> <status>) are not data: they are released here.
    private async Task DrainControlResponsesAsync()
    {
        await foreach (var response in _controlResponses.Reader.ReadAllAsync().ConfigureAwait(false))
        {
            response.Release();
        }
    }

    private void Handle(Input input)
    {
        switch (input)
        {
            case RadioInput radio:
                HandleRadio(radio.Event);
                break;
            case TickInput:
                Tick();
                break;
            case LinkEndedInput ended:
                HandleLinkEnded(ended);
                break;
            case AdapterTaskDone done:
                HandleAdapterTaskDone(done);
                break;
        }
    }

    private void HandleRadio(BleEvent radioEvent)
    {
        switch (radioEvent.Kind)
        {
            case BleEventKind.AdapterAdded or BleEventKind.AdapterChanged when radioEvent.Adapter is { } adapter:
                AdapterSeen(adapter);
                break;
            case BleEventKind.AdapterRemoved when radioEvent.Adapter is { } adapter:
                AdapterGone(adapter.Id, $"adapter {adapter.Name} vanished");
                break;
            case BleEventKind.PeripheralAdded or BleEventKind.PeripheralChanged or BleEventKind.Connected when radioEvent.Peripheral is { } peripheral:
                PeripheralSeen(peripheral);
                break;
            case BleEventKind.PeripheralRemoved when radioEvent.Peripheral is { } peripheral:
                PeripheralGone(peripheral.Id);
                break;
            case BleEventKind.Disconnected when radioEvent.Peripheral is { } peripheral:
                LinkLost(peripheral.Id, radioEvent.Reason == DisconnectReason.None ? DisconnectReason.LinkLoss : radioEvent.Reason);
                break;
            case BleEventKind.BackendLost:
                if (_backendAvailable)
                {
                    _log("radio: BlueZ went away; links are down until it is back");
                }

                _backendAvailable = false;
                foreach (var id in _adapters.Keys.ToList())
                {
                    AdapterGone(id, null);
                }

                _peripheralOwners.Clear();
                _nearby.Clear();
                foreach (var tracker in _trackers.Values)
                {
                    tracker.PeripheralId = null;
                }

                break;
            case BleEventKind.BackendAvailable:
                _log("radio: BlueZ is back");
                _backendAvailable = true;
                break;
        }
    }

    private void Reload()
    {
        var version = _enrolled.Version;
        if (version == _enrolledVersion)
        {
            return;
        }

        _enrolledVersion = version;
        var current = new HashSet<string>(StringComparer.Ordinal);
        foreach (var enrollment in _enrolled.List())
        {
            current.Add(enrollment.DevicePseudonym);
            if (!_trackers.TryGetValue(enrollment.DevicePseudonym, out var tracker))
            {
                tracker = new Tracker(enrollment, new DeviceHandle(Interlocked.Increment(ref _nextHandle)), _options.ReconnectInitialDelay);
                _trackers.Add(enrollment.DevicePseudonym, tracker);
                _log($"radio: tracker {enrollment.DevicePseudonym} of participant {enrollment.Participant} is enrolled ({enrollment.ProfileId})");
            }
            else
            {
                tracker.Enrollment = enrollment;
            }

            tracker.Problem = Blocker(enrollment, out tracker.Profile);
            tracker.Blocked = tracker.Problem is not null;
        }

        foreach (var (pseudonym, tracker) in _trackers.ToList())
        {
            if (!current.Contains(pseudonym))
            {
                _log($"radio: tracker {pseudonym} is no longer enrolled; disconnecting it");
                tracker.Link?.End(DisconnectReason.LocalTerminated);
                _trackers.Remove(pseudonym);
                _admitted.TryRemove(tracker.Handle.Value, out _);
            }
        }

        // Peripherals are looked up again: a tracker just enrolled may be one refused a moment ago.
        _peripheralOwners.Clear();
        _refusedPeripherals.Clear();
        foreach (var peripheral in _central.Peripherals)
        {
            PeripheralSeen(peripheral);
        }
    }

    private string? Blocker(EnrolledTracker enrollment, out FirmwareProfile? profile)
    {
        if (!_profiles.TryGetValue(enrollment.ProfileId, out profile))
        {
            return $"enrolled with profile '{enrollment.ProfileId}', which this hub does not have; install the profile or re-enroll the tracker with one of: {string.Join(", ", _profiles.Keys.Order(StringComparer.Ordinal))}";
        }

        if (!string.Equals(enrollment.Study, _study, StringComparison.Ordinal))
        {
            return $"enrolled in study '{enrollment.Study}', but this hub serves study '{_study}' (Hub:Study)";
        }

        return null;
    }

    private void PeripheralSeen(BlePeripheral peripheral)
    {
        if (_adapters.TryGetValue(peripheral.AdapterId, out var adapter))
        {
            adapter.LastAdvertisementNs = NowNs();
        }

        if (!_peripheralOwners.TryGetValue(peripheral.Id, out var owner))
        {
            owner = _enrolled.Find(peripheral.Address, peripheral.AddressType)?.DevicePseudonym;
            _peripheralOwners[peripheral.Id] = owner;
        }

        NoteNearby(peripheral, owner);

        if (owner is not null && _trackers.TryGetValue(owner, out var tracker))
        {
            if (tracker.Link is null || string.Equals(tracker.PeripheralId, peripheral.Id, StringComparison.Ordinal))
            {
                tracker.PeripheralId = peripheral.Id;
                tracker.AdapterId = peripheral.AdapterId;
            }

            tracker.Rssi = peripheral.Rssi;
            return;
        }

        if (owner is null && !_refusedPeripherals.Contains(peripheral.Id)
            && _matcher.MatchAdvertisement(peripheral.Name, peripheral.ServiceUuids, peripheral.ManufacturerData.Keys) is { } profile)
        {
            // A neighbour's tracker: never connected, decoded or kept. Counted, and audited under its pseudonym.
            _refusedPeripherals.Add(peripheral.Id);
            _neighboursRefused++;
            _enrolled.RecordRefusal(peripheral.Address, profile.Id, "not enrolled on this hub");
        }
    }

    private void PeripheralGone(string peripheralId)
    {
        _peripheralOwners.Remove(peripheralId);
        _nearby.Remove(peripheralId);
        foreach (var tracker in _trackers.Values.Concat(_probes.Values))
        {
            if (string.Equals(tracker.PeripheralId, peripheralId, StringComparison.Ordinal))
            {
                tracker.Link?.End(DisconnectReason.LinkLoss);
                tracker.PeripheralId = null;
                tracker.Rssi = null;
            }
        }
    }

    private void LinkLost(string peripheralId, DisconnectReason reason)
    {
        foreach (var tracker in _trackers.Values.Concat(_probes.Values))
        {
            if (tracker.Link is { } link && string.Equals(link.PeripheralId, peripheralId, StringComparison.Ordinal))
            {
                link.End(reason);
            }
        }
    }

    private void Tick()
    {
        Reload();
        var now = NowNs();
        foreach (var adapter in _adapters.Values)
        {
            CheckAdapter(adapter, now);
        }

        TickLiveChecks(now);
        foreach (var tracker in _trackers.Values)
        {
            if (tracker.Link is not null || tracker.Blocked || tracker.PeripheralId is null || now < tracker.NextAttemptNs || ProbeHolds(tracker.PeripheralId))
            {
                continue;
            }

            if (tracker.AdapterId is null || !_adapters.TryGetValue(tracker.AdapterId, out var adapter) || !adapter.Usable)
            {
                continue;
            }

            if (LinksOn(adapter.Adapter.Id) >= _options.MaxConnectionsPerAdapter)
            {
                continue;
            }

            StartLink(tracker, adapter);
        }
    }

    private int LinksOn(string adapterId)
    {
        var links = 0;
        foreach (var tracker in _trackers.Values.Concat(_probes.Values))
        {
            if (tracker.Link is { } link && string.Equals(link.AdapterId, adapterId, StringComparison.Ordinal))
            {
                links++;
            }
        }

        return links;
    }

    private void HandleLinkEnded(LinkEndedInput ended)
    {
        var tracker = ended.Tracker;
        if (!ReferenceEquals(tracker.Link, ended.Link))
        {
            return;
        }

        if (tracker.LiveCheck is not null)
        {
            ProbeLinkEnded(tracker, ended);
            return;
        }

        tracker.Link = null;
        var now = NowNs();
        var link = ended.Link;
        if (link.UpSinceNs != 0)
        {
            tracker.Connects++;
        }

        tracker.LastDataNs = Math.Max(tracker.LastDataNs, link.LastDataNs);
        tracker.StreamRestarts += link.StreamRestarts;
        tracker.BatteryPercent = link.BatteryPercent ?? tracker.BatteryPercent;
        if (ended.Link.UpSinceNs != 0 && now - ended.Link.UpSinceNs >= _options.StableLinkTime.Ticks * 100)
        {
            tracker.Backoff = _options.ReconnectInitialDelay;
        }

        if (ended.Failure is { } failure)
        {
            tracker.FailedConnects++;
            tracker.Problem = failure;
            _log($"radio: tracker {tracker.Enrollment.DevicePseudonym}: {failure}");
        }

        if (ended.BlockedBy is { } blocked)
        {
            tracker.Blocked = true;
            tracker.Problem = blocked;
            _log($"radio: tracker {tracker.Enrollment.DevicePseudonym} is not used: {blocked}");
        }

        if (ended.Link.AdapterId is { } adapterId && _adapters.TryGetValue(adapterId, out var adapter))
        {
            adapter.InProgressStreak = ended.ErrorKind == BleErrorKind.InProgress ? adapter.InProgressStreak + 1 : 0;
            if (adapter.InProgressStreak >= _options.InProgressLimit)
            {
                Recover(adapter, $"{adapter.InProgressStreak} connects in a row answered 'operation already in progress'");
            }
        }

        // Full jitter on half the delay: trackers that dropped together (a participant walking out of the room) do not
        // all come back in the same instant.
        var delay = tracker.Backoff.Ticks * 100;
        var jittered = (delay / 2) + (long)(Random.Shared.NextDouble() * (delay / 2));
        tracker.NextAttemptNs = now + jittered;
        tracker.Backoff = TimeSpan.FromTicks(Math.Min(tracker.Backoff.Ticks * 2, _options.ReconnectMaxDelay.Ticks));
    }

    private void PublishStatus()
    {
        var adapters = new List<AdapterStatus>(_adapters.Count);
        var problems = new List<string>();
        foreach (var adapter in _adapters.Values)
        {
            var links = LinksOn(adapter.Adapter.Id);
            adapters.Add(new AdapterStatus(adapter.Adapter.Name, adapter.Adapter.Powered, adapter.Adapter.Discovering, links, _options.MaxConnectionsPerAdapter));
            var waiting = 0;
            foreach (var tracker in _trackers.Values)
            {
                if (tracker.Link is null && !tracker.Blocked && tracker.PeripheralId is not null
                    && string.Equals(tracker.AdapterId, adapter.Adapter.Id, StringComparison.Ordinal))
                {
                    waiting++;
                }
            }

            if (waiting > 0 && links >= _options.MaxConnectionsPerAdapter)
            {
                problems.Add($"adapter {adapter.Adapter.Name} holds at most {_options.MaxConnectionsPerAdapter} links (Radio:MaxConnectionsPerAdapter) and all are in use: {waiting} enrolled tracker(s) in range wait; add an adapter or move trackers to another hub");
            }
        }

        if (!_backendAvailable)
        {
            problems.Add("BlueZ is not available on the system bus; trackers are not connected until it is back");
        }
        else if (_adapters.Count == 0)
        {
            problems.Add("no Bluetooth adapter; plug one in or check 'bluetoothctl list'");
        }

        var trackers = new List<TrackerStatus>(_trackers.Count);
        foreach (var tracker in _trackers.Values.OrderBy(static t => t.Enrollment.DevicePseudonym, StringComparer.Ordinal))
        {
            var link = tracker.Link;
            var state = tracker.Blocked ? TrackerLinkState.Blocked
                : link is { UpSinceNs: > 0 } ? TrackerLinkState.Streaming
                : link is not null ? TrackerLinkState.Connecting
                : tracker.PeripheralId is null ? TrackerLinkState.NotSeen
                : TrackerLinkState.Waiting;
            trackers.Add(new TrackerStatus(
                tracker.Enrollment.DevicePseudonym,
                tracker.Enrollment.Participant,
                tracker.Enrollment.ProfileId,
                state,
                tracker.Rssi,
                link?.BatteryPercent ?? tracker.BatteryPercent,
                link?.UpSinceNs ?? 0,
                Math.Max(tracker.LastDataNs, link?.LastDataNs ?? 0),
                tracker.Connects + (link is { UpSinceNs: > 0 } ? 1 : 0),
                tracker.FailedConnects,
                tracker.StreamRestarts + (link?.StreamRestarts ?? 0),
                tracker.Problem));
        }

        Volatile.Write(ref _status, new RadioStatus(adapters, trackers, _neighboursRefused, _adapterRecoveries, _backendAvailable, problems));
        PublishNearby();
    }

    private async Task StopLinksAsync()
    {
        var running = new List<Task>();
        foreach (var check in _liveChecks.Values)
        {
            check.End(LiveCheckState.Ended, "the hub is stopping");
        }

        foreach (var tracker in _trackers.Values.Concat(_probes.Values))
        {
            if (tracker.Link is { } link)
            {
                link.End(DisconnectReason.LocalTerminated);
                running.Add(link.Task);
            }
        }

        foreach (var adapter in _adapters.Values)
        {
            if (adapter.Task is { } task)
            {
                running.Add(task);
            }
        }

        await Task.WhenAll(running).ConfigureAwait(false);
    }

    private long NowNs() => HubTime.NowNs(_time);

    private static async Task IgnoreCancellation(Task task)
    {
        try
        {
            await task.ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // Stopping.
        }
    }

    private abstract record Input;

    private sealed record RadioInput(BleEvent Event) : Input;

    private sealed record TickInput : Input
    {
        public static TickInput Instance { get; } = new();
    }

    private sealed record LinkEndedInput(Tracker Tracker, Link Link, string? Failure, BleErrorKind? ErrorKind, string? BlockedBy) : Input;

    private sealed record AdapterTaskDone(AdapterState Adapter) : Input;

    /// <summary>One enrolled tracker, owned by the loop.</summary>
    private sealed class Tracker(EnrolledTracker enrollment, DeviceHandle handle, TimeSpan backoff)
    {
        public EnrolledTracker Enrollment { get; set; } = enrollment;

        public DeviceHandle Handle { get; } = handle;

        public FirmwareProfile? Profile;

        public bool Blocked;

        public string? Problem;

        public string? PeripheralId { get; set; }

        public string? AdapterId { get; set; }

        public short? Rssi { get; set; }

        public Link? Link { get; set; }

        public TimeSpan Backoff { get; set; } = backoff;

        public long NextAttemptNs { get; set; }

        public long Connects { get; set; }

        public long FailedConnects { get; set; }

        public long StreamRestarts { get; set; }

        public int? BatteryPercent { get; set; }

        public long LastDataNs { get; set; }

        /// <summary>Set on a live check's tracker (not enrolled): its link feeds the check, never the pipeline.</summary>
        public LiveCheck? LiveCheck { get; init; }
    }
}
