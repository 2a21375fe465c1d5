using Ingest.Pipeline.Decoding;
using Ingest.Pipeline.Decoding.Sig;
using static Ingest.Tests.Pipeline.Decoding.Sig.SigTestSupport;

namespace Ingest.Tests.Pipeline.Decoding.Sig;

public sealed class HeartRateMeasurementDecoderTests
{
    private readonly HeartRateMeasurementDecoder _decoder = new();

    [Fact]
    public void Decode_ProtocolsExample_Is72BpmWithContactAndRr1024()
    {
        // protocols.md §4.1: 16 48 00 04 → uint8 HR, contact detected, RR present; 72 bpm, RR 1024/1024 s.
        var columns = Accept(_decoder, Hex("16 48 00 04"));

        Assert.Equal(SigTestSupport.HubTime, columns.HubTime.Values[0]);
        Assert.Equal((ushort)72, Value<ushort>(columns, "heart_rate"));
        Assert.Equal((byte)3, Value<byte>(columns, "sensor_contact"));
        Assert.Null(Value<ushort>(columns, "energy_expended"));
        Assert.Equal(new ushort[] { 1024 }, List<ushort>(columns, "rr_interval"));
    }

    [Fact]
    public void Decode_InfiniTimeFrame_IsHeartRateOnly()
    {
        // protocols.md §4.1: InfiniTime always sends 00 <bpm>.
        var columns = Accept(_decoder, Hex("00 41"));

        Assert.Equal((ushort)65, Value<ushort>(columns, "heart_rate"));
        Assert.Equal((byte)0, Value<byte>(columns, "sensor_contact"));
        Assert.Null(Value<ushort>(columns, "energy_expended"));
        Assert.Null(List<ushort>(columns, "rr_interval"));
    }

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
        // Built by hand from HRS 1.0 (not with the encoder) so the layout is checked independently.
        var frame = new List<byte> { (byte)flags };
        var uint16 = (flags & 0x01) != 0;
        if (uint16)
        {
            frame.AddRange([0x2C, 0x01]); // 300 bpm
        }
        else
        {
            frame.Add(0xB4); // 180 bpm
        }

        if ((flags & 0x08) != 0)
        {
            frame.AddRange([0x34, 0x12]); // 0x1234 kJ
        }

        if ((flags & 0x10) != 0)
        {
            frame.AddRange([0x00, 0x04, 0x84, 0x03]); // 1024, 900
        }

        var columns = Accept(_decoder, frame.ToArray());

        Assert.Equal(uint16 ? (ushort)300 : (ushort)180, Value<ushort>(columns, "heart_rate"));
        Assert.Equal((byte)((flags >> 1) & 3), Value<byte>(columns, "sensor_contact"));
        Assert.Equal((flags & 0x08) != 0 ? (ushort)0x1234 : null, Value<ushort>(columns, "energy_expended"));
        Assert.Equal((flags & 0x10) != 0 ? new ushort[] { 1024, 900 } : null, List<ushort>(columns, "rr_interval"));
    }

    [Fact]
    public void Decode_UInt16HeartRateAtMaximum_Is65535()
    {
        var columns = Accept(_decoder, Hex("01 FF FF"));

        Assert.Equal(ushort.MaxValue, Value<ushort>(columns, "heart_rate"));
    }

    [Fact]
    public void Decode_EnergyExpendedAtMaximum_IsKeptAs65535()
    {
        // HRS 1.0, Energy Expended field: 0xFFFF means "at or above the maximum"; kept raw.
        var columns = Accept(_decoder, Hex("08 50 FF FF"));

        Assert.Equal(ushort.MaxValue, Value<ushort>(columns, "energy_expended"));
    }

    [Fact]
    public void Decode_TwentyByteFrameWithNineRrIntervals_ReadsAllNine()
    {
        // Default ATT_MTU 23 → 20-byte payload: flags + uint8 HR + 9 RR intervals.
        var frame = new byte[20];
        frame[0] = 0x10;
        frame[1] = 60;
        for (var i = 0; i < 9; i++)
        {
            frame[2 + (2 * i)] = (byte)(i + 1);
            frame[3 + (2 * i)] = 0x04;
        }

        var columns = Accept(_decoder, frame);

        var rr = List<ushort>(columns, "rr_interval")!;
        Assert.Equal(9, rr.Length);
        for (var i = 0; i < 9; i++)
        {
            Assert.Equal((ushort)(0x0400 + i + 1), rr[i]);
        }
    }

    [Fact]
    public void Decode_MaximumAttributeWith255RrIntervals_ReadsAll()
    {
        var frame = new byte[DecodeLimits.MaxFrameBytes];
        frame[0] = 0x10;
        frame[1] = 61;
        for (var i = 0; i < HeartRateMeasurementDecoder.MaxRrIntervals; i++)
        {
            frame[2 + (2 * i)] = (byte)i;
            frame[3 + (2 * i)] = (byte)(i >> 8 | 0x02);
        }

        var columns = Accept(_decoder, frame);

        var rr = List<ushort>(columns, "rr_interval")!;
        Assert.Equal(255, rr.Length);
        Assert.Equal(255, HeartRateMeasurementDecoder.MaxRrIntervals);
        Assert.Equal((ushort)(0x0200 | 254), rr[254]);
    }

    [Fact]
    public void Decode_TwentyByteFrameWithUInt16HeartRate_RejectsOddRrByte()
    {
        // Flags + uint16 HR leave 17 bytes: 8 RR intervals and half of a ninth.
        var frame = new byte[20];
        frame[0] = 0x11;
        Reject(_decoder, frame, RejectReason.Truncated);
        Accept(_decoder, frame.AsSpan(0, 19));
    }

    [Theory]
    [InlineData(0x20)]
    [InlineData(0x40)]
    [InlineData(0x80)]
    [InlineData(0xF6)]
    public void Decode_ReservedFlagBitsSet_RejectsImpossibleFlags(int flags)
    {
        Reject(_decoder, [(byte)flags, 0x48, 0x00, 0x04], RejectReason.ImpossibleFlags);
    }

    [Fact]
    public void Decode_OddTrailingByteInRrRegion_RejectsTruncated()
    {
        var outcome = Reject(_decoder, Hex("16 48 00 04 01"), RejectReason.Truncated);

        Assert.Contains("RR-interval", outcome.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void Decode_RrFlagWithoutAnyInterval_RejectsTruncated()
    {
        Reject(_decoder, Hex("16 48"), RejectReason.Truncated);
    }

    [Theory]
    [InlineData("00 48 00")]
    [InlineData("01 48 00 00")]
    [InlineData("08 48 10 00 AA")]
    public void Decode_BytesAfterLastFieldWithoutRrFlag_RejectsTrailingBytes(string hex)
    {
        Reject(_decoder, Hex(hex), RejectReason.TrailingBytes);
    }

    [Fact]
    public void Decode_TruncatedAtEveryByte_RejectsUnlessAWholeRrPrefixRemains()
    {
        // flags 0x1F: uint16 HR, contact, EE, RR; HR 0x0190, EE 0x0102, RR 0x0400 0x0380 0x0390.
        var frame = Hex("1F 90 01 02 01 00 04 80 03 90 03");
        const int firstRrAt = 5;
        for (var length = 1; length < frame.Length; length++)
        {
            var outcome = DecodeOne(_decoder, frame.AsSpan(0, length), out var columns);
            var rrBytes = length - firstRrAt;
            if (rrBytes >= 2 && rrBytes % 2 == 0)
            {
                // A shorter frame whose RR region ends on a value boundary is itself valid (the count is implied).
                Assert.True(outcome.IsAccepted);
                Assert.Equal(rrBytes / 2, List<ushort>(columns, "rr_interval")!.Length);
            }
            else
            {
                Assert.Equal(RejectReason.Truncated, outcome.Reason);
                AssertNothingAppended(columns, 0);
            }
        }
    }

    [Fact]
    public void Decode_EmptyFrame_RejectsEmpty()
    {
        Reject(_decoder, [], RejectReason.Empty);
    }

    [Fact]
    public void Decode_FrameLongerThanAnyAttribute_RejectsOversized()
    {
        var frame = new byte[DecodeLimits.MaxFrameBytes + 2];
        frame[0] = 0x10;
        Reject(_decoder, frame, RejectReason.Oversized);
    }

    [Fact]
    public void StreamDecoder_RejectedFrameBetweenGoodOnes_KeepsEarlierAndLaterRows()
    {
        var stream = new StreamDecoder(_decoder);
        Assert.True(stream.Decode(Hex("16 48 00 04"), 1).IsAccepted);
        Assert.True(stream.Decode(Hex("10 49 00 04 10 04"), 2).IsAccepted);
        var before = Snapshot(stream.Columns, 2);

        var rejected = stream.Decode(Hex("16 4A 00 04 05"), 3);

        Assert.Equal(RejectReason.Truncated, rejected.Reason);
        Assert.Equal(before, Snapshot(stream.Columns, 2));
        AssertNothingAppended(stream.Columns, 2);
        Assert.True(stream.Decode(Hex("06 4B"), 4).IsAccepted);
        Assert.Equal(3, stream.Columns.RowCount);
        Assert.Equal(before, Snapshot(stream.Columns, 2));
        Assert.Equal((ushort)75, Value<ushort>(stream.Columns, "heart_rate", 2));
        Assert.Equal(new ushort[] { 1024, 1040 }, List<ushort>(stream.Columns, "rr_interval", 1));
        Assert.Equal(1, stream.Counters.Rejected(RejectReason.Truncated));
    }

    [Fact]
    public void Schema_Columns_MatchTheProfileLayout()
    {
        var columns = _decoder.Schema.Columns;

        Assert.Equal(["heart_rate", "sensor_contact", "energy_expended", "rr_interval"], columns.Select(c => c.Name));
        Assert.Equal(["uint16", "uint8", "uint16", "list<uint16>"], columns.Select(c => c.TypeName));
        Assert.Equal(1.0 / 1024, columns[3].Scale);
        Assert.Equal("s", columns[3].Unit);
        Assert.False(_decoder.Schema.HasDeviceTime);
    }
}
