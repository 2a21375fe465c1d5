using Ingest.Pipeline.Decoding;
using Ingest.Pipeline.Decoding.Ieee11073;
using Ingest.Pipeline.Decoding.Sig;
using static Ingest.Tests.Pipeline.Decoding.Sig.SigTestSupport;

namespace Ingest.Tests.Pipeline.Decoding.Sig;

public sealed class PlxSpotCheckMeasurementDecoderTests
{
    // 2026-11-22 09:59:30 as Date Time: EA 07 0B 16 09 3B 1E.
    private const string Stamp = "EA 07 0B 16 09 3B 1E";
    private static readonly long s_stampNs = new DateTimeOffset(2026, 11, 22, 9, 59, 30, TimeSpan.Zero).ToUnixTimeMilliseconds() * 1_000_000;

    private readonly PlxSpotCheckMeasurementDecoder _decoder = new();

    public static TheoryData<int> AllFlagCombinations()
    {
        var data = new TheoryData<int>();
        for (var flags = 0; flags < 0x20; flags++)
        {
            data.Add(flags);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(AllFlagCombinations))]
    public void Decode_EveryFlagCombination_ReadsEachFieldFromItsPlace(int flags)
    {
        // Built by hand from PLXS 1.0 in field order.
        var frame = new List<byte> { (byte)flags, 0x62, 0x00, 0x40, 0x00 }; // SpO2 98, PR 64
        if ((flags & 0x01) != 0)
        {
            frame.AddRange(Hex(Stamp));
        }

        if ((flags & 0x02) != 0)
        {
            frame.AddRange([0x00, 0x80]); // measurement status 0x8000
        }

        if ((flags & 0x04) != 0)
        {
            frame.AddRange([0x10, 0x00, 0x00]); // device and sensor status 0x000010
        }

        if ((flags & 0x08) != 0)
        {
            frame.AddRange([0x2D, 0xF0]); // PAI 45e-1 = 4.5 %
        }

        var columns = Accept(_decoder, frame.ToArray());

        Assert.Equal(98f, Value<float>(columns, "spo2"));
        Assert.Equal(64f, Value<float>(columns, "pulse_rate"));
        Assert.Equal((byte)0, Value<byte>(columns, "pulse_rate_status"));
        Assert.Equal((flags & 0x01) != 0 ? s_stampNs : null, DeviceTime(columns));
        Assert.Equal((flags & 0x02) != 0 ? (ushort)0x8000 : null, Value<ushort>(columns, "measurement_status"));
        Assert.Equal((flags & 0x04) != 0 ? 0x10u : null, Value<uint>(columns, "device_sensor_status"));
        Assert.Equal((flags & 0x08) != 0 ? 4.5f : null, Value<float>(columns, "pulse_amplitude_index"));
        Assert.Equal((flags & 0x08) != 0 ? (byte)0 : null, Value<byte>(columns, "pulse_amplitude_index_status"));
        Assert.Equal((byte)((flags >> 4) & 1), Value<byte>(columns, "device_clock_not_set"));
    }

    [Fact]
    public void Decode_ClockNotSet_KeepsTheStampAsSentAndSaysSo()
    {
        // A device whose clock was never set counts from 2000-01-01 (here + 1 h).
        var columns = Accept(_decoder, Hex("11 62 00 40 00 D0 07 01 01 01 00 00"));

        Assert.Equal(946_688_400L * 1_000_000_000, DeviceTime(columns));
        Assert.Equal((byte)1, Value<byte>(columns, "device_clock_not_set"));
    }

    [Theory]
    [InlineData("00 00 0B 16 09 3B 1E")] // year not known
    [InlineData("EA 07 00 16 09 3B 1E")] // month not known
    [InlineData("EA 07 0B 00 09 3B 1E")] // day not known
    [InlineData("FC 08 01 01 00 00 00")] // 2300: valid Date Time, beyond timestamp[ns]
    public void Decode_StampWithoutAnInstant_HasNullDeviceTime(string stamp)
    {
        var columns = Accept(_decoder, Hex("01 62 00 40 00 " + stamp));

        Assert.Null(DeviceTime(columns));
        Assert.Equal(98f, Value<float>(columns, "spo2"));
    }

    [Theory]
    [InlineData("EA 07 0D 16 09 3B 1E")] // month 13
    [InlineData("EA 07 02 1E 09 3B 1E")] // 30 February
    [InlineData("EA 07 0B 16 18 3B 1E")] // hour 24
    [InlineData("EA 07 0B 16 09 3C 1E")] // minute 60
    [InlineData("EA 07 0B 16 09 3B 3C")] // second 60
    [InlineData("2D 06 0B 16 09 3B 1E")] // year 1581
    [InlineData("10 27 01 01 00 00 00")] // year 10000
    public void Decode_StampFieldOutOfRange_RejectsInvalidValue(string stamp)
    {
        Reject(_decoder, Hex("01 62 00 40 00 " + stamp), RejectReason.InvalidValue);
    }

    [Fact]
    public void Decode_NaNReading_IsNullWithStatus()
    {
        var columns = Accept(_decoder, Hex("00 FF 07 FF 07"));

        Assert.Null(Value<float>(columns, "spo2"));
        Assert.Equal((byte)MderStatus.NaN, Value<byte>(columns, "spo2_status"));
        Assert.Null(Value<float>(columns, "pulse_rate"));
    }

    [Fact]
    public void Decode_TruncatedAtEveryByte_RejectsTruncated()
    {
        var frame = Hex("0F 62 00 40 00 " + Stamp + " 00 80 10 00 00 2D F0");
        Assert.Equal(PlxSpotCheckMeasurementDecoder.MaxFrameLength, frame.Length);
        Accept(_decoder, frame);
        for (var length = 1; length < frame.Length; length++)
        {
            Reject(_decoder, frame.AsSpan(0, length), RejectReason.Truncated);
        }
    }

    [Fact]
    public void Decode_BytesAfterLastField_RejectsTrailingBytes()
    {
        Reject(_decoder, Hex("00 62 00 40 00 00"), RejectReason.TrailingBytes);
    }

    [Theory]
    [InlineData(0x20)]
    [InlineData(0x40)]
    [InlineData(0x80)]
    public void Decode_ReservedFlagBitsSet_RejectsImpossibleFlags(int flags)
    {
        Reject(_decoder, [(byte)flags, 0x62, 0x00, 0x40, 0x00], RejectReason.ImpossibleFlags);
    }

    [Fact]
    public void Schema_HasDeviceTime()
    {
        Assert.True(_decoder.Schema.HasDeviceTime);
    }
}
