namespace Ingest.Pipeline.Decoding;

/// <summary>Limits every notification is checked against before a decoder sees it.</summary>
public static class DecodeLimits
{
    /// <summary>
    /// Largest notification accepted: an ATT attribute value is at most 512 bytes (Bluetooth Core 5.4,
    /// Vol 3 Part F §3.2.9), and a notification carries at most ATT_MTU − 3 ≤ 512 of them.
    /// </summary>
    public const int MaxFrameBytes = 512;

    /// <summary>
    /// Most samples one frame may produce: 512 bytes of 1-bit single-channel deltas (Polar PMD) is 4,096.
    /// </summary>
    public const int MaxSamplesPerFrame = 4096;

    /// <summary>Highest nominal sample rate a stream may declare (Polar PPG runs at up to a few hundred Hz).</summary>
    public const double MaxSampleRateHz = 10_000;
}
