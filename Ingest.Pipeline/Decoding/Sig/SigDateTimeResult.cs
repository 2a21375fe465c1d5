namespace Ingest.Pipeline.Decoding.Sig;

/// <summary>What a Bluetooth SIG Date Time field (0x2A08) held; see <see cref="SigDateTime"/>.</summary>
internal enum SigDateTimeResult
{
    /// <summary>A complete date and time.</summary>
    Known,

    /// <summary>Valid, but year, month or day is 0 ("not known") or the year lies outside timestamp[ns]: no instant.</summary>
    Unknown,

    /// <summary>A field is outside its range (month 13, 31 February, hour 24 …): the frame is rejected.</summary>
    Invalid,
}
