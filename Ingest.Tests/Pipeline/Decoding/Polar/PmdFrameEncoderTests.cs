using Ingest.Pipeline.Decoding.Polar;
using Ingest.Pipeline.Simulation.Polar;
using static Ingest.Tests.Pipeline.Decoding.Polar.PmdDeltaCodecTests;

namespace Ingest.Tests.Pipeline.Decoding.Polar;

/// <summary>The simulator's PMD encoder against golden bytes: the SDK's own delta vector and hand-built raw frames.</summary>
public sealed class PmdFrameEncoderTests
{
    [Fact]
    public void EncodeDelta_SdkVectorFirstBlock_ReproducesSdkBytes()
    {
        // The SDK vector's first 10 samples: reference + one block of nine 3-bit deltas (bytes 0–18 of the vector).
        var (x, y, z) = Decode3(SdkMultipleDeltas, 16);
        var samples = new int[30];
        for (var i = 0; i < 10; i++)
        {
            (samples[3 * i], samples[(3 * i) + 1], samples[(3 * i) + 2]) = (x[i], y[i], z[i]);
        }

        var frame = new byte[64];
        var length = PmdFrameEncoder.EncodeDelta(frame, PmdMeasurementType.Acc, 0x0102030405060708, 1, 3, 16, samples, blockSamples: 9);

        Assert.Equal(Hex("02 08 07 06 05 04 03 02 01 81"), frame[..PmdFrameHeader.Size]);
        Assert.Equal(SdkMultipleDeltas[..19], frame[PmdFrameHeader.Size..length]);
    }

    [Fact]
    public void EncodeAccRaw_Int16_WritesLittleEndianXyz()
    {
        var frame = new byte[16];

        var length = PmdFrameEncoder.EncodeAccRaw(frame, 1, 1, [-1], [256], [-32768]);

        Assert.Equal(Hex("02 01 00 00 00 00 00 00 00 01 FF FF 00 01 00 80"), frame[..length]);
    }

    [Fact]
    public void EncodePpi_Beat_WritesSixBytes()
    {
        var frame = new byte[16];

        var length = PmdFrameEncoder.EncodePpi(frame, 0, [new PmdPpiSample(60, 1000, 20, 0x06)]);

        Assert.Equal(Hex("03 00 00 00 00 00 00 00 00 00 3C E8 03 14 00 06"), frame[..length]);
    }

    [Theory]
    [InlineData(0, 1)]
    [InlineData(-1, 1)]
    [InlineData(1, 2)]
    [InlineData(-2, 2)]
    [InlineData(3, 3)]
    [InlineData(-4, 3)]
    [InlineData(int.MaxValue, 32)]
    [InlineData(int.MinValue, 32)]
    public void SignedBits_Value_IsTwosComplementWidth(int value, int bits)
    {
        Assert.Equal(bits, PmdFrameEncoder.SignedBits(value));
    }

    [Fact]
    public void EncodeDelta_DeltaWiderThanResolution_Throws()
    {
        var frame = new byte[64];

        Assert.Throws<ArgumentException>(() => PmdFrameEncoder.EncodeDelta(frame, PmdMeasurementType.Ecg, 0, 0, 1, 16, [-32768, 32767]));
    }
}
