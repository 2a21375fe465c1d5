using System.Runtime.CompilerServices;

namespace Ingest.Pipeline.Decoding.Sig;

/// <summary>
/// The rejections the SIG decoders share, built out of line: string formatting inside a decoder's Decode would
/// enlarge its stack frame (and the prolog that zeroes it) on every accepted frame too (style.md §5).
/// </summary>
internal static class SigReject
{
    /// <summary>An empty notification.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static DecodeOutcome Empty() => DecodeOutcome.Reject(RejectReason.Empty, "empty notification");

    /// <summary>A notification longer than any attribute value.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static DecodeOutcome Oversized(int length) =>
        DecodeOutcome.Reject(RejectReason.Oversized, $"notification is {length} bytes; at most {DecodeLimits.MaxFrameBytes}");

    /// <summary>Flags with reserved-for-future-use bits set; <paramref name="bits"/> names them ("5-7").</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static DecodeOutcome ReservedFlags(byte flags, string bits) =>
        DecodeOutcome.Reject(RejectReason.ImpossibleFlags, $"flags 0x{flags:X2} set reserved bits {bits}");

    /// <summary>Bytes after the last field the flags announce.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static DecodeOutcome TrailingBytes(int extra, byte flags, int defined) =>
        DecodeOutcome.Reject(RejectReason.TrailingBytes, $"{extra} byte(s) after the last field (flags 0x{flags:X2} define {defined})");

    /// <summary>A field the flags or layout require that the frame cuts short.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static DecodeOutcome Truncated(string field, int needed, int available) => DecodeOutcome.Truncated(field, needed, available);

    /// <summary>A Date Time time stamp with a field out of range.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static DecodeOutcome InvalidTimeStamp(ReadOnlySpan<byte> field) =>
        DecodeOutcome.Reject(RejectReason.InvalidValue, SigDateTime.Describe(field));
}
