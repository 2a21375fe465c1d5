namespace Ingest.Pipeline.Spool;

/// <summary>What recovery found when the spool was opened. Everything odd is counted here, never silently fixed.</summary>
internal sealed class SpoolRecoveryReport
{
    /// <summary>Segment files scanned.</summary>
    public int Segments { get; internal set; }

    /// <summary>Valid records not yet released (they will be read again).</summary>
    public long RecordsRecovered { get; internal set; }

    /// <summary>Valid records the checkpoint already released.</summary>
    public long RecordsAlreadyReleased { get; internal set; }

    /// <summary>Corrupt records whose header was intact (so their extent and samples are known), quarantined.</summary>
    public long QuarantinedRecords { get; internal set; }

    /// <summary>Samples (rows) in <see cref="QuarantinedRecords"/>.</summary>
    public long QuarantinedSamples { get; internal set; }

    /// <summary>Corrupt regions without a readable header, quarantined; their sample count is unknown.</summary>
    public long QuarantinedRegions { get; internal set; }

    /// <summary>Bytes after the last valid record of the last segment (a torn, never-acknowledged write), copied to quarantine then truncated.</summary>
    public long TornTailBytes { get; internal set; }

    /// <summary>Files written under <c>quarantine/</c>.</summary>
    public List<string> QuarantineFiles { get; } = [];

    /// <summary>Segment numbers missing between the first and last segment present.</summary>
    public List<long> MissingSegments { get; } = [];

    /// <summary>Gaps in the record numbers of unreleased records (records lost with a missing segment or a corrupt region).</summary>
    public long RecordNumberGaps { get; internal set; }

    /// <summary>Files in the spool directory that are not the spool's (ignored, left in place).</summary>
    public List<string> UnknownFiles { get; } = [];

    /// <summary>Whether a valid checkpoint was read; without one every record is published again (duplicates, no loss).</summary>
    public bool CheckpointValid { get; internal set; }

    /// <summary>Next batch sequence per (hub, stream) after the highest one found on disk, released or not.</summary>
    public Dictionary<(string Hub, string Stream), long> NextSequences { get; } = [];
}
