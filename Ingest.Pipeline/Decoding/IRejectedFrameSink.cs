namespace Ingest.Pipeline.Decoding;

/// <summary>Receives rejected notifications (the quarantine). Called on the decode loop; must not block.</summary>
public interface IRejectedFrameSink
{
    /// <summary>Keeps <paramref name="frame"/>.</summary>
    void Add(RejectedFrame frame);
}
