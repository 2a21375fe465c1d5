namespace Ingest.Pipeline.Spool;

/// <summary>The fixed header of one spool record, after its checksum and limits were checked.</summary>
internal readonly record struct SpoolRecordHeader(
    long Segment,
    long RecordNumber,
    long Sequence,
    int RowCount,
    int HubLength,
    int StreamLength,
    int PayloadLength)
{
    /// <summary>Bytes of the whole record (header, identity, payload, trailer); bounded by the limits checked at read.</summary>
    public int TotalLength => SpoolRecordFormat.HeaderBytes + HubLength + StreamLength + PayloadLength + SpoolRecordFormat.TrailerBytes;
}
