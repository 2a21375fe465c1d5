using Ingest.Pipeline.Columns;

namespace Ingest.Pipeline.Decoding;

/// <summary>Hub-time stamping of samples.</summary>
public static class SampleClock
{
    /// <summary>Nanoseconds per second.</summary>
    public const long NanosecondsPerSecond = 1_000_000_000;

    /// <summary>
    /// Nanoseconds from the Unix epoch to 2000-01-01T00:00:00Z, the epoch of Polar PMD timestamps
    /// (protocols.md §4.8: 946,684,800 s).
    /// </summary>
    public const long UnixToY2000Ns = 946_684_800L * NanosecondsPerSecond;

    /// <summary>Sample period in ns for a nominal rate.</summary>
    public static long PeriodNs(double sampleRateHz) => (long)Math.Round(NanosecondsPerSecond / sampleRateHz);

    /// <summary>
    /// Appends hub times for a frame of <paramref name="count"/> samples whose last sample arrived at
    /// <paramref name="lastSampleNs"/>: earlier samples are spaced <paramref name="periodNs"/> apart before it.
    /// </summary>
    public static void AppendSpread(PrimitiveColumnBuffer<long> hubTime, long lastSampleNs, int count, long periodNs)
    {
        ArgumentNullException.ThrowIfNull(hubTime);
        var times = hubTime.AppendSpan(count);
        var t = lastSampleNs - ((count - 1) * periodNs);
        for (var i = 0; i < times.Length; i++)
        {
            times[i] = t;
            t += periodNs;
        }
    }
}
