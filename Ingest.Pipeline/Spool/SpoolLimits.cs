namespace Ingest.Pipeline.Spool;

/// <summary>
/// Limits checked before any length or count read from a spool file is used (spool files are untrusted input:
/// a torn write, a flipped bit or another program can put anything there). Writers are held to the same limits.
/// </summary>
internal static class SpoolLimits
{
    /// <summary>Hub id bytes (UTF-8); hub ids are short tokens.</summary>
    public const int MaxHubBytes = 128;

    /// <summary>Stream key bytes (UTF-8), e.g. <c>p-0042/ecg</c>.</summary>
    public const int MaxStreamBytes = 256;

    /// <summary>One sealed batch's Arrow bytes; a batch is seconds of samples, far below this.</summary>
    public const int MaxPayloadBytes = 16 * 1024 * 1024;

    /// <summary>Rows in one batch (stated in the header so a quarantined record's samples can be counted).</summary>
    public const int MaxRowCount = 1 << 24;

    /// <summary>Largest encoded record: header, identity, payload and trailer.</summary>
    public const int MaxRecordBytes = SpoolRecordFormat.HeaderBytes + MaxHubBytes + MaxStreamBytes + MaxPayloadBytes + SpoolRecordFormat.TrailerBytes;

    /// <summary>Largest segment size an option may ask for.</summary>
    public const long MaxSegmentBytes = 256L * 1024 * 1024;

    /// <summary>A segment file longer than this is not read into memory at recovery; it is quarantined whole.</summary>
    public const long MaxSegmentFileBytes = MaxSegmentBytes + MaxRecordBytes;
}
