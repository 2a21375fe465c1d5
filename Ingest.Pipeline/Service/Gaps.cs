using Ingest.Pipeline.Batching;
using Ingest.Pipeline.Columns;

namespace Ingest.Pipeline.Service;

/// <summary>Why a device's data is missing for a while. Values are stable: they are the <c>reason</c> column of the gaps stream.</summary>
public enum GapReason : byte
{
    /// <summary>The device's link was down (out of range, switched off, radio trouble).</summary>
    Disconnected = 1,

    /// <summary>Intake was paused because the spool was full: notifications waited in the radio's buffers and may have been lost there.</summary>
    IntakePaused = 2,

    /// <summary>The hub itself was not running (power cut, crash, restart): from its last sign of life to its start.</summary>
    HubDown = 3,

    /// <summary>
    /// Frames lost inside a connection, by the tracker's own clock (Polar PMD frame timestamps): the interval before a
    /// frame that no received frame covered. Recorded for streams whose decoder can tell (<c>IFrameLossReporter</c>).
    /// </summary>
    FramesLost = 4,
}

/// <summary>
/// The per-device gaps stream (docs/wire/mqtt-contract.md): one row per interval in which the device's data is missing,
/// so completeness is honest. Stream id <c>gaps</c>, key <c>{device}.gaps</c>; <c>hub_time</c> is the gap's start.
/// </summary>
public static class Gaps
{
    /// <summary>The stream id (the topic's last level).</summary>
    public const string StreamId = "gaps";

    /// <summary>Profile and decoder recorded in the gaps stream's metadata: the hub made these rows, no decoder did.</summary>
    public const string Producer = "wearable-ingest";

    /// <summary>Index of the <c>end_time</c> column.</summary>
    public const int EndColumn = 0;

    /// <summary>Index of the <c>reason</c> column.</summary>
    public const int ReasonColumn = 1;

    /// <summary>The rows' shape: start (hub_time), end, reason.</summary>
    public static StreamSchema Schema { get; } = new(
    [
        new ColumnSpec { Name = "end_time", Kind = ColumnKind.TimestampNs, Unit = "ns", Description = "end of the gap (hub UTC); hub_time is its start" },
        new ColumnSpec { Name = "reason", Kind = ColumnKind.UInt8, Description = "1 disconnected, 2 intake paused (spool full), 3 hub down, 4 frames lost (by the tracker's clock)" },
    ], hasDeviceTime: false);

    /// <summary>The stream's description with its origin.</summary>
    public static StreamDescription Describe(string version, StreamOrigin origin) => new(Producer, version, Producer) { Origin = origin };

    /// <summary>Appends one gap row.</summary>
    public static void Append(StreamColumns columns, long startNs, long endNs, GapReason reason)
    {
        ArgumentNullException.ThrowIfNull(columns);
        columns.HubTime.Append(startNs);
        columns.Values<long>(EndColumn).Append(Math.Max(startNs, endNs));
        columns.Values<byte>(ReasonColumn).Append((byte)reason);
        if (!columns.TryCommit(out _))
        {
            throw new InvalidOperationException("gap columns out of step");
        }
    }
}
