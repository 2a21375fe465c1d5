namespace Ingest.Pipeline.Decoding.Polar;

/// <summary>The result of <see cref="PmdDeltaCodec.Scan"/>: the sample count, or where and why the payload is malformed.</summary>
/// <param name="Status">Ok, or the problem.</param>
/// <param name="Samples">Samples in the payload (reference sample included) when <see cref="PmdDeltaScanStatus.Ok"/>.</param>
/// <param name="Offset">Byte offset (in the payload) of the offending reference sample or block.</param>
/// <param name="DeltaBits">The offending block's delta width.</param>
/// <param name="Needed">Bytes the offending part needs.</param>
/// <param name="Available">Bytes that remain for it.</param>
public readonly record struct PmdDeltaScan(PmdDeltaScanStatus Status, int Samples, int Offset, int DeltaBits, int Needed, int Available)
{
    /// <summary>True when the payload can be decoded.</summary>
    public bool IsOk => Status == PmdDeltaScanStatus.Ok;
}
