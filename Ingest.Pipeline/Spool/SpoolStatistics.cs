namespace Ingest.Pipeline.Spool;

/// <summary>A snapshot of the spool's counters (<see cref="SegmentSpool.Statistics"/>).</summary>
internal readonly record struct SpoolStatistics(
    long AppendedRecords,
    long AppendedPayloadBytes,
    long WrittenRecordBytes,
    long CommitGroups,
    long DataSyncs,
    long DirectorySyncs,
    long Checkpoints,
    long CheckpointFailures,
    long FullEvents,
    bool IsFull,
    long UsedBytes,
    long UnreleasedRecords,
    long SegmentsRecycled,
    long SegmentsDeleted);
