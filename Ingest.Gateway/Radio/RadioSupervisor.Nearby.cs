using System.Collections.Concurrent;
using Ingest.Gateway.Web;
using Ingest.Pipeline.Intake;
using Ingest.Pipeline.Intake.Radio;

namespace Ingest.Gateway.Radio;

/// <summary>
/// What the nurse pages need from the radio: the trackers heard near the hub (by the pseudonym they would have, never
/// an address) and live checks, short connections to a tracker that is not enrolled so its signal can be seen before
/// it is bound to a participant. A live check's link takes a slot of the adapter like any link, runs the profile's
/// setup writes so the streams flow, and hands its notifications to its <see cref="LiveCheck"/> instead of the
/// pipeline: nothing of it is admitted, spooled or published.
/// </summary>
public sealed partial class RadioSupervisor
{
    /// <summary>A check that ended stays readable this long (the page shows how it ended), then it is forgotten.</summary>
    private static readonly TimeSpan s_endedCheckKept = TimeSpan.FromMinutes(5);

    /// <summary>Most trackers listed as nearby (an apartment block can hold many; the strongest signals are kept).</summary>
    private const int MaxNearby = 64;

    // Owned by the loop.
    private readonly Dictionary<string, NearbyEntry> _nearby = new(StringComparer.Ordinal);
    private readonly Dictionary<LiveCheck, Tracker> _probes = [];

    // Shared with request threads.
    private readonly ConcurrentDictionary<string, LiveCheck> _liveChecks = new(StringComparer.Ordinal);
    private NearbySnapshot _nearbySnapshot = NearbySnapshot.Empty;

    /// <summary>Trackers heard now that match a profile, enrolled or not, strongest signal first.</summary>
    internal IReadOnlyList<NearbyTracker> Nearby => Volatile.Read(ref _nearbySnapshot).Trackers;

    /// <summary>Starts a live check of <paramref name="candidate"/> (or keeps the running one going).</summary>
    /// <returns>Its view; null when no tracker near the hub has that pseudonym, or it is enrolled already (it streams into the study).</returns>
    internal LiveCheckView? StartLiveCheck(string candidate)
    {
        var snapshot = Volatile.Read(ref _nearbySnapshot);
        if (!snapshot.ByCandidate.TryGetValue(candidate, out var found) || found.Tracker.Participant is not null
            || !_profiles.TryGetValue(found.Tracker.ProfileId, out var profile))
        {
            return null;
        }

        var now = NowNs();
        var check = _liveChecks.AddOrUpdate(candidate,
            _ => new LiveCheck(candidate, profile, now),
            (_, running) => running.IsOver ? new LiveCheck(candidate, profile, now) : running);
        check.Touch(now);
        _log($"radio: live check of {candidate} ({profile.Id}) asked for");
        return check.View(now);
    }

    /// <summary>The live check of <paramref name="candidate"/> now (and it is being looked at), or null.</summary>
    internal LiveCheckView? GetLiveCheck(string candidate)
    {
        if (!_liveChecks.TryGetValue(candidate, out var check))
        {
            return null;
        }

        var now = NowNs();
        check.Touch(now);
        return check.View(now);
    }

    /// <summary>Ends the live check of <paramref name="candidate"/>, if one runs; its link is dropped at the next tick.</summary>
    internal void StopLiveCheck(string candidate)
    {
        if (_liveChecks.TryGetValue(candidate, out var check))
        {
            check.End(LiveCheckState.Ended, "stopped");
        }
    }

    /// <summary>The address behind a nearby tracker's pseudonym, for enrolling it; never shown to anyone.</summary>
    internal (string Address, BleAddressType Type)? AddressOf(string candidate) =>
        Volatile.Read(ref _nearbySnapshot).ByCandidate.TryGetValue(candidate, out var found) ? (found.Address, found.AddressType) : null;

    /// <summary>Notes a peripheral heard (from <see cref="PeripheralSeen"/>): listed when it is enrolled or matches a profile.</summary>
    private void NoteNearby(BlePeripheral peripheral, string? owner)
    {
        if (!_nearby.TryGetValue(peripheral.Id, out var entry) || !string.Equals(entry.Name, peripheral.Name, StringComparison.Ordinal)
            || !string.Equals(entry.Owner, owner, StringComparison.Ordinal))
        {
            string? profileId = owner is not null && _trackers.TryGetValue(owner, out var tracker) ? tracker.Enrollment.ProfileId
                : _matcher.MatchAdvertisement(peripheral.Name, peripheral.ServiceUuids, peripheral.ManufacturerData.Keys)?.Id;
            if (profileId is null)
            {
                _nearby.Remove(peripheral.Id);
                return;
            }

            var candidate = owner ?? _enrolled.PseudonymOf(peripheral.Address);
            if (candidate is null)
            {
                _nearby.Remove(peripheral.Id);
                return;
            }

            entry = new NearbyEntry(peripheral.Id, candidate, owner, profileId, peripheral.Name, peripheral.Address, peripheral.AddressType);
            _nearby[peripheral.Id] = entry;
        }

        entry.AdapterId = peripheral.AdapterId;
        entry.Rssi = peripheral.Rssi ?? entry.Rssi;
        entry.LastSeenNs = NowNs();
    }

    /// <summary>Starts, watches and ends live checks (from <see cref="Tick"/>).</summary>
    private void TickLiveChecks(long now)
    {
        foreach (var (candidate, check) in _liveChecks)
        {
            if (!check.IsOver)
            {
                if (check.IsExpired(now))
                {
                    check.End(LiveCheckState.Ended, $"the check ended: nobody looked at it for {LiveCheck.IdleTimeout.TotalSeconds:0} s, or it ran {LiveCheck.MaxDuration.TotalMinutes:0} min");
                }
                else if (_trackers.ContainsKey(candidate))
                {
                    check.End(LiveCheckState.Ended, "the tracker is enrolled now and streams into the study");
                }
            }

            _probes.TryGetValue(check, out var probe);
            if (check.IsOver)
            {
                probe?.Link?.End(DisconnectReason.LocalTerminated);
                if (probe is not null && probe.Link is null)
                {
                    _probes.Remove(check);
                }

                if (probe?.Link is null && now - check.EndsNs > s_endedCheckKept.Ticks * 100)
                {
                    _liveChecks.TryRemove(new KeyValuePair<string, LiveCheck>(candidate, check));
                }

                continue;
            }

            if (probe is null)
            {
                StartProbe(check, now);
            }
        }
    }

    private void StartProbe(LiveCheck check, long now)
    {
        var entry = _nearby.Values.FirstOrDefault(e => string.Equals(e.Candidate, check.Candidate, StringComparison.Ordinal));
        if (entry is null || entry.AdapterId is null || !_adapters.TryGetValue(entry.AdapterId, out var adapter) || !adapter.Usable)
        {
            check.End(LiveCheckState.Lost, entry is null
                ? "the hub no longer hears the tracker: bring it closer, check it is charged and switched on, then check again"
                : "the Bluetooth adapter that hears the tracker is not ready; see the pre-flight checks");
            return;
        }

        if (LinksOn(adapter.Adapter.Id) >= _options.MaxConnectionsPerAdapter)
        {
            check.End(LiveCheckState.Failed,
                $"all {_options.MaxConnectionsPerAdapter} links of adapter {adapter.Adapter.Name} are in use by enrolled trackers (Radio:MaxConnectionsPerAdapter); a live check needs a free one");
            return;
        }

        var enrollment = new EnrolledTracker(check.Candidate, Participant: "", _study, Site: "", check.Profile.Id);
        var probe = new Tracker(enrollment, new DeviceHandle(Interlocked.Increment(ref _nextHandle)), _options.ReconnectInitialDelay)
        {
            Profile = check.Profile,
            LiveCheck = check,
            PeripheralId = entry.PeripheralId,
            AdapterId = entry.AdapterId,
            Rssi = entry.Rssi,
            NextAttemptNs = now,
        };
        _probes[check] = probe;
        _ = check.RunAsync();
        StartLink(probe, adapter);
    }

    /// <summary>A live check's link is over: the check says how, and nothing reconnects it (the nurse starts another).</summary>
    private static void ProbeLinkEnded(Tracker probe, LinkEndedInput ended)
    {
        probe.Link = null;
        var check = probe.LiveCheck!;
        if (ended.BlockedBy is { } blocked)
        {
            check.End(LiveCheckState.Failed, blocked);
        }
        else if (ended.Failure is { } failure)
        {
            check.End(LiveCheckState.Failed, failure);
        }
        else
        {
            check.End(LiveCheckState.Lost, $"the tracker stopped answering ({Describe(ended.Link.EndReason ?? DisconnectReason.LinkLoss)}): bring it closer, check it is charged and worn, then check again");
        }
    }

    /// <summary>True while a live check's link holds <paramref name="peripheralId"/> (an enrolled link waits for it to go).</summary>
    private bool ProbeHolds(string peripheralId)
    {
        foreach (var probe in _probes.Values)
        {
            if (probe.Link is { } link && string.Equals(link.PeripheralId, peripheralId, StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }

    private void PublishNearby()
    {
        var trackers = new List<NearbyTracker>(Math.Min(_nearby.Count, MaxNearby));
        var byCandidate = new Dictionary<string, NearbyFound>(StringComparer.Ordinal);
        foreach (var entry in _nearby.Values.OrderByDescending(static e => e.Rssi ?? short.MinValue).Take(MaxNearby))
        {
            var tracker = entry.Owner is not null ? _trackers.GetValueOrDefault(entry.Owner) : null;
            var participant = tracker?.Enrollment.Participant;
            int? battery = tracker is not null ? tracker.Link?.BatteryPercent ?? tracker.BatteryPercent
                : _liveChecks.TryGetValue(entry.Candidate, out var check) ? check.BatteryPercent : null;
            var nearby = new NearbyTracker(entry.Candidate, entry.Name, entry.ProfileId, entry.Rssi, battery, participant, entry.LastSeenNs);
            if (byCandidate.TryAdd(entry.Candidate, new NearbyFound(nearby, entry.Address, entry.AddressType)))
            {
                trackers.Add(nearby);
            }
        }

        Volatile.Write(ref _nearbySnapshot, new NearbySnapshot(trackers, byCandidate));
    }

    /// <summary>A peripheral near the hub that is enrolled or matches a profile. Owned by the loop.</summary>
    private sealed class NearbyEntry(string peripheralId, string candidate, string? owner, string profileId, string? name, string address, BleAddressType addressType)
    {
        public string PeripheralId { get; } = peripheralId;

        public string Candidate { get; } = candidate;

        public string? Owner { get; } = owner;

        public string ProfileId { get; } = profileId;

        public string? Name { get; } = name;

        public string Address { get; } = address;

        public BleAddressType AddressType { get; } = addressType;

        public string? AdapterId { get; set; }

        public short? Rssi { get; set; }

        public long LastSeenNs { get; set; }
    }

    private sealed record NearbyFound(NearbyTracker Tracker, string Address, BleAddressType AddressType);

    private sealed record NearbySnapshot(IReadOnlyList<NearbyTracker> Trackers, IReadOnlyDictionary<string, NearbyFound> ByCandidate)
    {
        public static NearbySnapshot Empty { get; } = new([], new Dictionary<string, NearbyFound>(StringComparer.Ordinal));
    }
}
