namespace Ingest.Pipeline.Decoding;

/// <summary>Running totals of one stream's decoding. Written by the decode loop only; read anywhere (torn reads are harmless for monitoring).</summary>
public sealed class DecodeCounters
{
    private readonly long[] _rejectedByReason = new long[Enum.GetValues<RejectReason>().Length];

    /// <summary>Notifications decoded.</summary>
    public long FramesAccepted { get; private set; }

    /// <summary>Notifications rejected, for any reason.</summary>
    public long FramesRejected { get; private set; }

    /// <summary>Rows (samples) appended.</summary>
    public long Samples { get; private set; }

    /// <summary>Rejections with <paramref name="reason"/>.</summary>
    public long Rejected(RejectReason reason) => _rejectedByReason[(int)reason];

    internal void CountAccepted(int rows)
    {
        FramesAccepted++;
        Samples += rows;
    }

    internal void CountRejected(RejectReason reason)
    {
        FramesRejected++;
        _rejectedByReason[(int)reason]++;
    }
}
