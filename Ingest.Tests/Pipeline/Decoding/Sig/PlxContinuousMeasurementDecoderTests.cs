using Ingest.Pipeline.Decoding;
using Ingest.Pipeline.Decoding.Ieee11073;
using Ingest.Pipeline.Decoding.Sig;
using static Ingest.Tests.Pipeline.Decoding.Sig.SigTestSupport;

namespace Ingest.Tests.Pipeline.Decoding.Sig;

public sealed class PlxContinuousMeasurementDecoderTests
{
    private readonly PlxContinuousMeasurementDecoder _decoder = new();

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
        var frame = new List<byte> { (byte)flags, 0x61, 0x00, 0x48, 0x00 }; // SpO2 97, PR 72
        if ((flags & 0x01) != 0)
        {
            frame.AddRange([0x60, 0x00, 0x4B, 0x00]); // fast: 96, 75
        }

        if ((flags & 0x02) != 0)
        {
            frame.AddRange([0x62, 0x00, 0x46, 0x00]); // slow: 98, 70
        }

        if ((flags & 0x04) != 0)
        {
            frame.AddRange([0x20, 0x01]); // measurement status 0x0120
        }

        if ((flags & 0x08) != 0)
        {
            frame.AddRange([0x03, 0x02, 0x01]); // device and sensor status 0x010203
        }

        if ((flags & 0x10) != 0)
        {
            frame.AddRange([0x1F, 0xF0]); // PAI 31e-1 = 3.1 %
        }

        var columns = Accept(_decoder, frame.ToArray());

        Assert.Equal(97f, Value<float>(columns, "spo2"));
        Assert.Equal((byte)0, Value<byte>(columns, "spo2_status"));
        Assert.Equal(72f, Value<float>(columns, "pulse_rate"));
        Assert.Equal((byte)0, Value<byte>(columns, "pulse_rate_status"));
        var fast = (flags & 0x01) != 0;
        Assert.Equal(fast ? 96f : null, Value<float>(columns, "spo2_fast"));
        Assert.Equal(fast ? (byte)0 : null, Value<byte>(columns, "spo2_fast_status"));
        Assert.Equal(fast ? 75f : null, Value<float>(columns, "pulse_rate_fast"));
        Assert.Equal(fast ? (byte)0 : null, Value<byte>(columns, "pulse_rate_fast_status"));
        var slow = (flags & 0x02) != 0;
        Assert.Equal(slow ? 98f : null, Value<float>(columns, "spo2_slow"));
        Assert.Equal(slow ? (byte)0 : null, Value<byte>(columns, "spo2_slow_status"));
        Assert.Equal(slow ? 70f : null, Value<float>(columns, "pulse_rate_slow"));
        Assert.Equal(slow ? (byte)0 : null, Value<byte>(columns, "pulse_rate_slow_status"));
        Assert.Equal((flags & 0x04) != 0 ? (ushort)0x0120 : null, Value<ushort>(columns, "measurement_status"));
        Assert.Equal((flags & 0x08) != 0 ? 0x010203u : null, Value<uint>(columns, "device_sensor_status"));
        var pai = (flags & 0x10) != 0;
        Assert.Equal(pai ? 3.1f : null, Value<float>(columns, "pulse_amplitude_index"));
        Assert.Equal(pai ? (byte)0 : null, Value<byte>(columns, "pulse_amplitude_index_status"));
    }

    [Theory]
    [InlineData("FF 07", MderStatus.NaN)]
    [InlineData("00 08", MderStatus.NRes)]
    [InlineData("01 08", MderStatus.Reserved)]
    public void Decode_SpO2WithoutAReading_IsNullWithItsStatus(string spo2, MderStatus status)
    {
        // protocols.md §4.5: NaN/NRes means "no reading" (finger out).
        var columns = Accept(_decoder, Hex("00 " + spo2 + " 48 00"));

        Assert.Null(Value<float>(columns, "spo2"));
        Assert.Equal((byte)status, Value<byte>(columns, "spo2_status"));
        Assert.Equal(72f, Value<float>(columns, "pulse_rate"));
    }

    [Fact]
    public void Decode_Infinities_AreStoredAsInfinity()
    {
        var columns = Accept(_decoder, Hex("00 FE 07 02 08"));

        Assert.Equal(float.PositiveInfinity, Value<float>(columns, "spo2"));
        Assert.Equal((byte)MderStatus.PositiveInfinity, Value<byte>(columns, "spo2_status"));
        Assert.Equal(float.NegativeInfinity, Value<float>(columns, "pulse_rate"));
        Assert.Equal((byte)MderStatus.NegativeInfinity, Value<byte>(columns, "pulse_rate_status"));
    }

    [Fact]
    public void Decode_ResolutionExamples_GiveTheirValues()
    {
        // SpO2 0xF3D5 = 981e-1 = 98.1 %, PR 0x0B2E = -1234 (nonsense, but a valid SFLOAT).
        var columns = Accept(_decoder, Hex("00 D5 F3 2E 0B"));

        Assert.Equal(98.1f, Value<float>(columns, "spo2"));
        Assert.Equal(-1234f, Value<float>(columns, "pulse_rate"));
    }

    [Fact]
    public void Decode_TruncatedAtEveryByte_RejectsTruncated()
    {
        var frame = Hex("1F 61 00 48 00 60 00 4B 00 62 00 46 00 20 01 03 02 01 1F F0");
        Assert.Equal(PlxContinuousMeasurementDecoder.MaxFrameLength, frame.Length);
        Accept(_decoder, frame);
        for (var length = 1; length < frame.Length; length++)
        {
            Reject(_decoder, frame.AsSpan(0, length), RejectReason.Truncated);
        }
    }

    [Theory]
    [InlineData("00 61 00 48 00 00")]
    [InlineData("10 61 00 48 00 1F F0 00 00")]
    public void Decode_BytesAfterLastField_RejectsTrailingBytes(string hex)
    {
        Reject(_decoder, Hex(hex), RejectReason.TrailingBytes);
    }

    [Theory]
    [InlineData(0x20)]
    [InlineData(0x40)]
    [InlineData(0x80)]
    public void Decode_ReservedFlagBitsSet_RejectsImpossibleFlags(int flags)
    {
        Reject(_decoder, [(byte)flags, 0x61, 0x00, 0x48, 0x00], RejectReason.ImpossibleFlags);
    }

    [Fact]
    public void Schema_EverySFloatField_HasAValueAndAStatusColumn()
    {
        var names = _decoder.Schema.Columns.Select(c => c.Name).ToArray();

        Assert.Equal(
            [
                "spo2", "spo2_status", "pulse_rate", "pulse_rate_status", "spo2_fast", "spo2_fast_status",
                "pulse_rate_fast", "pulse_rate_fast_status", "spo2_slow", "spo2_slow_status", "pulse_rate_slow",
                "pulse_rate_slow_status", "measurement_status", "device_sensor_status", "pulse_amplitude_index",
                "pulse_amplitude_index_status",
            ],
            names);
        Assert.False(_decoder.Schema.Columns[1].Nullable);
        Assert.True(_decoder.Schema.Columns[5].Nullable);
    }
}
