using Ingest.Pipeline.Service;

namespace Ingest.Bench.Pipeline.Service;

/// <summary>
/// Exact notification → PUBACK latency for a <see cref="FixedRateSource"/> run. A batch of a stream holds that stream's
/// notifications after the previous batch's last one, up to its own last hub time (the last row of a frame carries the
/// notification's hub time; earlier rows are spread before it), and each notification's hub time is its due time. So
/// when a batch is published the notifications it carries are found by index, and when its PUBACK arrives each of them
/// is recorded as PUBACK time − its hub time (only those due inside the measured window).
/// </summary>
internal sealed class NotificationLatency
{
    private readonly FixedRateSource _source;
    private readonly Dictionary<string, int> _streamIndex;
    private readonly int[][] _notificationsOf;
    private readonly int[] _cursor;

    public NotificationLatency(FleetRecording recording, FixedRateSource source)
    {
        _source = source;
        _streamIndex = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < recording.StreamKeys.Count; i++)
        {
            _streamIndex[recording.StreamKeys[i]] = i;
        }

        var lists = new List<int>[recording.StreamKeys.Count];
        for (var i = 0; i < lists.Length; i++)
        {
            lists[i] = [];
        }

        var index = 0;
        foreach (var entry in recording.Entries)
        {
            if (entry.IsEvent)
            {
                continue;
            }

            if (entry.Stream >= 0)
            {
                lists[entry.Stream].Add(index);
            }

            index++;
        }

        _notificationsOf = [.. lists.Select(l => l.ToArray())];
        _cursor = new int[lists.Length];
    }

    /// <summary>Per notification due in the window.</summary>
    public LatencyHistogram PerNotification { get; } = new();

    /// <summary>Notifications acknowledged, whole run.</summary>
    public long Acknowledged => Interlocked.Read(ref _acknowledged);

    /// <summary>Indices of the measured window: [first, end).</summary>
    public long WindowFirst { get; set; } = long.MaxValue;

    public long WindowEnd { get; set; } = long.MaxValue;

    private long _acknowledged;

    /// <summary>Called in publish order (one task): the notifications the batch carries, as a range of its stream's list.</summary>
    public (int Stream, int From, int To) Published(OutgoingBatch batch, long lastHubTimeNs)
    {
        if (!_streamIndex.TryGetValue(batch.Identity.Stream, out var stream))
        {
            return (-1, 0, 0);
        }

        var last = _source.IndexOf(lastHubTimeNs);
        var list = _notificationsOf[stream];
        var from = _cursor[stream];
        var to = from;
        while (to < list.Length && list[to] <= last)
        {
            to++;
        }

        _cursor[stream] = to;
        return (stream, from, to);
    }

    /// <summary>Records the PUBACK of a batch's notifications.</summary>
    public void RecordAcknowledged((int Stream, int From, int To) range, long ackNs)
    {
        if (range.Stream < 0)
        {
            return;
        }

        var list = _notificationsOf[range.Stream];
        for (var i = range.From; i < range.To; i++)
        {
            var index = list[i];
            if (index >= WindowFirst && index < WindowEnd)
            {
                PerNotification.Record(ackNs - _source.DueNs(index));
            }
        }

        Interlocked.Add(ref _acknowledged, range.To - range.From);
    }
}
