namespace Ingest.Pipeline.Service;

/// <summary>Per-device readings for the metrics, read on the exporter's thread from what the decode loop writes.</summary>
internal sealed partial class IngestService
{
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
