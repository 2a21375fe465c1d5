namespace Ingest.Pipeline.Decoding;

/// <summary>
/// What a decoder says about one frame: accepted, or rejected with a reason and a sentence for people.
/// Rejections may allocate their detail text; acceptance allocates nothing.
/// </summary>
public readonly struct DecodeOutcome
{
    private DecodeOutcome(RejectReason reason, string? detail)
    {
        Reason = reason;
        Detail = detail;
    }

    /// <summary>The frame was decoded and its rows appended.</summary>
    public static DecodeOutcome Accepted => default;

    /// <summary><see cref="RejectReason.None"/> when accepted.</summary>
    public RejectReason Reason { get; }

    /// <summary>What exactly was wrong, naming the field and the sizes involved.</summary>
    public string? Detail { get; }

    /// <summary>True when the frame was decoded.</summary>
    public bool IsAccepted => Reason == RejectReason.None;

    /// <summary>A rejection: <paramref name="detail"/> names the field and what was expected.</summary>
    public static DecodeOutcome Reject(RejectReason reason, string detail) => new(reason, detail);

    /// <summary>A <see cref="RejectReason.Truncated"/> rejection for a field that needed more bytes.</summary>
    public static DecodeOutcome Truncated(string field, int needed, int available) =>
        new(RejectReason.Truncated, $"{field} needs {needed} byte(s) at this point but only {available} remain");
}
