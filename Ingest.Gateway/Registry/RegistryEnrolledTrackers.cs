using System.Collections.Concurrent;
using System.Text.Json;
using Ingest.Gateway.Radio;
using Ingest.Pipeline.Intake.Radio;

namespace Ingest.Gateway.Registry;

/// <summary>
/// <see cref="IEnrolledTrackers"/> over the registry: an in-memory snapshot of the active enrollments, reloaded when the
/// database changes (<c>PRAGMA data_version</c>, polled on each call: a few microseconds), so an <c>enroll</c> in
/// another process reaches the running supervisor on its next poll. One instance is one service run: refusals are
/// audited at most once per device pseudonym per instance, and counted every time.
/// <para>
/// Never throws to the supervisor: when the registry cannot be read, the last good snapshot stays in use and
/// <see cref="LastProblem"/> says why. Thread-safety: any thread.
/// </para>
/// </summary>
internal sealed class RegistryEnrolledTrackers : IEnrolledTrackers
{
    /// <summary>Actor of the audit entries written for the service.</summary>
    public const string ServiceActor = "service";

    /// <summary>
    /// Most addresses remembered (their pseudonym, their resolution): a busy street shows hundreds of private addresses an
    /// hour, and each resolution costs one AES block per enrolled IRK; past this the memory is cleared and rebuilt.
    /// </summary>
    public const int MaxRememberedAddresses = 4096;

    /// <summary>
    /// How often the database is asked whether it changed: 50 ms. A poll costs about 35 µs (one prepared PRAGMA through
    /// Microsoft.Data.Sqlite); between polls every call is in-memory. An enrollment made by another process reaches the
    /// supervisor at most this much later; one made through this instance's registry is seen at once.
    /// </summary>
    public static readonly TimeSpan DefaultPollInterval = TimeSpan.FromMilliseconds(50);

    private readonly EnrollmentRegistry _registry;
    private readonly string _study;
    private readonly long _pollIntervalTicks;
    private long _nextPollTimestamp;
    private readonly Lock _refreshGate = new();
    private readonly ConcurrentDictionary<string, string> _pseudonyms = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, long> _refusalsByDevice = new(StringComparer.Ordinal);
    private volatile Snapshot _snapshot = Snapshot.Empty;
    private long _refusals;
    private volatile string? _lastProblem;

    /// <param name="registry">The registry (owned by the caller, which disposes it after this).</param>
    /// <param name="study">The hub's study: refused trackers are named by their pseudonym under its key.</param>
    /// <param name="pollInterval">How often to ask the database for changes (default <see cref="DefaultPollInterval"/>; zero: every call).</param>
    public RegistryEnrolledTrackers(EnrollmentRegistry registry, string study, TimeSpan? pollInterval = null)
    {
        ArgumentNullException.ThrowIfNull(registry);
        if (!RegistryLimits.IsValidId(study))
        {
            throw new ArgumentException("not a valid study id", nameof(study));
        }

        _registry = registry;
        _study = study;
        var interval = pollInterval ?? DefaultPollInterval;
        ArgumentOutOfRangeException.ThrowIfLessThan(interval, TimeSpan.Zero, nameof(pollInterval));
        _pollIntervalTicks = (long)(interval.TotalSeconds * System.Diagnostics.Stopwatch.Frequency);
        Refresh();
    }

    /// <inheritdoc />
    public long Version => Refresh().Version;

    /// <summary>Refusals recorded by this run, all devices.</summary>
    public long RefusalCount => Interlocked.Read(ref _refusals);

    /// <summary>Refusals by device pseudonym in this run.</summary>
    public IReadOnlyDictionary<string, long> RefusalsByDevice => new Dictionary<string, long>(_refusalsByDevice, StringComparer.Ordinal);

    /// <summary>Why the last reload or refusal record failed (the service logs it), or null.</summary>
    public string? LastProblem => _lastProblem;

    /// <inheritdoc />
    public IReadOnlyList<EnrolledTracker> List() => Refresh().Trackers;

    /// <inheritdoc />
    public EnrolledTracker? Find(string address, BleAddressType addressType)
    {
        var snapshot = Refresh();
        Span<byte> octets = stackalloc byte[TrackerAddress.Length];
        if (!TrackerAddress.TryParse(address, octets))
        {
            return null;
        }

        var normalized = TrackerAddress.Format(octets);
        // Identity addresses match whatever type BlueZ reports: public and random addresses with the same 48 bits are
        // different devices in theory, but a registry holding both would be refused at enrollment (one row per address).
        if (snapshot.ByAddress.TryGetValue(normalized, out var tracker))
        {
            return tracker;
        }

        if (addressType != BleAddressType.Random || !ResolvablePrivateAddress.IsResolvable(octets) || snapshot.Keys.Length == 0)
        {
            return null;
        }

        if (snapshot.Resolved.TryGetValue(normalized, out var known))
        {
            return known;
        }

        EnrolledTracker? found = null;
        foreach (var (irk, candidate) in snapshot.Keys)
        {
            if (ResolvablePrivateAddress.Resolves(irk, octets))
            {
                found = candidate;
                break;
            }
        }

        if (snapshot.Resolved.Count >= MaxRememberedAddresses)
        {
            snapshot.Resolved.Clear();
        }

        snapshot.Resolved[normalized] = found;
        return found;
    }

    /// <inheritdoc />
    public void RecordRefusal(string address, string? profileId, string reason)
    {
        Interlocked.Increment(ref _refusals);
        if (!TrackerAddress.TryNormalize(address, out var normalized))
        {
            _refusalsByDevice.AddOrUpdate("unknown", 1, static (_, n) => n + 1);
            return;
        }

        try
        {
            var device = Pseudonym(normalized);
            if (_refusalsByDevice.AddOrUpdate(device, 1, static (_, n) => n + 1) != 1)
            {
                return;
            }

            var why = string.IsNullOrWhiteSpace(reason) ? "not enrolled" : TrackerAddress.Redact(reason);
            if (why.Length > RegistryLimits.MaxReasonLength || !RegistryLimits.IsPrintable(why, RegistryLimits.MaxReasonLength))
            {
                why = "not enrolled";
            }

            var details = JsonSerializer.Serialize(new Dictionary<string, string?>
            {
                ["study"] = _study,
                ["profile"] = profileId is not null && RegistryLimits.IsValidId(profileId) ? profileId : null,
            });
            _registry.Audit.Append(ServiceActor, AuditActions.AdmissionRefused, $"device {device}", why, details);
        }
        catch (Exception ex) when (ex is RegistryException or ArgumentException)
        {
            _lastProblem = "could not record a refused tracker: " + ex.Message;
        }
    }

    /// <inheritdoc />
    public string? PseudonymOf(string address)
    {
        if (!TrackerAddress.TryNormalize(address, out var normalized))
        {
            return null;
        }

        try
        {
            return Pseudonym(normalized);
        }
        catch (Exception ex) when (ex is RegistryException or ArgumentException)
        {
            _lastProblem = "could not name a tracker near the hub: " + ex.Message;
            return null;
        }
    }

    /// <summary>The keyed pseudonym of a normalized address, remembered (a key lookup and an HMAC the first time).</summary>
    private string Pseudonym(string normalized)
    {
        if (!_pseudonyms.TryGetValue(normalized, out var device))
        {
            device = _registry.PseudonymFor(_study, normalized);
            if (_pseudonyms.Count >= MaxRememberedAddresses)
            {
                _pseudonyms.Clear();
            }

            _pseudonyms[normalized] = device;
        }

        return device;
    }

    /// <summary>The current snapshot, reloaded first when the database changed since it was taken.</summary>
    private Snapshot Refresh()
    {
        var snapshot = _snapshot;
        var now = System.Diagnostics.Stopwatch.GetTimestamp();
        if (now < Interlocked.Read(ref _nextPollTimestamp) && _registry.LocalChanges == snapshot.Stamp.Item2)
        {
            return snapshot;
        }

        Interlocked.Exchange(ref _nextPollTimestamp, now + _pollIntervalTicks);
        try
        {
            var stamp = _registry.ChangeStamp();
            if (stamp == snapshot.Stamp)
            {
                return snapshot;
            }

            lock (_refreshGate)
            {
                snapshot = _snapshot;
                stamp = _registry.ChangeStamp();
                if (stamp == snapshot.Stamp)
                {
                    return snapshot;
                }

                var loaded = Snapshot.Load(_registry.ActiveEnrollments(), stamp, snapshot);
                _snapshot = loaded;
                _lastProblem = null;
                return loaded;
            }
        }
        catch (RegistryException ex)
        {
            _lastProblem = "could not reload the enrolled trackers (using the last list): " + ex.Message;
            return snapshot;
        }
    }

    /// <summary>One immutable view of the active enrollments.</summary>
    private sealed class Snapshot
    {
        public static readonly Snapshot Empty = new([], new Dictionary<string, EnrolledTracker>(), [], (-1, -1), 0, "");

        private Snapshot(EnrolledTracker[] trackers, Dictionary<string, EnrolledTracker> byAddress, (byte[] Irk, EnrolledTracker Tracker)[] keys,
            (long, long) stamp, long version, string identity)
        {
            Trackers = trackers;
            ByAddress = byAddress;
            Keys = keys;
            Stamp = stamp;
            Version = version;
            Identity = identity;
        }

        public EnrolledTracker[] Trackers { get; }

        public Dictionary<string, EnrolledTracker> ByAddress { get; }

        public (byte[] Irk, EnrolledTracker Tracker)[] Keys { get; }

        /// <summary>Resolved private addresses (null: resolves to no enrolled tracker); valid for this snapshot only.</summary>
        public ConcurrentDictionary<string, EnrolledTracker?> Resolved { get; } = new(StringComparer.Ordinal);

        public (long, long) Stamp { get; }

        public long Version { get; }

        /// <summary>What the enrolled set is (ids of the active rows): Version moves only when this does.</summary>
        public string Identity { get; }

        public static Snapshot Load(IReadOnlyList<Enrollment> active, (long, long) stamp, Snapshot previous)
        {
            var trackers = new EnrolledTracker[active.Count];
            var byAddress = new Dictionary<string, EnrolledTracker>(StringComparer.Ordinal);
            var keys = new List<(byte[], EnrolledTracker)>();
            for (var i = 0; i < active.Count; i++)
            {
                var enrollment = active[i];
                var tracker = new EnrolledTracker(enrollment.Device, enrollment.Participant, enrollment.Study, enrollment.Site, enrollment.ProfileId);
                trackers[i] = tracker;
                byAddress[enrollment.Address] = tracker;
                if (enrollment.Irk is { } irk)
                {
                    keys.Add((irk, tracker));
                }
            }

            // Active row ids change exactly when an enrollment is added, ended or swapped (rows are never edited otherwise).
            var identity = string.Join(',', active.Select(e => e.Id));
            var version = identity == previous.Identity && previous.Stamp != Empty.Stamp ? previous.Version : previous.Version + 1;
            return new Snapshot(trackers, byAddress, [.. keys], stamp, version, identity);
        }
    }
}
