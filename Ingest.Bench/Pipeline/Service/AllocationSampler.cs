using System.Diagnostics.Tracing;

namespace Ingest.Bench.Pipeline.Service;

/// <summary>
/// Where allocations come from, in-process and without a profiler: the runtime's GC AllocationTick event fires about
/// every 100 KB allocated on a thread and names the type being allocated then, so the counts per type are a sample of
/// the allocation volume by type. The listener itself allocates a little per event (one per ~100 KB): negligible.
/// </summary>
internal sealed class AllocationSampler : EventListener
{
    private const long GcKeyword = 0x1;
    private readonly Dictionary<string, long> _bytesByType = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();
    private volatile bool _recording;

    public void Start() => _recording = true;

    public void Stop() => _recording = false;

    /// <summary>Sampled bytes by type, largest first.</summary>
    public IReadOnlyList<(string Type, long Bytes)> Top(int count)
    {
        lock (_lock)
        {
            return [.. _bytesByType.OrderByDescending(p => p.Value).Take(count).Select(p => (p.Key, p.Value))];
        }
    }

    protected override void OnEventSourceCreated(EventSource eventSource)
    {
        ArgumentNullException.ThrowIfNull(eventSource);
        if (eventSource.Name == "Microsoft-Windows-DotNETRuntime")
        {
            EnableEvents(eventSource, EventLevel.Verbose, (EventKeywords)GcKeyword);
        }
    }

    protected override void OnEventWritten(EventWrittenEventArgs eventData)
    {
        ArgumentNullException.ThrowIfNull(eventData);
        if (!_recording || eventData.EventName is null || !eventData.EventName.StartsWith("GCAllocationTick", StringComparison.Ordinal) || eventData.PayloadNames is null)
        {
            return;
        }

        var type = "?";
        long amount = 0;
        for (var i = 0; i < eventData.PayloadNames.Count; i++)
        {
            switch (eventData.PayloadNames[i])
            {
                case "TypeName":
                    type = eventData.Payload?[i] as string ?? "?";
                    break;
                case "AllocationAmount64":
                    amount = Convert.ToInt64(eventData.Payload?[i], System.Globalization.CultureInfo.InvariantCulture);
                    break;
                case "AllocationAmount" when amount == 0:
                    amount = Convert.ToInt64(eventData.Payload?[i], System.Globalization.CultureInfo.InvariantCulture);
                    break;
            }
        }

        lock (_lock)
        {
            _bytesByType[type] = _bytesByType.GetValueOrDefault(type) + amount;
        }
    }
}
