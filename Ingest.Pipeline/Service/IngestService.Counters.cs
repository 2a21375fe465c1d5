namespace Ingest.Pipeline.Service;

/// <summary>Per-stream and per-device readings for the metrics, read on the exporter's thread from what the decode loop writes.</summary>
internal sealed partial class IngestService
{
    /// <summary>
    /// Each admitted device's data streams, in the order the devices were first seen: samples decoded, and the samples
    /// the profile's nominal rate expects over the time the device was connected.
    /// </summary>
    public IReadOnlyList<StreamCounters> StreamCounts()
    {
        var now = NowNs();
        var list = new List<StreamCounters>();
        foreach (var device in _deviceList)
        {
            if (device.Admitted is not { } admitted)
            {
                continue;
            }

            var connectedSeconds = device.Link.ConnectedNs(now) / 1e9;
            foreach (var stream in device.Streams)
            {
                var rate = stream.Origin.NominalRateHz;
                list.Add(new StreamCounters(admitted.Device, stream.Origin.StreamId, Volatile.Read(ref stream.Samples),
                    rate is { } hz ? hz * connectedSeconds : null));
            }
        }

        return list;
    }

    /// <summary>The latest clock estimate of each admitted device that has one (devices whose frames carry their clock).</summary>
    public IReadOnlyList<DeviceClockOffset> ClockOffsets()
    {
        var list = new List<DeviceClockOffset>();
        foreach (var device in _deviceList)
        {
            if (device.Admitted is { } admitted && device.LatestClock is { } estimate)
            {
                list.Add(new DeviceClockOffset(admitted.Device, estimate.OffsetNs, estimate.DriftPpm));
            }
        }

        return list;
    }
}
