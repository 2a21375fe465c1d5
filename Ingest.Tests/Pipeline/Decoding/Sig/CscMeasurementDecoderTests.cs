using System.Buffers.Binary;
using Ingest.Pipeline.Columns;
using Ingest.Pipeline.Decoding;
using Ingest.Pipeline.Decoding.Sig;
using Ingest.Pipeline.Profiles;
using static Ingest.Tests.Pipeline.Decoding.Sig.SigTestSupport;

namespace Ingest.Tests.Pipeline.Decoding.Sig;

public sealed class CscMeasurementDecoderTests
{
    private const long Second = 1_000_000_000;

    private readonly CscMeasurementDecoder _decoder = new(2.105);
    private readonly StreamDecoder _stream;

    public CscMeasurementDecoderTests()
    {
        _stream = new StreamDecoder(_decoder);
    }

    private StreamColumns Columns => _stream.Columns;

    [Fact]
    public void Decode_FirstNotification_StoresCountersWithoutSpeedOrCadence()
    {
        Feed(Frame(1000, 2048, 500, 1024), 0);

        Assert.Equal(1000u, Value<uint>(Columns, "cumulative_wheel_revolutions"));
        Assert.Equal((ushort)2048, Value<ushort>(Columns, "last_wheel_event_time"));
        Assert.Equal((ushort)500, Value<ushort>(Columns, "cumulative_crank_revolutions"));
        Assert.Equal((ushort)1024, Value<ushort>(Columns, "last_crank_event_time"));
        Assert.Null(Value<float>(Columns, "speed"));
        Assert.Null(Value<float>(Columns, "cadence"));
    }

    [Fact]
    public void Decode_SecondNotification_DerivesSpeedAndCadence()
    {
        Feed(Frame(1000, 2048, 500, 1024), 0);
        // 2 wheel revolutions in 1024/1024 s; 1 crank revolution in 614/1024 s.
        Feed(Frame(1002, 3072, 501, 1638), Second);

        Assert.Equal((float)(2 * 2.105), Value<float>(Columns, "speed", 1));
        Assert.Equal((float)(60.0 * 1024 / 614), Value<float>(Columns, "cadence", 1));
    }

    [Fact]
    public void Decode_EventTimeWrapsAt64Seconds_UsesTheModularDifference()
    {
        Feed(Frame(10, 65000, 20, 65500), 0);
        Feed(Frame(12, 500, 21, 500), Second); // Δt = 1036 and 536 ticks

        Assert.Equal((float)(2 * 2.105 * 1024 / 1036), Value<float>(Columns, "speed", 1));
        Assert.Equal((float)(60.0 * 1024 / 536), Value<float>(Columns, "cadence", 1));
    }

    [Fact]
    public void Decode_CountersWrap_UseTheModularDifference()
    {
        Feed(Frame(uint.MaxValue, 1000, ushort.MaxValue, 1000), 0);
        Feed(Frame(1, 2024, 0, 2024), Second); // 2 wheel revolutions, 1 crank revolution, 1 s

        Assert.Equal(1u, Value<uint>(Columns, "cumulative_wheel_revolutions", 1));
        Assert.Equal((float)(2 * 2.105), Value<float>(Columns, "speed", 1));
        Assert.Equal(60f, Value<float>(Columns, "cadence", 1));
    }

    [Fact]
    public void Decode_NoNewEvent_GivesNullThenMeasuresFromThePreviousEvent()
    {
        Feed(Frame(100, 1024, 50, 1024), 0);
        Feed(Frame(100, 1024, 50, 1024), Second);      // no new event: stopped or slow
        Feed(Frame(101, 3072, 51, 3072), 2 * Second);  // 1 revolution in 2 s since the event at 1024

        Assert.Null(Value<float>(Columns, "speed", 1));
        Assert.Null(Value<float>(Columns, "cadence", 1));
        Assert.Equal(100u, Value<uint>(Columns, "cumulative_wheel_revolutions", 1));
        Assert.Equal((float)(2.105 / 2), Value<float>(Columns, "speed", 2));
        Assert.Equal(30f, Value<float>(Columns, "cadence", 2));
    }

    [Fact]
    public void Decode_RevolutionsWithoutNewEventTime_IsInconsistentAndRestartsTheReference()
    {
        Feed(Frame(100, 1024, null, 0), 0);
        Feed(Frame(103, 1024, null, 0), Second);
        Feed(Frame(104, 2048, null, 0), 2 * Second); // from the restarted reference: 1 revolution in 1 s

        Assert.Null(Value<float>(Columns, "speed", 1));
        Assert.Equal((float)2.105, Value<float>(Columns, "speed", 2));
    }

    [Fact]
    public void Decode_NewEventTimeWithoutRevolutions_GivesNull()
    {
        Feed(Frame(100, 1024, null, 0), 0);
        Feed(Frame(100, 2048, null, 0), Second);

        Assert.Null(Value<float>(Columns, "speed", 1));
    }

    [Fact]
    public void Decode_MoreThanSixtySecondsBetweenEvents_IsAmbiguousAndGivesNull()
    {
        Feed(Frame(100, 1024, 10, 1024), 0);
        // 70 s later the event time has wrapped once: 6 s of ticks would be read instead of 70.
        Feed(Frame(150, unchecked((ushort)(1024 + (70 * 1024))), 80, unchecked((ushort)(1024 + (70 * 1024)))), 70 * Second);
        Feed(Frame(152, unchecked((ushort)(1024 + (71 * 1024))), 81, unchecked((ushort)(1024 + (71 * 1024)))), 71 * Second);

        Assert.Null(Value<float>(Columns, "speed", 1));
        Assert.Null(Value<float>(Columns, "cadence", 1));
        Assert.Equal((float)(2 * 2.105), Value<float>(Columns, "speed", 2));
        Assert.Equal(60f, Value<float>(Columns, "cadence", 2));
    }

    [Fact]
    public void Decode_GapMeasuredFromWhenTheEventWasFirstSeen_NotFromTheLastNotification()
    {
        Feed(Frame(100, 1024, null, 0), 0);
        for (var s = 1; s <= 61; s++)
        {
            Feed(Frame(100, 1024, null, 0), s * Second); // no new event for a minute
        }

        Feed(Frame(101, 2048, null, 0), 62 * Second); // Δt could be 1 s or 65 s: ambiguous

        Assert.Null(Value<float>(Columns, "speed", 62));
    }

    [Fact]
    public void Decode_CounterReset_IsImplausibleAndGivesNull()
    {
        Feed(Frame(5000, 1024, 3000, 1024), 0);
        Feed(Frame(2, 2048, 1, 2048), Second); // sensor restarted: counters back near zero

        Assert.Null(Value<float>(Columns, "speed", 1));
        Assert.Null(Value<float>(Columns, "cadence", 1));
        Assert.Equal(2u, Value<uint>(Columns, "cumulative_wheel_revolutions", 1));
    }

    [Fact]
    public void Decode_WheelAndCrankInSeparateNotifications_KeepSeparateReferences()
    {
        Feed(Frame(100, 1024, null, 0), 0);
        Feed(Frame(null, 0, 40, 1024), 500_000_000);
        Feed(Frame(102, 2048, null, 0), Second);
        Feed(Frame(null, 0, 41, 2048), 1_500_000_000);

        Assert.Null(Value<uint>(Columns, "cumulative_wheel_revolutions", 1));
        Assert.Null(Value<float>(Columns, "speed", 1));
        Assert.Equal((float)(2 * 2.105), Value<float>(Columns, "speed", 2));
        Assert.Null(Value<float>(Columns, "cadence", 2));
        Assert.Equal(60f, Value<float>(Columns, "cadence", 3));
    }

    [Fact]
    public void Reset_AfterReconnect_TreatsTheNextNotificationAsTheFirst()
    {
        Feed(Frame(100, 1024, 10, 1024), 0);
        _stream.Reset();
        Feed(Frame(102, 2048, 11, 2048), Second);

        Assert.Null(Value<float>(Columns, "speed", 1));
        Assert.Null(Value<float>(Columns, "cadence", 1));
    }

    [Fact]
    public void Decode_NoBlocks_IsARowOfNulls()
    {
        Feed([0x00], 0);

        Assert.Null(Value<uint>(Columns, "cumulative_wheel_revolutions"));
        Assert.Null(Value<ushort>(Columns, "cumulative_crank_revolutions"));
        Assert.Null(Value<float>(Columns, "speed"));
    }

    [Fact]
    public void Decode_RejectedFrame_DoesNotDisturbTheReference()
    {
        Feed(Frame(100, 1024, null, 0), 0);
        Assert.Equal(RejectReason.Truncated, _stream.Decode(Hex("01 65 00 00"), Second).Reason);
        Feed(Frame(102, 2048, null, 0), Second);

        Assert.Equal(2, Columns.RowCount);
        Assert.Equal((float)(2 * 2.105), Value<float>(Columns, "speed", 1));
    }

    [Fact]
    public void Decode_TruncatedAtEveryByte_RejectsTruncated()
    {
        var frame = Frame(100, 1024, 10, 1024);
        Assert.Equal(CscMeasurementDecoder.MaxFrameLength, frame.Length);
        for (var length = 1; length < frame.Length; length++)
        {
            Reject(new CscMeasurementDecoder(), frame.AsSpan(0, length), RejectReason.Truncated);
        }
    }

    [Fact]
    public void Decode_BytesAfterLastField_RejectsTrailingBytes()
    {
        Reject(_decoder, Hex("02 0A 00 00 04 00"), RejectReason.TrailingBytes);
    }

    [Theory]
    [InlineData(0x04)]
    [InlineData(0x80)]
    [InlineData(0xFF)]
    public void Decode_ReservedFlagBitsSet_RejectsImpossibleFlags(int flags)
    {
        Reject(_decoder, [(byte)flags, 0x0A, 0x00, 0x00, 0x04], RejectReason.ImpossibleFlags);
    }

    [Fact]
    public void Factory_WheelCircumferenceSetting_IsUsedForSpeed()
    {
        var decoder = (CscMeasurementDecoder)CscMeasurementDecoder.Factory.Create(
            DecoderSettings.Parse("""{ "wheelCircumferenceM": 2.0 }""", "test", "$.settings"));

        Assert.Equal(2.0, decoder.WheelCircumferenceM);
        Assert.Equal(CscMeasurementDecoder.DefaultWheelCircumferenceM,
            ((CscMeasurementDecoder)CscMeasurementDecoder.Factory.Create(DecoderSettings.Empty())).WheelCircumferenceM);
    }

    [Theory]
    [InlineData("""{ "wheelCircumferenceM": 0 }""")]
    [InlineData("""{ "wheelCircumferenceM": "2.1" }""")]
    [InlineData("""{ "wheelCircumference": 2.1 }""")]
    public void Factory_BadSetting_ThrowsProfileException(string json)
    {
        Assert.Throws<ProfileException>(() => CscMeasurementDecoder.Factory.Create(DecoderSettings.Parse(json, "test", "$.settings")));
    }

    private void Feed(byte[] frame, long hubTimeNs)
    {
        var result = _stream.Decode(frame, SigTestSupport.HubTime + hubTimeNs);
        Assert.True(result.IsAccepted, result.Detail);
    }

    // Built by hand from CSCS 1.0 (not with the encoder).
    private static byte[] Frame(uint? wheel, ushort wheelTime, ushort? crank, ushort crankTime)
    {
        var frame = new List<byte> { (byte)((wheel.HasValue ? 1 : 0) | (crank.HasValue ? 2 : 0)) };
        Span<byte> bytes = stackalloc byte[4];
        if (wheel is { } w)
        {
            BinaryPrimitives.WriteUInt32LittleEndian(bytes, w);
            frame.AddRange(bytes.ToArray());
            BinaryPrimitives.WriteUInt16LittleEndian(bytes, wheelTime);
            frame.AddRange(bytes[..2].ToArray());
        }

        if (crank is { } c)
        {
            BinaryPrimitives.WriteUInt16LittleEndian(bytes, c);
            frame.AddRange(bytes[..2].ToArray());
            BinaryPrimitives.WriteUInt16LittleEndian(bytes, crankTime);
            frame.AddRange(bytes[..2].ToArray());
        }

        return frame.ToArray();
    }
}
