using Ingest.Pipeline.Decoding;

namespace Ingest.Pipeline.Output;

/// <summary>The kebab-case names of <see cref="RejectReason"/> used in output and expected files.</summary>
public static class RejectReasons
{
    /// <summary>The name written for <paramref name="reason"/>.</summary>
    public static string Name(RejectReason reason) => reason switch
    {
        RejectReason.None => "none",
        RejectReason.Truncated => "truncated",
        RejectReason.Oversized => "oversized",
        RejectReason.ImpossibleFlags => "impossible-flags",
        RejectReason.BadFrameType => "bad-frame-type",
        RejectReason.TrailingBytes => "trailing-bytes",
        RejectReason.InvalidValue => "invalid-value",
        RejectReason.NonIncreasingTime => "non-increasing-time",
        RejectReason.Empty => "empty",
        RejectReason.DecoderFault => "decoder-fault",
        _ => reason.ToString(),
    };
}
