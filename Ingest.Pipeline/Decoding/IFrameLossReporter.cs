namespace Ingest.Pipeline.Decoding;

/// <summary>
/// A decoder whose frames carry the tracker's own clock or counter and so can tell when frames went missing between two
/// it received (Polar PMD: frame timestamps). The service turns each loss into a gap row (reason FramesLost), so
/// completeness counts what the radio dropped inside a connection too.
/// </summary>
public interface IFrameLossReporter
{
    /// <summary>
    /// After an accepted frame: true, with the length of tracker time no received frame covered just before it, when
    /// frames were lost; false otherwise. Each loss is reported once.
    /// </summary>
    bool TryTakeLoss(out long lostNs);
}
