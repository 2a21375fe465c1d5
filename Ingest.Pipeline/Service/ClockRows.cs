using Ingest.Pipeline.Batching;
using Ingest.Pipeline.Clocks;
using Ingest.Pipeline.Columns;

namespace Ingest.Pipeline.Service;

/// <summary>
/// The per-device clock stream (docs/wire/mqtt-contract.md): the device → hub clock mapping the hub estimated from the
/// device's own frame timestamps (<see cref="DeviceClockEstimator"/>), as data, so a consumer can map <c>device_time</c>
/// to hub UTC and see clock resets. Stream id <c>clock</c>, key <c>{device}.clock</c>; one row at each connection's first
/// reading, at each reset, then about every 10 s of device time or when the estimate moves. Only devices whose decoders
/// report device time (Polar PMD) have one.
/// </summary>
public static class ClockRows
{
    /// <summary>The stream id (the topic's last level).</summary>
    public const string StreamId = "clock";

    /// <summary>Index of the <c>offset_ns</c> column.</summary>
    public const int OffsetColumn = 0;

    /// <summary>Index of the <c>drift_ppm</c> column.</summary>
    public const int DriftColumn = 1;

    /// <summary>Index of the <c>samples</c> column.</summary>
    public const int SamplesColumn = 2;

    /// <summary>Index of the <c>uncertainty_ns</c> column.</summary>
    public const int UncertaintyColumn = 3;

    /// <summary>Index of the <c>event</c> column.</summary>
    public const int EventColumn = 4;

    /// <summary>The rows' shape: the reading's hub_time and device_time, then the mapping.</summary>
    public static StreamSchema Schema { get; } = new(
    [
        new ColumnSpec { Name = "offset_ns", Kind = ColumnKind.Int64, Unit = "ns", Description = "estimated hub - device at device_time (includes the link's smallest delivery delay)" },
        new ColumnSpec { Name = "drift_ppm", Kind = ColumnKind.Float64, Unit = "ppm", Nullable = true, Description = "hub ~ device + offset + drift*1e-6*(t - device_time); null until the fit spans a minute" },
        new ColumnSpec { Name = "samples", Kind = ColumnKind.Int32, Description = "device-time readings in the fit since the connection or reset" },
        new ColumnSpec { Name = "uncertainty_ns", Kind = ColumnKind.Int64, Unit = "ns", Nullable = true, Description = "RMS distance of the delay floors from the fitted line; null with one point" },
        new ColumnSpec { Name = "event", Kind = ColumnKind.UInt8, Description = "1 connection start, 2 estimate, 3 reset (the device clock jumped; the fit restarted)" },
    ], hasDeviceTime: true);

    /// <summary>The stream's description with its origin.</summary>
    public static StreamDescription Describe(string version, StreamOrigin origin) => new(Gaps.Producer, version, Gaps.Producer) { Origin = origin };

    /// <summary>Appends one clock row.</summary>
    public static void Append(StreamColumns columns, DeviceClockEvent kind, in DeviceClockEstimate estimate)
    {
        ArgumentNullException.ThrowIfNull(columns);
        columns.HubTime.Append(estimate.HubTimeNs);
        columns.DeviceTime!.Append(estimate.DeviceTimeNs);
        columns.Values<long>(OffsetColumn).Append(estimate.OffsetNs);
        var drift = columns.Values<double>(DriftColumn);
        if (double.IsNaN(estimate.DriftPpm))
        {
            drift.AppendNull();
        }
        else
        {
            drift.Append(estimate.DriftPpm);
        }

        columns.Values<int>(SamplesColumn).Append(estimate.Samples);
        var uncertainty = columns.Values<long>(UncertaintyColumn);
        if (estimate.UncertaintyNs < 0)
        {
            uncertainty.AppendNull();
        }
        else
        {
            uncertainty.Append(estimate.UncertaintyNs);
        }

        columns.Values<byte>(EventColumn).Append((byte)kind);
        if (!columns.TryCommit(out _))
        {
            throw new InvalidOperationException("clock columns out of step");
        }
    }
}
