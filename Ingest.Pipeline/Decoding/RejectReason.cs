namespace Ingest.Pipeline.Decoding;

/// <summary>Why a notification was not decoded. Values are stable: they appear in counters and quarantine files.</summary>
public enum RejectReason
{
    /// <summary>Not rejected.</summary>
    None = 0,

    /// <summary>The frame ends before a field its flags or layout require.</summary>
    Truncated = 1,

    /// <summary>The frame is longer than any valid frame of this kind (or than <see cref="DecodeLimits.MaxFrameBytes"/>).</summary>
    Oversized = 2,

    /// <summary>Flag bits that are reserved for future use are set, or flags contradict each other.</summary>
    ImpossibleFlags = 3,

    /// <summary>The frame's type or measurement-type byte is not one this stream decodes.</summary>
    BadFrameType = 4,

    /// <summary>Bytes remain after the last field the layout defines.</summary>
    TrailingBytes = 5,

    /// <summary>A field holds a value its specification reserves or forbids (e.g. battery level above 100 %).</summary>
    InvalidValue = 6,

    /// <summary>The tracker's clock went backwards or stood still between frames.</summary>
    NonIncreasingTime = 7,

    /// <summary>An empty notification.</summary>
    Empty = 8,

    /// <summary>The decoder failed internally (a bug): the frame is kept so it can be reproduced.</summary>
    DecoderFault = 9,
}
