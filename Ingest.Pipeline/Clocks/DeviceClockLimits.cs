namespace Ingest.Pipeline.Clocks;

/// <summary>The named limits of <see cref="DeviceClockEstimator"/>: how it buckets, fits, reports and detects resets.</summary>
public static class DeviceClockLimits
{
    /// <summary>Nanoseconds per second.</summary>
    public const long NanosecondsPerSecond = 1_000_000_000;

    /// <summary>
    /// Device time one bucket covers at first: each bucket keeps only its lowest hub − device difference, so a second of
    /// frames (a few to a few dozen) gives one point near the delivery-delay floor.
    /// </summary>
    public const long InitialBucketNs = NanosecondsPerSecond;

    /// <summary>
    /// Buckets kept. When full, neighbours merge pairwise (keeping the lower point) and the bucket span doubles, so the
    /// fit always spans the whole connection with bounded memory and work.
    /// </summary>
    public const int MaxBuckets = 64;

    /// <summary>Device time the fit must span before it reports a drift (shorter spans give a drift swamped by jitter).</summary>
    public const long MinDriftSpanNs = 60 * NanosecondsPerSecond;

    /// <summary>A row at least this often in device time while the estimate holds still.</summary>
    public const long EmitEveryNs = 10 * NanosecondsPerSecond;

    /// <summary>A row sooner when the mapping moved more than this from what the last row predicts.</summary>
    public const long EmitMoveThresholdNs = 2_000_000;

    /// <summary>
    /// Device time may run back this far without a reset: streams of one device (ECG, ACC) report frames whose
    /// last-sample times interleave by up to a frame's length.
    /// </summary>
    public const long BackwardToleranceNs = 5 * NanosecondsPerSecond;

    /// <summary>
    /// A hub − device difference this far below the fitted floor is a clock step, not jitter: delivery only ever adds
    /// delay, so the difference cannot drop below the floor unless the device clock jumped forward.
    /// </summary>
    public const long StepToleranceNs = 2 * NanosecondsPerSecond;

    /// <summary>Where a Polar H10/H9 restarts its clock after about a minute off its electrodes (protocols.md §4.8).</summary>
    public static readonly long ResetEpochNs = new DateTimeOffset(2019, 1, 1, 0, 0, 0, TimeSpan.Zero).ToUnixTimeMilliseconds() * 1_000_000;

    /// <summary>A device time within this much after <see cref="ResetEpochNs"/> counts as "near the reset epoch".</summary>
    public const long ResetEpochWindowNs = 24 * 3600 * NanosecondsPerSecond;
}
