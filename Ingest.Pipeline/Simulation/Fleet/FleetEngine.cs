using Ingest.Pipeline.Intake;
using Ingest.Pipeline.Profiles;

namespace Ingest.Pipeline.Simulation.Fleet;

/// <summary>
/// The fleet's synchronous core: a schedule (min-heap on modelled hub receive time) of every tracker's streams and
/// faults. <see cref="Step"/> yields the next notification or event due by a horizon; the async loop in
/// <see cref="SimulatedFleet"/> only paces and writes. Deterministic for a seed and a start time; allocation-free per
/// notification once warm (pooled payloads, preallocated queues). Not thread-safe: one loop owns it.
/// </summary>
internal sealed class FleetEngine : IDisposable
{
    private const int FaultStream = -1;
    private const double NanosecondsPerHour = 3600e9;

    private readonly SimulatedFleetOptions _options;
    private readonly SimulatedFaultOptions _faults;
    private readonly NotificationBufferPool _pool;
    private readonly VirtualTracker[] _trackers;
    private readonly Actor[] _actors;
    private readonly PriorityQueue<int, (long Due, int Actor)> _schedule;
    private readonly Queue<FleetOutput> _ready;
    private readonly Queue<Notification>[] _held;
    private readonly long _resetEpochNs;
    private readonly long _latencyNs;

    public FleetEngine(IReadOnlyList<FirmwareProfile> profiles, SimulatedFleetOptions options, long hubStartNs, NotificationBufferPool pool)
    {
        _options = options;
        _faults = options.Faults;
        _pool = pool;
        _latencyNs = options.LinkLatency.Ticks * 100;
        _resetEpochNs = HubTime.ToUnixNs(_faults.ClockResetEpoch);
        HubStartNs = hubStartNs;

        var ids = options.ProfileIds;
        _trackers = new VirtualTracker[options.TrackerCount];
        _held = new Queue<Notification>[options.TrackerCount];
        var actors = new List<Actor>();
        var trackers = new SimulatedTracker[options.TrackerCount];
        for (var i = 0; i < _trackers.Length; i++)
        {
            var profile = ids is null ? profiles[i % profiles.Count] : Find(profiles, ids[i % ids.Count]);
            var random = SimRandom.For(options.Seed, i, FaultStream);
            var offsetNs = (options.ClockOffset.Ticks * 100) + (long)((random.NextDouble() * 2 - 1) * options.ClockOffsetSpread.Ticks * 100);
            var drift = options.ClockDriftPpm + ((random.NextDouble() * 2 - 1) * options.ClockDriftSpreadPpm);
            var tracker = new VirtualTracker(i, profile, new DeviceClock(hubStartNs, offsetNs, drift), new HeartModel(random.NextUInt64(), ref random));
            _trackers[i] = tracker;
            _held[i] = new Queue<Notification>(_faults.BurstLength + 2);

            // Fault actor first: at equal times a reconnect precedes the frames it makes possible.
            actors.Add(new Actor { Tracker = i, Stream = FaultStream, Random = random });
            var streams = new List<string>();
            for (var s = 0; s < profile.Streams.Count; s++)
            {
                var streamRandom = SimRandom.For(options.Seed, i, s);
                var simulator = StreamSimulators.Create(profile, profile.Streams[s], ref streamRandom);
                if (simulator is null)
                {
                    continue;
                }

                streams.Add(profile.Streams[s].Id);
                actors.Add(new Actor
                {
                    Tracker = i, Stream = s, Simulator = simulator, Random = streamRandom,
                    FaultRandom = SimRandom.For(~options.Seed, i, s),
                });
            }

            trackers[i] = new SimulatedTracker(tracker.Device, profile.Id, TimeSpan.FromTicks(offsetNs / 100), drift, streams);
        }

        Trackers = trackers;
        _actors = [.. actors];
        _schedule = new PriorityQueue<int, (long, int)>(_actors.Length);
        _ready = new Queue<FleetOutput>(256 + (_trackers.Length * (_faults.BurstLength + 4)));

        for (var a = 0; a < _actors.Length; a++)
        {
            ref var actor = ref _actors[a];
            var tracker = _trackers[actor.Tracker];
            if (actor.Stream == FaultStream)
            {
                tracker.Connected = true;
                _ready.Enqueue(new FleetOutput(true, default, new DeviceEvent(DeviceEventKind.Connected, tracker.Device, hubStartNs, tracker.Profile.Id, DisconnectReason.None)));
                actor.NextDisconnect = NextFault(ref actor.Random, hubStartNs, _faults.DisconnectsPerHour);
                actor.NextReconnect = long.MaxValue;
                actor.NextReset = NextFault(ref actor.Random, hubStartNs, _faults.ClockResetsPerHour);
                actor.NextBurst = NextFault(ref actor.Random, hubStartNs, _faults.BurstsPerHour);
                ScheduleFault(a);
            }
            else
            {
                ScheduleFrame(a);
            }
        }
    }

    public long HubStartNs { get; }

    /// <summary>Notifications produced and not yet handed out (held in bursts or queued).</summary>
    public int HeldNotifications
    {
        get
        {
            var count = 0;
            foreach (var held in _held)
            {
                count += held.Count;
            }

            foreach (var output in _ready)
            {
                count += output.IsEvent ? 0 : 1;
            }

            return count;
        }
    }

    public IReadOnlyList<SimulatedTracker> Trackers { get; }

    /// <summary>
    /// The next output due at or before <paramref name="horizonNs"/>, in hub time order; false when nothing is due yet.
    /// The caller owns a returned notification.
    /// </summary>
    public bool Step(long horizonNs, out FleetOutput output)
    {
        while (true)
        {
            if (_ready.TryDequeue(out output))
            {
                return true;
            }

            if (!_schedule.TryPeek(out var a, out var priority) || priority.Due > horizonNs)
            {
                output = default;
                return false;
            }

            _schedule.Dequeue();
            if (_actors[a].Stream == FaultStream)
            {
                FireFault(a, priority.Due);
            }
            else
            {
                FireFrame(a, priority.Due);
            }
        }
    }

    /// <summary>The next time anything is due (long.MaxValue when nothing is scheduled).</summary>
    public long NextDueNs => _ready.Count > 0 ? long.MinValue : _schedule.TryPeek(out _, out var p) ? p.Due : long.MaxValue;

    /// <summary>Releases the payloads of notifications produced but not handed out.</summary>
    public void Dispose()
    {
        while (_ready.TryDequeue(out var output))
        {
            if (!output.IsEvent)
            {
                output.Notification.Release();
            }
        }

        foreach (var held in _held)
        {
            while (held.TryDequeue(out var notification))
            {
                notification.Release();
            }
        }
    }

    private static FirmwareProfile Find(IReadOnlyList<FirmwareProfile> profiles, string id)
    {
        foreach (var profile in profiles)
        {
            if (profile.Id == id)
            {
                return profile;
            }
        }

        throw new ArgumentException($"ProfileIds names '{id}', which is not among the profiles given to the fleet");
    }

    private static long NextFault(ref SimRandom random, long fromNs, double perHour) =>
        perHour <= 0 ? long.MaxValue : fromNs + 1 + random.NextExponentialNs(NanosecondsPerHour / perHour);

    private void ScheduleFrame(int a)
    {
        ref var actor = ref _actors[a];
        var tracker = _trackers[actor.Tracker];
        actor.Tick = actor.Simulator!.FrameTick(actor.Frame);
        var due = tracker.Clock.HubTime(actor.Tick) + actor.Random.NextInt64(_latencyNs);

        // A stream's notifications arrive in order (one characteristic, one link): never before the previous one.
        due = Math.Max(due, actor.LastDue + 1);
        actor.LastDue = due;
        _schedule.Enqueue(a, (due, a));
    }

    private void ScheduleFault(int a)
    {
        ref var actor = ref _actors[a];
        var due = Math.Min(Math.Min(actor.NextDisconnect, actor.NextReconnect), Math.Min(actor.NextReset, actor.NextBurst));
        if (due != long.MaxValue)
        {
            _schedule.Enqueue(a, (due, a));
        }
    }

    private void FireFrame(int a, long due)
    {
        ref var actor = ref _actors[a];
        var tracker = _trackers[actor.Tracker];
        if (tracker.Connected)
        {
            var buffer = _pool.Rent();
            var length = actor.Simulator!.Write(buffer.Memory, actor.Frame, actor.Tick, tracker);
            var notification = new Notification(tracker.Device, actor.Simulator.Characteristic, due, buffer, length);
            if (length == 0)
            {
                notification.Release();
            }
            else
            {
                if (_faults.GarbageProbability > 0 && actor.FaultRandom.NextDouble() < _faults.GarbageProbability)
                {
                    var garbage = _pool.Rent();
                    var garbageLength = actor.Simulator.WriteGarbage(garbage.Memory, notification.Payload, actor.GarbageSent++ % 2 == 1);
                    Emit(tracker, new Notification(tracker.Device, actor.Simulator.Characteristic, due, garbage, garbageLength));
                }

                Emit(tracker, notification);
            }
        }

        actor.Frame++;
        ScheduleFrame(a);
    }

    private void Emit(VirtualTracker tracker, Notification notification)
    {
        if (tracker.BurstRemaining == 0)
        {
            _ready.Enqueue(new FleetOutput(false, notification, default));
            return;
        }

        var held = _held[tracker.Index];
        held.Enqueue(notification);
        if (--tracker.BurstRemaining == 0)
        {
            ReleaseHeld(tracker, notification.HubTimeNs);
        }
    }

    private void ReleaseHeld(VirtualTracker tracker, long hubTimeNs)
    {
        // A held notification is re-stamped with the time the link delivered it; the buffer (and its token) stays.
        var held = _held[tracker.Index];
        while (held.TryDequeue(out var n))
        {
            _ready.Enqueue(new FleetOutput(false, Restamp(n, hubTimeNs), default));
        }
    }

    private static Notification Restamp(Notification n, long hubTimeNs) => n.WithHubTime(hubTimeNs);

    private void FireFault(int a, long due)
    {
        ref var actor = ref _actors[a];
        var tracker = _trackers[actor.Tracker];
        if (due == actor.NextReconnect)
        {
            tracker.Connected = true;
            actor.NextReconnect = long.MaxValue;
            _ready.Enqueue(new FleetOutput(true, default, new DeviceEvent(DeviceEventKind.Connected, tracker.Device, due, tracker.Profile.Id, DisconnectReason.None)));
        }
        else if (due == actor.NextDisconnect)
        {
            // What a burst held gets delivered before the link drops.
            ReleaseHeld(tracker, due);
            tracker.BurstRemaining = 0;
            tracker.Connected = false;
            var reason = actor.Disconnects++ % 2 == 0 ? DisconnectReason.LinkLoss : DisconnectReason.RemoteTerminated;
            _ready.Enqueue(new FleetOutput(true, default, new DeviceEvent(DeviceEventKind.Disconnected, tracker.Device, due, null, reason)));
            actor.NextReconnect = due + (_faults.ReconnectDelay.Ticks * 100);
            actor.NextDisconnect = NextFault(ref actor.Random, actor.NextReconnect, _faults.DisconnectsPerHour);
        }
        else if (due == actor.NextReset)
        {
            tracker.Clock.Reset(tracker.Clock.TickAt(due), _resetEpochNs);
            actor.NextReset = NextFault(ref actor.Random, due, _faults.ClockResetsPerHour);
        }
        else
        {
            if (tracker.Connected && tracker.BurstRemaining == 0)
            {
                tracker.BurstRemaining = _faults.BurstLength;
            }

            actor.NextBurst = NextFault(ref actor.Random, due, _faults.BurstsPerHour);
        }

        ScheduleFault(a);
    }

    private struct Actor
    {
        public int Tracker;
        public int Stream;
        public StreamSimulator? Simulator;
        public SimRandom Random;
        public SimRandom FaultRandom;
        public long Frame;
        public long Tick;
        public long LastDue;
        public int GarbageSent;
        public int Disconnects;
        public long NextDisconnect;
        public long NextReconnect;
        public long NextReset;
        public long NextBurst;
    }
}
