namespace Ingest.Pipeline.Decoding.Polar;

/// <summary>What <see cref="PmdDeltaCodec.Scan"/> found wrong with a delta-compressed payload, if anything.</summary>
public enum PmdDeltaScanStatus
{
    /// <summary>Well formed: every block lies within the payload.</summary>
    Ok = 0,

    /// <summary>The payload ends inside the reference sample.</summary>
    TruncatedReference = 1,

    /// <summary>One byte remains where a block header (deltaBits, sampleCount) needs two.</summary>
    TruncatedBlockHeader = 2,

    /// <summary>A block's packed deltas run past the end of the payload.</summary>
    TruncatedBlock = 3,

    /// <summary>A block's delta width exceeds the reference resolution or 32 bits.</summary>
    DeltaTooWide = 4,

    /// <summary>A block declares samples with 0-bit deltas (the SDK would silently drop them).</summary>
    ZeroWidthDeltas = 5,

    /// <summary>The payload holds more samples than <see cref="DecodeLimits.MaxSamplesPerFrame"/>.</summary>
    TooManySamples = 6,
}
