using Ingest.Gateway.Radio;
using Ingest.Gateway.Registry;
using Ingest.Pipeline.Profiles;
using Ingest.Pipeline.Service;

namespace Ingest.Gateway.Hosting;

/// <summary>
/// Writes what <c>wearable-ingest devices</c> shows into the registry every few seconds: per enrolled tracker, whether it
/// is connected, its last data, battery, samples today and completeness today. "Today" is the UTC day; counts start when
/// this run started if that was today (the platform's receiver holds the complete history). Completeness is samples
/// received ÷ (the profile's nominal rates × time connected today), shown only for profiles whose every stream has a
/// nominal rate (event streams such as PP intervals have no expected count).
/// </summary>
internal sealed class DeviceStatusWriter(EnrollmentRegistry registry, IReadOnlyList<FirmwareProfile> profiles, Action<string> log)
{
    /// <summary>How often the registry is updated: often enough for a nurse at the hub, rare enough for an SD card.</summary>
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(10);

    private readonly Dictionary<string, DayCounts> _days = new(StringComparer.Ordinal);
    private string? _lastProblem;

    /// <summary>Updates every enrolled tracker's row from the radio's and the service's status.</summary>
    public void Write(RadioStatus radio, IngestStatus ingest, DateTimeOffset now, bool stopping = false)
    {
        var today = DateOnly.FromDateTime(now.UtcDateTime);
        foreach (var tracker in radio.Trackers)
        {
            long samples = 0;
            foreach (var device in ingest.Devices)
            {
                if (string.Equals(device.Device, tracker.Device, StringComparison.Ordinal))
                {
                    samples += device.Samples;
                }
            }

            if (!_days.TryGetValue(tracker.Device, out var day) || day.Day != today)
            {
                day = new DayCounts(today, samples, now);
                _days[tracker.Device] = day;
            }

            var streaming = tracker.State == TrackerLinkState.Streaming && !stopping;
            if (day.Streaming)
            {
                day.ConnectedSeconds += (now - day.LastAt).TotalSeconds;
            }

            day.Streaming = streaming;
            day.LastAt = now;
            var samplesToday = Math.Max(0, samples - day.SamplesAtStart);
            try
            {
                registry.UpdateDeviceStatus(tracker.Device, streaming, tracker.LastDataNs > 0 ? tracker.LastDataNs : null,
                    tracker.BatteryPercent, samplesToday, Completeness(tracker.ProfileId, samplesToday, day.ConnectedSeconds));
                _lastProblem = null;
            }
            catch (RegistryException ex)
            {
                // The registry is for people; the data path never waits on it. Say it once, not every 10 s.
                if (!string.Equals(_lastProblem, ex.Message, StringComparison.Ordinal))
                {
                    log($"registry: cannot record device status: {ex.Message}");
                    _lastProblem = ex.Message;
                }
            }
        }
    }

    private double? Completeness(string profileId, long samplesToday, double connectedSeconds)
    {
        var profile = profiles.FirstOrDefault(p => string.Equals(p.Id, profileId, StringComparison.Ordinal));
        if (profile is null || connectedSeconds < 1)
        {
            return null;
        }

        double ratePerSecond = 0;
        foreach (var stream in profile.Streams)
        {
            if (stream.NominalRateHz is not { } rate || rate <= 0)
            {
                return null;
            }

            ratePerSecond += rate;
        }

        return Math.Clamp(samplesToday / (ratePerSecond * connectedSeconds), 0, 1);
    }

    private sealed class DayCounts(DateOnly day, long samplesAtStart, DateTimeOffset at)
    {
        public DateOnly Day { get; } = day;

        public long SamplesAtStart { get; } = samplesAtStart;

        public DateTimeOffset LastAt { get; set; } = at;

        public bool Streaming { get; set; }

        public double ConnectedSeconds { get; set; }
    }
}
