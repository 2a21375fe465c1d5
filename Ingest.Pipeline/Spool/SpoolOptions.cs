namespace Ingest.Pipeline.Spool;

/// <summary>
/// Spool settings: immutable, defaults as named constants with their reason, checked in <see cref="Validate"/>.
/// <para>
/// Full policy: when unreclaimed segments plus queued appends would exceed <see cref="MaxTotalBytes"/>, appends
/// wait (backpressure) until released space is reclaimed; nothing is ever dropped. <see cref="SegmentSpool.IsFull"/>
/// and <see cref="SpoolStatistics.FullEvents"/> make this visible so intake can pause. The recycle pool adds at
/// most <see cref="RecyclePoolSegments"/> × <see cref="SegmentBytes"/> on top of the bound.
/// </para>
/// </summary>
internal sealed record SpoolOptions
{
    /// <summary>16 MiB: reclaim granularity (as Greengrass' stream segments); a few seconds of recovery scan on a Pi.</summary>
    public const long DefaultSegmentBytes = 16L * 1024 * 1024;

    /// <summary>1 GiB: over a day at a busy hub's 10 KiB/s, and a small share of a 16 GB SD card.</summary>
    public const long DefaultMaxTotalBytes = 1024L * 1024 * 1024;

    /// <summary>64 KiB: below this a commit rewrites the same partly-filled page (libraries.md "Spool engines").</summary>
    public const int DefaultCommitBytes = 64 * 1024;

    /// <summary>100 ms: with 64 KiB, what reached ≤ 1.1 disk bytes per payload byte; far below publish latency needs.</summary>
    public static readonly TimeSpan DefaultCommitWindow = TimeSpan.FromMilliseconds(100);

    /// <summary>2: released segments kept for reuse (overwriting allocated blocks skips journal work); more only wastes card.</summary>
    public const int DefaultRecyclePoolSegments = 2;

    /// <summary>1 s: each checkpoint costs a create, rename and two syncs; releases need not be durable sooner.</summary>
    public static readonly TimeSpan DefaultCheckpointInterval = TimeSpan.FromSeconds(1);

    /// <summary>PUBACK: the default; <see cref="SpoolReleaseMode.PlatformReceipt"/> when the platform sends receipts.</summary>
    public const SpoolReleaseMode DefaultReleaseMode = SpoolReleaseMode.PublishAcknowledged;

    /// <summary>The spool directory (its own; nothing else should write there).</summary>
    public required string Directory { get; init; }

    /// <summary>Soft size of a segment file: a commit group goes to a new segment when it would cross it.</summary>
    public long SegmentBytes { get; init; } = DefaultSegmentBytes;

    /// <summary>Bound on unreclaimed segment bytes plus queued appends; see the full policy above.</summary>
    public long MaxTotalBytes { get; init; } = DefaultMaxTotalBytes;

    /// <summary>A commit group is written once this many bytes are queued …</summary>
    public int CommitBytes { get; init; } = DefaultCommitBytes;

    /// <summary>… or once the oldest queued append has waited this long.</summary>
    public TimeSpan CommitWindow { get; init; } = DefaultCommitWindow;

    /// <summary>Released segments kept for reuse; beyond this they are deleted.</summary>
    public int RecyclePoolSegments { get; init; } = DefaultRecyclePoolSegments;

    /// <summary>Least time between checkpoints (a waiting full spool checkpoints at once).</summary>
    public TimeSpan CheckpointInterval { get; init; } = DefaultCheckpointInterval;

    /// <summary>Which acknowledgement releases a record.</summary>
    public SpoolReleaseMode ReleaseMode { get; init; } = DefaultReleaseMode;

    /// <summary>Throws <see cref="ArgumentException"/> naming the first invalid setting.</summary>
    public void Validate()
    {
        if (string.IsNullOrWhiteSpace(Directory))
        {
            throw new ArgumentException("Directory is required.", nameof(Directory));
        }

        if (SegmentBytes < 4096 || SegmentBytes > SpoolLimits.MaxSegmentBytes)
        {
            throw new ArgumentException($"SegmentBytes must be 4096..{SpoolLimits.MaxSegmentBytes}.", nameof(SegmentBytes));
        }

        // The active segment is never reclaimed, so one more segment must fit for released space to help.
        if (MaxTotalBytes < 2 * SegmentBytes)
        {
            throw new ArgumentException("MaxTotalBytes must be at least two segments.", nameof(MaxTotalBytes));
        }

        if (CommitBytes < 1)
        {
            throw new ArgumentException("CommitBytes must be positive.", nameof(CommitBytes));
        }

        if (CommitWindow < TimeSpan.Zero || CommitWindow > TimeSpan.FromSeconds(10))
        {
            throw new ArgumentException("CommitWindow must be 0..10 s.", nameof(CommitWindow));
        }

        if (RecyclePoolSegments < 0 || RecyclePoolSegments > 64)
        {
            throw new ArgumentException("RecyclePoolSegments must be 0..64.", nameof(RecyclePoolSegments));
        }

        if (CheckpointInterval < TimeSpan.Zero || CheckpointInterval > TimeSpan.FromMinutes(10))
        {
            throw new ArgumentException("CheckpointInterval must be 0..10 min.", nameof(CheckpointInterval));
        }

        if (ReleaseMode is not (SpoolReleaseMode.PublishAcknowledged or SpoolReleaseMode.PlatformReceipt))
        {
            throw new ArgumentException("Unknown ReleaseMode.", nameof(ReleaseMode));
        }
    }
}
