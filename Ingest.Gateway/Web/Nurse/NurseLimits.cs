namespace Ingest.Gateway.Web.Nurse;

/// <summary>Named thresholds of the nurse pages: what counts as good signal, a healthy stream, a hub ready to go home.</summary>
internal static class NurseLimits
{
    /// <summary>Signal at or above this (dBm) shows 4 bars: a tracker on the wrist next to the hub.</summary>
    public const int FourBarsDbm = -60;

    /// <summary>3 bars from here (dBm).</summary>
    public const int ThreeBarsDbm = -70;

    /// <summary>2 bars from here (dBm): still a reliable link across a room.</summary>
    public const int TwoBarsDbm = -80;

    /// <summary>1 bar from here (dBm); below it the link drops often (0 bars).</summary>
    public const int OneBarDbm = -90;

    /// <summary>A battery below this (percent) is shown as low: charge it before it goes home.</summary>
    public const int LowBatteryPercent = 20;

    /// <summary>A stream delivering at least this share of its expected rate is green (a few lost notifications are normal).</summary>
    public const double GoodRateFraction = 0.9;

    /// <summary>At least this share is amber (flowing but losing data: bring it closer); below it, red.</summary>
    public const double FairRateFraction = 0.5;

    /// <summary>The audit page shows this many of the newest entries.</summary>
    public const int AuditEntriesShown = 50;

    /// <summary>Pre-flight: the data directory's disk needs at least this much free space (1 GiB: days of spool at a few trackers).</summary>
    public const long MinFreeDiskBytes = 1L << 30;

    /// <summary>Pre-flight: at most this many batches waiting in the spool (a hub about to go home has sent what it has).</summary>
    public const long MaxBacklogBatches = 100;

    /// <summary>Bars (0–4) for a signal strength; 0 when unknown.</summary>
    public static int Bars(short? rssi) => rssi switch
    {
        null => 0,
        >= FourBarsDbm => 4,
        >= ThreeBarsDbm => 3,
        >= TwoBarsDbm => 2,
        >= OneBarDbm => 1,
        _ => 0,
    };

    /// <summary>
    /// How a live stream is doing: "ok" (green) at ≥ <see cref="GoodRateFraction"/> of the expected rate, "warn" (amber)
    /// at ≥ <see cref="FairRateFraction"/>, else "bad" (red). A stream without an expected rate (heart rate per beat) is
    /// green once samples arrive; one without samples yet is amber while connecting and red after.
    /// </summary>
    public static string RateVerdict(double? expectedRate, double measuredRate, long samples, bool connecting)
    {
        if (expectedRate is not { } expected || expected <= 0)
        {
            return samples > 0 && measuredRate > 0 ? "ok" : connecting ? "warn" : "bad";
        }

        var fraction = measuredRate / expected;
        return fraction >= GoodRateFraction ? "ok" : fraction >= FairRateFraction ? "warn" : "bad";
    }
}
