namespace Ingest.Pipeline.Spool;

/// <summary>
/// Where a durable record is: its spool-wide record number (increasing in append order, never reused while the
/// record is on disk), its segment and byte offset.
/// </summary>
internal readonly record struct SpoolPosition(long RecordNumber, long Segment, long Offset);
