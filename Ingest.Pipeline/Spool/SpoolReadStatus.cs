namespace Ingest.Pipeline.Spool;

/// <summary>What <see cref="SpoolRecordFormat.TryRead"/> found at an offset.</summary>
internal enum SpoolReadStatus
{
    /// <summary>A whole record of the expected segment whose header and body checksums match.</summary>
    Valid = 0,

    /// <summary>The bytes end before the record does (a torn tail, or the end of the data).</summary>
    NeedMoreData = 1,

    /// <summary>No valid header here: bad magic, version, kind, header checksum, or a length over a limit.</summary>
    BadHeader = 2,

    /// <summary>A valid header whose body checksum does not match: the record is corrupt, its extent is known.</summary>
    BadBody = 3,

    /// <summary>A valid record of another segment: stale bytes left in a recycled file, i.e. the end of the data.</summary>
    OtherSegment = 4,
}
