using Ingest.Pipeline.Decoding;
using Ingest.Pipeline.Decoding.Ieee11073;
using Ingest.Pipeline.Decoding.Sig;
using static Ingest.Tests.Pipeline.Decoding.Sig.SigTestSupport;

namespace Ingest.Tests.Pipeline.Decoding.Sig;

public sealed class TemperatureMeasurementDecoderTests
{
    private readonly TemperatureMeasurementDecoder _decoder = new();

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
        // HTS 1.0: value 366e-1 (36.6 °C, or 36.6 °F when bit 0), then time stamp, then type.
        var frame = new List<byte> { (byte)flags, 0x6E, 0x01, 0x00, 0xFF };
        if ((flags & 0x02) != 0)
        {
            frame.AddRange(Hex("EA 07 0B 16 07 1E 00")); // 2026-11-22 07:30:00
        }

        if ((flags & 0x04) != 0)
        {
            frame.Add(0x06); // mouth
        }

        var columns = Accept(_decoder, frame.ToArray());

        var fahrenheit = (flags & 0x01) != 0;
        Assert.Equal(fahrenheit ? (36.6 - 32) * 5 / 9 : 36.6, Value<double>(columns, "temperature"));
        Assert.Equal((byte)MderStatus.Value, Value<byte>(columns, "temperature_status"));
        Assert.Equal(fahrenheit ? (byte)1 : (byte)0, Value<byte>(columns, "reported_fahrenheit"));
        Assert.Equal((flags & 0x02) != 0 ? 1_795_332_600L * 1_000_000_000 : null, DeviceTime(columns));
        Assert.Equal((flags & 0x04) != 0 ? (byte)6 : null, Value<byte>(columns, "temperature_type"));
    }

    [Fact]
    public void Decode_Fahrenheit98Point6_Is37Celsius()
    {
        // 986e-1 °F.
        var columns = Accept(_decoder, Hex("01 DA 03 00 FF"));

        Assert.Equal(37.0, Value<double>(columns, "temperature")!.Value, 12);
        Assert.Equal((byte)1, Value<byte>(columns, "reported_fahrenheit"));
    }

    [Theory]
    [InlineData("FF FF 7F 00", MderStatus.NaN)]
    [InlineData("00 00 80 00", MderStatus.NRes)]
    [InlineData("01 00 80 00", MderStatus.Reserved)]
    public void Decode_NoReading_IsNullWithStatus(string value, MderStatus status)
    {
        var columns = Accept(_decoder, Hex("00 " + value));

        Assert.Null(Value<double>(columns, "temperature"));
        Assert.Equal((byte)status, Value<byte>(columns, "temperature_status"));
    }

    [Theory]
    [InlineData("00 FE FF 7F 00", double.PositiveInfinity, MderStatus.PositiveInfinity)]
    [InlineData("00 02 00 80 00", double.NegativeInfinity, MderStatus.NegativeInfinity)]
    [InlineData("01 02 00 80 00", double.NegativeInfinity, MderStatus.NegativeInfinity)]
    public void Decode_Infinity_IsStoredAsInfinity(string hex, double value, MderStatus status)
    {
        var columns = Accept(_decoder, Hex(hex));

        Assert.Equal(value, Value<double>(columns, "temperature"));
        Assert.Equal((byte)status, Value<byte>(columns, "temperature_status"));
    }

    [Fact]
    public void Decode_ReservedTemperatureType_IsKeptAsSent()
    {
        var columns = Accept(_decoder, Hex("04 6E 01 00 FF 0A"));

        Assert.Equal((byte)10, Value<byte>(columns, "temperature_type"));
    }

    [Fact]
    public void Decode_TruncatedAtEveryByte_RejectsTruncated()
    {
        var frame = Hex("06 6E 01 00 FF EA 07 0B 16 07 1E 00 02");
        Assert.Equal(TemperatureMeasurementDecoder.MaxFrameLength, frame.Length);
        Accept(_decoder, frame);
        for (var length = 1; length < frame.Length; length++)
        {
            Reject(_decoder, frame.AsSpan(0, length), RejectReason.Truncated);
        }
    }

    [Fact]
    public void Decode_StampOutOfRange_RejectsInvalidValue()
    {
        Reject(_decoder, Hex("02 6E 01 00 FF EA 07 0B 16 07 1E 3C"), RejectReason.InvalidValue);
    }

    [Fact]
    public void Decode_BytesAfterLastField_RejectsTrailingBytes()
    {
        Reject(_decoder, Hex("00 6E 01 00 FF 06"), RejectReason.TrailingBytes);
    }

    [Theory]
    [InlineData(0x08)]
    [InlineData(0x10)]
    [InlineData(0x80)]
    public void Decode_ReservedFlagBitsSet_RejectsImpossibleFlags(int flags)
    {
        Reject(_decoder, [(byte)flags, 0x6E, 0x01, 0x00, 0xFF], RejectReason.ImpossibleFlags);
    }
}
