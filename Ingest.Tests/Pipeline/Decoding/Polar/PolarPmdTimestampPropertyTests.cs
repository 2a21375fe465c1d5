using FsCheck;
using FsCheck.Fluent;
using Ingest.Pipeline.Decoding;
using Ingest.Pipeline.Decoding.Polar;
using Ingest.Pipeline.Simulation.Polar;
using static Ingest.Tests.Pipeline.Decoding.Polar.PolarPmdTestSupport;

namespace Ingest.Tests.Pipeline.Decoding.Polar;

/// <summary>
/// device_time against a 128-bit reference of PmdTimeStampUtils: following frames give
/// <c>round(prev + (ts − prev)·(i+1)/n)</c> (half up) and end exactly at ts; first frames step back by
/// <c>round(k · 1e9 / rate)</c>.
/// </summary>
public sealed class PolarPmdTimestampPropertyTests
{
    [Fact]
    public void FollowingFrame_DeviceTimes_MatchExactReference()
    {
        var gen =
            from samples in Gen.Choose(1, 160)
            from start in Gen.Choose(0, int.MaxValue)
            from gapHigh in Gen.Choose(0, 1000)
            from gapLow in Gen.Choose(1, int.MaxValue)
            select (samples, Previous: (ulong)start * 1_000_003UL, Gap: ((ulong)gapHigh << 31) + (ulong)gapLow);

        Prop.ForAll(Arb.From(gen), c =>
        {
            var stream = Stream("""{ "measurement": "ecg", "sampleRateHz": 130 }""");
            var first = new byte[64];
            stream.Decode(first.AsSpan(0, PmdFrameEncoder.EncodeEcgRaw0(first, c.Previous, [1])), 0);
            var frame = new byte[PmdFrameHeader.Size + (3 * c.samples)];
            PmdFrameEncoder.EncodeEcgRaw0(frame, c.Previous + c.Gap, new int[c.samples]);
            if (!stream.Decode(frame, 1_000_000_000).IsAccepted)
            {
                return false;
            }

            var times = stream.Columns.DeviceTime!.Values[1..];
            for (var i = 0; i < c.samples; i++)
            {
                var n = (Int128)c.samples;
                var expected = (Int128)c.Previous + ((((Int128)c.Gap * (i + 1) * 2) + n) / (2 * n)) + Y2000;
                if (times[i] != (long)expected)
                {
                    return false;
                }
            }

            return times[^1] == (long)(c.Previous + c.Gap) + Y2000;
        }).QuickCheckThrowOnFailure();
    }

    [Fact]
    public void FirstFrame_DeviceTimes_StepBackAtRoundedPeriod()
    {
        var gen =
            from samples in Gen.Choose(1, 160)
            from rate in Gen.Choose(1, 10_000)
            from ts in Gen.Choose(1, int.MaxValue)
            select (samples, rate, Timestamp: (ulong)ts * 1_000_000UL);

        Prop.ForAll(Arb.From(gen), c =>
        {
            var stream = Stream($$"""{ "measurement": "ecg", "sampleRateHz": {{c.rate}} }""");
            var frame = new byte[PmdFrameHeader.Size + (3 * c.samples)];
            PmdFrameEncoder.EncodeEcgRaw0(frame, c.Timestamp, new int[c.samples]);
            if (!stream.Decode(frame, 5_000_000_000_000).IsAccepted)
            {
                return false;
            }

            var device = stream.Columns.DeviceTime!.Values;
            var hub = stream.Columns.HubTime.Values;
            var hubPeriod = SampleClock.PeriodNs(c.rate);
            for (var i = 0; i < c.samples; i++)
            {
                long k = c.samples - 1 - i;
                var back = ((2 * k * 1_000_000_000L) + c.rate) / (2L * c.rate);
                if (device[i] != (long)c.Timestamp + Y2000 - back || hub[i] != 5_000_000_000_000 - (k * hubPeriod))
                {
                    return false;
                }
            }

            return true;
        }).QuickCheckThrowOnFailure();
    }

    [Theory]
    [InlineData(3UL, 2, new long[] { 2, 3 })]       // 1.5 rounds up to 2
    [InlineData(5UL, 4, new long[] { 1, 3, 4, 5 })] // 1.25, 2.5 → 3, 3.75 → 4
    [InlineData(1UL, 3, new long[] { 0, 1, 1 })]    // 0.33, 0.67 → 1
    public void FollowingFrame_HalfNanoseconds_RoundUp(ulong gap, int samples, long[] offsets)
    {
        var stream = Stream("""{ "measurement": "ecg", "sampleRateHz": 130 }""");
        var frame = new byte[64];
        stream.Decode(frame.AsSpan(0, PmdFrameEncoder.EncodeEcgRaw0(frame, 1000, [1])), 0);

        var result = stream.Decode(frame.AsSpan(0, PmdFrameEncoder.EncodeEcgRaw0(frame, 1000 + gap, new int[samples])), 1);

        Assert.True(result.IsAccepted, result.Detail);
        Assert.Equal(Array.ConvertAll(offsets, o => Y2000 + 1000 + o), stream.Columns.DeviceTime!.Values[1..].ToArray());
    }
}
