namespace Ingest.Pipeline.Decoding;

/// <summary>A notification that was not decoded, kept with its raw bytes for inspection.</summary>
/// <param name="HubTimeNs">When the hub received it (UTC ns since the Unix epoch).</param>
/// <param name="Reason">Why it was rejected.</param>
/// <param name="Detail">What exactly was wrong.</param>
/// <param name="Raw">A copy of the notification's bytes (at most <see cref="DecodeLimits.MaxFrameBytes"/>; longer frames are cut).</param>
/// <param name="OriginalLength">The notification's full length.</param>
public sealed record RejectedFrame(long HubTimeNs, RejectReason Reason, string Detail, byte[] Raw, int OriginalLength);
