using Ingest.Pipeline.Decoding;
using Ingest.Pipeline.Decoding.Sig;
using static Ingest.Tests.Pipeline.Decoding.Sig.SigTestSupport;

namespace Ingest.Tests.Pipeline.Decoding.Sig;

public sealed class RscMeasurementDecoderTests
{
    private readonly RscMeasurementDecoder _decoder = new();

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    [InlineData(5)]
    [InlineData(6)]
    [InlineData(7)]
    public void Decode_EveryFlagCombination_ReadsEachFieldFromItsPlace(int flags)
    {
        // RSCS 1.0: speed 0x0300 = 768/256 = 3 m/s, cadence 170, stride 0x006E = 1.10 m, distance 0x00002710 = 1000.0 m.
        var frame = new List<byte> { (byte)flags, 0x00, 0x03, 0xAA };
        if ((flags & 0x01) != 0)
        {
            frame.AddRange([0x6E, 0x00]);
        }

        if ((flags & 0x02) != 0)
        {
            frame.AddRange([0x10, 0x27, 0x00, 0x00]);
        }

        var columns = Accept(_decoder, frame.ToArray());

        Assert.Equal((ushort)768, Value<ushort>(columns, "speed"));
        Assert.Equal((byte)170, Value<byte>(columns, "cadence"));
        Assert.Equal((flags & 0x01) != 0 ? (ushort)110 : null, Value<ushort>(columns, "stride_length"));
        Assert.Equal((flags & 0x02) != 0 ? 10_000u : null, Value<uint>(columns, "total_distance"));
        Assert.Equal((byte)((flags >> 2) & 1), Value<byte>(columns, "running"));
    }

    [Fact]
    public void Decode_MaximumValues_AreKept()
    {
        var columns = Accept(_decoder, Hex("03 FF FF FF FF FF FF FF FF FF"));

        Assert.Equal(ushort.MaxValue, Value<ushort>(columns, "speed"));
        Assert.Equal(byte.MaxValue, Value<byte>(columns, "cadence"));
        Assert.Equal(ushort.MaxValue, Value<ushort>(columns, "stride_length"));
        Assert.Equal(uint.MaxValue, Value<uint>(columns, "total_distance"));
    }

    [Fact]
    public void Schema_Scales_FollowTheSpecResolutions()
    {
        var columns = _decoder.Schema.Columns;

        Assert.Equal(1.0 / 256, columns[0].Scale);
        Assert.Equal("m/s", columns[0].Unit);
        Assert.Equal(0.01, columns[2].Scale);
        Assert.Equal(0.1, columns[3].Scale);
        Assert.Equal("m", columns[3].Unit);
    }

    [Fact]
    public void Decode_TruncatedAtEveryByte_RejectsTruncated()
    {
        var frame = Hex("07 00 03 AA 6E 00 10 27 00 00");
        Accept(_decoder, frame);
        for (var length = 1; length < frame.Length; length++)
        {
            Reject(_decoder, frame.AsSpan(0, length), RejectReason.Truncated);
        }
    }

    [Theory]
    [InlineData("00 00 03 AA 00")]
    [InlineData("01 00 03 AA 6E 00 10 27")]
    public void Decode_BytesAfterLastField_RejectsTrailingBytes(string hex)
    {
        Reject(_decoder, Hex(hex), RejectReason.TrailingBytes);
    }

    [Theory]
    [InlineData(0x08)]
    [InlineData(0x40)]
    [InlineData(0xFF)]
    public void Decode_ReservedFlagBitsSet_RejectsImpossibleFlags(int flags)
    {
        Reject(_decoder, [(byte)flags, 0x00, 0x03, 0xAA], RejectReason.ImpossibleFlags);
    }
}
