using Ingest.Pipeline.Columns;
using Ingest.Pipeline.Decoding;
using Ingest.Pipeline.Decoding.Polar;
using Ingest.Pipeline.Profiles;
using Ingest.Pipeline.Simulation.Polar;
using static Ingest.Tests.Pipeline.Decoding.Polar.PmdDeltaCodecTests;
using static Ingest.Tests.Pipeline.Decoding.Polar.PolarPmdTestSupport;

namespace Ingest.Tests.Pipeline.Decoding.Polar;

public sealed class PolarPmdDecoderTests
{
    private const string Ecg = """{ "measurement": "ecg", "sampleRateHz": 130, "resolutionBits": 14 }""";
    private const long HubTime = 1_763_805_600_000_000_000;

    [Fact]
    public void Decode_EcgRawType0_WritesInt24MicroVolts()
    {
        var stream = Stream(Ecg);
        // ts = 1000 s after 2000; samples 0x000100 = 256, 0xFFFF38 = −200, 0x7FFFFF = 8388607.
        var result = stream.Decode(Hex("00 00 10 A5 D4 E8 00 00 00 00 00 01 00 38 FF FF FF FF 7F"), HubTime);

        Assert.True(result.IsAccepted, result.Detail);
        Assert.Equal(3, result.Rows);
        Assert.Equal([256, -200, 8388607], stream.Columns.Values<int>(0).Values.ToArray());
    }

    [Fact]
    public void Decode_FirstFrame_SpreadsDeviceTimeBackAtSampleRate()
    {
        var stream = Stream(Ecg);
        const ulong ts = 1_000_000_000_000;
        stream.Decode(EcgFrame(ts, 3), HubTime);

        // 1e9 / 130 = 7,692,307.69 ns: offsets round(2 × that) = 15,384,615 and round(that) = 7,692,308.
        var device = ts + Y2000;
        Assert.Equal([(long)device - 15_384_615, (long)device - 7_692_308, (long)device], stream.Columns.DeviceTime!.Values.ToArray());
        Assert.Equal([HubTime - (2 * 7_692_308), HubTime - 7_692_308, HubTime], stream.Columns.HubTime.Values.ToArray());
    }

    [Fact]
    public void Decode_FollowingFrame_SpreadsDeviceTimeEvenlySincePreviousFrame()
    {
        var stream = Stream(Ecg);
        const ulong ts1 = 1_000_000_000_000;
        const ulong ts2 = ts1 + 23_076_923;
        stream.Decode(EcgFrame(ts1, 3), HubTime);
        stream.Decode(EcgFrame(ts2, 3), HubTime + 23_000_000);

        // (ts2 − ts1) / 3 = 7,692,307.67: round(Δ), round(2Δ) = 15,384,615, and exactly ts2.
        var prev = (long)ts1 + Y2000;
        Assert.Equal([prev + 7_692_308, prev + 15_384_615, prev + 23_076_923], stream.Columns.DeviceTime!.Values[3..].ToArray());
    }

    [Theory]
    [InlineData(0L)]
    [InlineData(-1L)]
    public void Decode_NonIncreasingTimestamp_RejectsAndKeepsEarlierRows(long step)
    {
        var stream = Stream(Ecg);
        const ulong ts = 1_000_000_000_000;
        stream.Decode(EcgFrame(ts, 3), HubTime);

        var result = stream.Decode(EcgFrame((ulong)((long)ts + step), 3), HubTime + 1);

        Assert.Equal(RejectReason.NonIncreasingTime, result.Reason);
        Assert.Equal(3, stream.Columns.RowCount);
        Assert.Equal(3, stream.Columns.DeviceTime!.Length);
    }

    [Fact]
    public void Decode_AfterClockReset_NextFrameSpreadsFromTheResetFrame()
    {
        var stream = Stream(Ecg);
        stream.Decode(EcgFrame(5_000_000_000_000, 2), HubTime);
        Assert.Equal(RejectReason.NonIncreasingTime, stream.Decode(EcgFrame(1_000_000_000, 2), HubTime + 1).Reason);

        var result = stream.Decode(EcgFrame(1_000_000_000 + 20_000_000, 2), HubTime + 2);

        Assert.True(result.IsAccepted, result.Detail);
        Assert.Equal([Y2000 + 1_010_000_000, Y2000 + 1_020_000_000], stream.Columns.DeviceTime!.Values[2..].ToArray());
    }

    [Fact]
    public void Reset_ForgetsPreviousTimestamp()
    {
        var stream = Stream(Ecg);
        stream.Decode(EcgFrame(5_000_000_000_000, 2), HubTime);
        stream.Reset();

        Assert.True(stream.Decode(EcgFrame(1_000_000_000_000, 2), HubTime + 1).IsAccepted);
    }

    [Theory]
    [InlineData("02 00 10 A5 D4 E8 00 00 00 00 00 01 00", RejectReason.BadFrameType)] // ACC on an ECG stream
    [InlineData("00 00 10 A5 D4 E8 00 00 00 01 00 01 00", RejectReason.BadFrameType)] // raw type 1, stream is type 0
    [InlineData("00 00 10 A5 D4 E8 00 00 00 80 00 01 00", RejectReason.BadFrameType)] // compressed
    [InlineData("00 00 10 A5 D4 E8 00 00 00", RejectReason.Truncated)]                // 9-byte header
    [InlineData("00 00 10 A5 D4 E8 00 00 00 00", RejectReason.Truncated)]             // no samples
    [InlineData("00 00 10 A5 D4 E8 00 00 00 00 00 01 00 38", RejectReason.Truncated)] // 4 bytes: not whole int24s
    [InlineData("00 FF FF FF FF FF FF FF FF 00 00 01 00", RejectReason.InvalidValue)] // timestamp beyond int64 Unix ns
    public void Decode_MalformedEcgFrame_Rejects(string hex, RejectReason expected)
    {
        var stream = Stream(Ecg);

        var result = stream.Decode(Hex(hex), HubTime);

        Assert.Equal(expected, result.Reason);
        Assert.Equal(0, stream.Columns.RowCount);
    }

    [Fact]
    public void Decode_MeasurementByteUpperBits_AreMaskedLikeTheSdk()
    {
        var stream = Stream(Ecg);

        Assert.True(stream.Decode(Hex("C0 00 10 A5 D4 E8 00 00 00 00 00 01 00"), HubTime).IsAccepted);
    }

    [Fact]
    public void Decode_EcgRawType1_SplitsValueAndStatusBits()
    {
        var stream = Stream("""{ "measurement": "ecg", "sampleRateHz": 130, "frameType": 1 }""");
        // 0xFF 0xFF → 14-bit 0x3FFF; status 0x1F: oversampling 1, skin contact 3, impedance 3.
        // 0x34 0x12 → 0x1234; status 0x0A: oversampling 0, skin contact 1, impedance 1.
        var result = stream.Decode(Hex("00 00 10 A5 D4 E8 00 00 00 01 FF FF 1F 34 12 0A"), HubTime);

        Assert.True(result.IsAccepted, result.Detail);
        var columns = stream.Columns;
        Assert.Equal([0x3FFF, 0x1234], columns.Values<int>(0).Values.ToArray());
        Assert.Equal([1, 0], columns.Values<byte>(1).Values.ToArray());
        Assert.Equal([3, 1], columns.Values<byte>(2).Values.ToArray());
        Assert.Equal([3, 1], columns.Values<byte>(3).Values.ToArray());
    }

    [Fact]
    public void Decode_EcgRawType2_SplitsValueAndTags()
    {
        var stream = Stream("""{ "measurement": "ecg", "sampleRateHz": 130, "frameType": 2 }""");
        // status 0xFF: value bits 0–1 = 3 → 0x3FFFF with FF FF; ECG tag 7, pace tag 7. status 0x25: value 0x1xxxx, ECG tag 1, pace 1.
        var result = stream.Decode(Hex("00 00 10 A5 D4 E8 00 00 00 02 FF FF FF 02 01 25"), HubTime);

        Assert.True(result.IsAccepted, result.Detail);
        var columns = stream.Columns;
        Assert.Equal([0x3FFFF, 0x10102], columns.Values<int>(0).Values.ToArray());
        Assert.Equal([7, 1], columns.Values<byte>(1).Values.ToArray());
        Assert.Equal([7, 1], columns.Values<byte>(2).Values.ToArray());
    }

    [Theory]
    [InlineData(0, "FF 01 80 7F 00 02", new[] { -1, 127 }, new[] { 1, 0 }, new[] { -128, 2 })]
    [InlineData(1, "FF FF 00 80 FF 7F 01 00 02 00 03 00", new[] { -1, 1 }, new[] { -32768, 2 }, new[] { 32767, 3 })]
    [InlineData(2, "FF FF FF 00 00 80 FF FF 7F 01 00 00 02 00 00 03 00 00", new[] { -1, 1 }, new[] { -8388608, 2 }, new[] { 8388607, 3 })]
    public void Decode_AccRawTypes_WriteSignedXyz(int frameType, string samples, int[] x, int[] y, int[] z)
    {
        var stream = Stream($$"""{ "measurement": "acc", "sampleRateHz": 200, "frameType": {{frameType}} }""");

        var result = stream.Decode(Hex($"02 00 10 A5 D4 E8 00 00 00 0{frameType} {samples}"), HubTime);

        Assert.True(result.IsAccepted, result.Detail);
        Assert.Equal(2, result.Rows);
        Assert.Equal(x, Ints(stream.Columns, 0));
        Assert.Equal(y, Ints(stream.Columns, 1));
        Assert.Equal(z, Ints(stream.Columns, 2));
    }

    [Fact]
    public void Decode_AccRawType1NotWholeSamples_RejectsTruncated()
    {
        var stream = Stream("""{ "measurement": "acc", "sampleRateHz": 200, "frameType": 1 }""");

        var result = stream.Decode(Hex("02 00 10 A5 D4 E8 00 00 00 01 FF FF 00 80 FF 7F 01 00"), HubTime);

        Assert.Equal(RejectReason.Truncated, result.Reason);
    }

    [Fact]
    public void Decode_PpgRawType0_WritesFourChannels()
    {
        var stream = Stream("""{ "measurement": "ppg", "sampleRateHz": 135 }""");

        var result = stream.Decode(Hex("01 00 10 A5 D4 E8 00 00 00 00 01 00 00 02 00 00 FF FF FF 00 00 80"), HubTime);

        Assert.True(result.IsAccepted, result.Detail);
        Assert.Equal([1], stream.Columns.Values<int>(0).Values.ToArray());
        Assert.Equal([2], stream.Columns.Values<int>(1).Values.ToArray());
        Assert.Equal([-1], stream.Columns.Values<int>(2).Values.ToArray());
        Assert.Equal([-8388608], stream.Columns.Values<int>(3).Values.ToArray());
    }

    [Fact]
    public void Decode_Ppi_TimesBeatsBackFromFrameTimestampByPpInterval()
    {
        var stream = Stream("""{ "measurement": "ppi" }""");
        // Beats: HR 60, PP 1000 ms, err 20, flags 0x06; HR 62, PP 968 ms, err 15, flags 0x07.
        var result = stream.Decode(Hex("03 00 10 A5 D4 E8 00 00 00 00 3C E8 03 14 00 06 3E C8 03 0F 00 07"), HubTime);

        Assert.True(result.IsAccepted, result.Detail);
        var columns = stream.Columns;
        Assert.Equal([60, 62], columns.Values<byte>(0).Values.ToArray());
        Assert.Equal([1000, 968], columns.Values<ushort>(1).Values.ToArray());
        Assert.Equal([20, 15], columns.Values<ushort>(2).Values.ToArray());
        Assert.Equal([0, 1], columns.Values<byte>(3).Values.ToArray());
        Assert.Equal([1, 1], columns.Values<byte>(4).Values.ToArray());
        Assert.Equal([1, 1], columns.Values<byte>(5).Values.ToArray());
        var device = 1_000_000_000_000 + Y2000;
        Assert.Equal([device - 968_000_000, device], columns.DeviceTime!.Values.ToArray());
        Assert.Equal([HubTime - 968_000_000, HubTime], columns.HubTime.Values.ToArray());
    }

    [Fact]
    public void Decode_PpiTimestampZero_AcceptedWithNullDeviceTime()
    {
        var stream = Stream("""{ "measurement": "ppi" }""");
        stream.Decode(Hex("03 00 10 A5 D4 E8 00 00 00 00 3C E8 03 14 00 06"), HubTime);

        var result = stream.Decode(Hex("03 00 00 00 00 00 00 00 00 00 3C E8 03 14 00 06"), HubTime + 1_000_000_000);

        Assert.True(result.IsAccepted, result.Detail);
        Assert.False(stream.Columns.DeviceTime!.IsValid(1));
        Assert.True(stream.Columns.DeviceTime!.IsValid(0));
    }

    [Fact]
    public void Decode_CompressedAccSdkVector_Decodes140SamplesWithFactorAsScale()
    {
        var stream = Stream("""{ "measurement": "acc", "sampleRateHz": 52, "frameType": 1, "compressed": true, "resolutionBits": 16, "factor": 0.244140625 }""");
        var frame = new byte[PmdFrameHeader.Size + SdkMultipleDeltas.Length];
        PmdFrameHeader.Write(frame, PmdMeasurementType.Acc, 1_000_000_000_000, 1, compressed: true);
        SdkMultipleDeltas.CopyTo(frame, PmdFrameHeader.Size);

        var result = stream.Decode(frame, HubTime);

        Assert.True(result.IsAccepted, result.Detail);
        Assert.Equal(140, result.Rows);
        Assert.Equal(-55, stream.Columns.Values<int>(0).Values[0]);
        Assert.Equal(18, stream.Columns.Values<int>(2).Values[1]);
        Assert.Equal(0.244140625, stream.Schema.Columns[0].Scale);
        Assert.Equal((long)1_000_000_000_000 + Y2000, stream.Columns.DeviceTime!.Values[139]);
    }

    [Fact]
    public void Schema_CompressedAccType0_ScalesGToMilliG()
    {
        var decoder = Create("""{ "measurement": "acc", "sampleRateHz": 50, "frameType": 0, "compressed": true, "factor": 0.5 }""");

        Assert.Equal(500.0, decoder.Schema.Columns[0].Scale);
        Assert.Equal(ColumnKind.Int32, decoder.Schema.Columns[0].Kind);
    }

    [Fact]
    public void Decode_CompressedFrameBlockPastEnd_RejectsTruncated()
    {
        var stream = Stream("""{ "measurement": "acc", "sampleRateHz": 52, "frameType": 1, "compressed": true }""");
        var frame = new byte[PmdFrameHeader.Size + 20];
        PmdFrameHeader.Write(frame, PmdMeasurementType.Acc, 1_000_000_000_000, 1, compressed: true);
        SdkMultipleDeltas.AsSpan(0, 20).CopyTo(frame.AsSpan(PmdFrameHeader.Size));

        var result = stream.Decode(frame, HubTime);

        Assert.Equal(RejectReason.Truncated, result.Reason);
        Assert.Equal(0, stream.Columns.HubTime.Length);
    }

    [Fact]
    public void Decode_CompressedFrameDeltaWiderThanResolution_RejectsInvalidValue()
    {
        var stream = Stream("""{ "measurement": "acc", "sampleRateHz": 52, "frameType": 1, "compressed": true }""");

        var result = stream.Decode(Hex("02 00 10 A5 D4 E8 00 00 00 81 00 00 00 00 00 00 11 01 00 00 00 00 00 00 00"), HubTime);

        Assert.Equal(RejectReason.InvalidValue, result.Reason);
    }

    [Theory]
    [InlineData("""{ "measurement": "ecg", "sampleRate": 130 }""", "$.settings.sampleRate")]
    [InlineData("""{ "measurement": "emg", "sampleRateHz": 130 }""", "$.settings.measurement")]
    [InlineData("""{ "measurement": "ecg" }""", "$.settings.sampleRateHz")]
    [InlineData("""{ "measurement": "ecg", "sampleRateHz": 130, "frameType": 5 }""", "$.settings.frameType")]
    [InlineData("""{ "measurement": "ppi", "compressed": true }""", "$.settings.compressed")]
    [InlineData("""{ "measurement": "ppi", "sampleRateHz": 1 }""", "$.settings.sampleRateHz")]
    [InlineData("""{ "measurement": "acc", "sampleRateHz": 200, "frameType": 1, "factor": 2 }""", "$.settings.factor")]
    [InlineData("""{ "measurement": "acc", "sampleRateHz": 200, "resolutionBits": 33 }""", "$.settings.resolutionBits")]
    public void Create_InvalidSettings_ThrowsNamingThePath(string json, string path)
    {
        var error = Assert.Throws<ProfileException>(() => Create(json));

        Assert.Equal(path, error.JsonPath);
    }

    [Fact]
    public void Decode_EncodedRawFrames_AllocateNothing()
    {
        var decoder = Create("""{ "measurement": "acc", "sampleRateHz": 200, "frameType": 1 }""");
        var columns = new StreamColumns(decoder.Schema, 4096);
        var frame = new byte[250];
        var values = new int[40];
        PmdFrameEncoder.EncodeAccRaw(frame, 1_000_000_000_000, 1, values, values, values);
        decoder.Decode(frame, HubTime, columns);
        columns.TryCommit(out _);

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 1; i <= 50; i++)
        {
            PmdFrameEncoder.EncodeAccRaw(frame, 1_000_000_000_000 + ((ulong)i * 200_000_000), 1, values, values, values);
            decoder.Decode(frame, HubTime, columns);
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    internal static byte[] EcgFrame(ulong timestamp, int samples)
    {
        var values = new int[samples];
        for (var i = 0; i < samples; i++)
        {
            values[i] = (i * 37) - 100;
        }

        var frame = new byte[PmdFrameHeader.Size + (3 * samples)];
        PmdFrameEncoder.EncodeEcgRaw0(frame, timestamp, values);
        return frame;
    }

    private static int[] Ints(StreamColumns columns, int index) => columns[index] switch
    {
        PrimitiveColumnBuffer<sbyte> b => Array.ConvertAll(b.Values.ToArray(), v => (int)v),
        PrimitiveColumnBuffer<short> s => Array.ConvertAll(s.Values.ToArray(), v => (int)v),
        PrimitiveColumnBuffer<int> i => i.Values.ToArray(),
        _ => throw new InvalidOperationException(),
    };
}
