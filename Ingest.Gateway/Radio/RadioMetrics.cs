using System.Diagnostics.Metrics;
using Ingest.Pipeline.Service;

namespace Ingest.Gateway.Radio;

/// <summary>
/// The radio's instruments (meter <see cref="MeterName"/>), all observed from <see cref="RadioSupervisor.Status"/> at
/// collection time, so the supervisor's loop counts nothing extra: adapter slots used and their limit, adapter
/// recoveries, neighbours refused, trackers by link state, and each tracker's connects, failed connects and stream
/// restarts. Labels: the adapter's short name (<c>hci0</c>), the tracker's pseudonym (never an address; at most
/// <see cref="IngestMetrics.MaxLabelledDevices"/> trackers, the rest summed under <see cref="IngestMetrics.OtherDevices"/>)
/// and the link state. Names follow the same conventions as <see cref="IngestMetrics"/> (docs/metrics.md).
/// Thread-safe: the status is an immutable snapshot.
/// </summary>
internal sealed class RadioMetrics : IDisposable
{
    /// <summary>The meter's name.</summary>
    public const string MeterName = "WearableIngest.Radio";

    /// <summary>Adapters given their own label: a hub has one or two; more is a misconfiguration, not more series.</summary>
    public const int MaxLabelledAdapters = 8;

    private static readonly TrackerLinkState[] s_states = Enum.GetValues<TrackerLinkState>();

    private readonly Meter _meter;
    private readonly Func<RadioStatus> _status;

    /// <summary>Creates the meter over <paramref name="status"/> (read at each collection).</summary>
    public RadioMetrics(Func<RadioStatus> status)
    {
        _status = status;
        _meter = new Meter(MeterName);
        _meter.CreateObservableUpDownCounter("wearable_ingest.radio.adapter.link.usage",
            () => AdapterMeasurements(static a => a.Links), "{link}", "Links connecting or up on the adapter (connection slots used)");
        _meter.CreateObservableUpDownCounter("wearable_ingest.radio.adapter.link.limit",
            () => AdapterMeasurements(static a => a.MaxLinks), "{link}", "Connection slots the adapter may use (Radio:MaxConnectionsPerAdapter)");
        _meter.CreateObservableGauge("wearable_ingest.radio.adapter.powered",
            () => AdapterMeasurements(static a => a.Powered ? 1 : 0), unit: null, "1 while the adapter is powered, else 0");
        _meter.CreateObservableCounter("wearable_ingest.radio.adapter.recoveries", () => _status().AdapterRecoveries, "{recovery}",
            "Adapter power-cycles done to recover a wedged or powered-off adapter");
        _meter.CreateObservableCounter("wearable_ingest.radio.neighbours.refused", () => _status().NeighboursRefused, "{tracker}",
            "Trackers seen that match a profile but are not enrolled (never connected)");
        // Plural, not OpenTelemetry's ".count": Prometheus reserves the _count suffix for histograms and summaries (promtool lints it).
        _meter.CreateObservableUpDownCounter("wearable_ingest.radio.trackers", TrackersByState, "{tracker}", "Enrolled trackers, by link state");
        _meter.CreateObservableCounter("wearable_ingest.radio.tracker.connects",
            () => TrackerMeasurements(static t => t.Connects), "{connect}", "Links made to the tracker, by device");
        _meter.CreateObservableCounter("wearable_ingest.radio.tracker.connect_failures",
            () => TrackerMeasurements(static t => t.FailedConnects), "{failure}", "Connect or setup attempts that failed, by device");
        _meter.CreateObservableCounter("wearable_ingest.radio.tracker.stream_restarts",
            () => TrackerMeasurements(static t => t.StreamRestarts), "{restart}", "Streams restarted because they stopped delivering, by device");
    }

    /// <summary>The meter.</summary>
    public Meter Meter => _meter;

    /// <summary>The Prometheus and OTLP label value of a link state (snake_case, as label values conventionally are).</summary>
    public static string StateLabel(TrackerLinkState state) => state switch
    {
        TrackerLinkState.NotSeen => "not_seen",
        TrackerLinkState.Waiting => "waiting",
        TrackerLinkState.Connecting => "connecting",
        TrackerLinkState.Streaming => "streaming",
        TrackerLinkState.Blocked => "blocked",
        _ => "unknown",
    };

    /// <inheritdoc />
    public void Dispose() => _meter.Dispose();

    private List<Measurement<int>> AdapterMeasurements(Func<AdapterStatus, int> value)
    {
        var adapters = _status().Adapters;
        var list = new List<Measurement<int>>(Math.Min(adapters.Count, MaxLabelledAdapters));
        foreach (var adapter in adapters)
        {
            if (list.Count == MaxLabelledAdapters)
            {
                break;
            }

            list.Add(new Measurement<int>(value(adapter), new KeyValuePair<string, object?>("adapter", adapter.Name)));
        }

        return list;
    }

    private List<Measurement<int>> TrackersByState()
    {
        var counts = new int[s_states.Length];
        foreach (var tracker in _status().Trackers)
        {
            var index = Array.IndexOf(s_states, tracker.State);
            if (index >= 0)
            {
                counts[index]++;
            }
        }

        // Every state, also at 0, so a dashboard's stacked series do not come and go.
        var list = new List<Measurement<int>>(s_states.Length);
        for (var i = 0; i < s_states.Length; i++)
        {
            list.Add(new Measurement<int>(counts[i], new KeyValuePair<string, object?>("state", StateLabel(s_states[i]))));
        }

        return list;
    }

    private List<Measurement<long>> TrackerMeasurements(Func<TrackerStatus, long> value)
    {
        // The supervisor lists trackers by pseudonym; past the cap they are summed, as IngestMetrics does (a tracker enrolled
        // mid-run on a hub past the cap can move the boundary: the affected series reset, which rate() tolerates).
        var sums = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var tracker in _status().Trackers)
        {
            var device = sums.ContainsKey(tracker.Device) || sums.Count < IngestMetrics.MaxLabelledDevices ? tracker.Device : IngestMetrics.OtherDevices;
            sums[device] = sums.GetValueOrDefault(device) + value(tracker);
        }

        var list = new List<Measurement<long>>(sums.Count);
        foreach (var (device, count) in sums)
        {
            list.Add(new Measurement<long>(count, new KeyValuePair<string, object?>("device", device)));
        }

        return list;
    }
}
