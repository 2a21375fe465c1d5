namespace Ingest.Pipeline.Decoding;

/// <summary>The result of decoding one notification through a <see cref="StreamDecoder"/>.</summary>
/// <param name="Reason"><see cref="RejectReason.None"/> when accepted.</param>
/// <param name="Rows">Rows appended (0 when rejected).</param>
/// <param name="Detail">Why it was rejected, or null.</param>
public readonly record struct FrameResult(RejectReason Reason, int Rows, string? Detail)
{
    /// <summary>True when the frame was decoded.</summary>
    public bool IsAccepted => Reason == RejectReason.None;
}
