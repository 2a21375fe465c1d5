namespace Ingest.Pipeline.Service;

/// <summary>
/// The hub's own completeness of a stream: samples decoded ÷ samples the profile's nominal rate promises over the time
/// the device was connected (<see cref="ConnectedTime"/>). Streams without a nominal rate (events, heart rate per beat)
/// have no expected count and no completeness. The receiver measures its own completeness from what landed
/// (docs/receiver.md); this one says what the hub got from the radio.
/// </summary>
public static class StreamCompleteness
{
    /// <summary>
    /// Completeness is reported at most this: a tracker that catches up (buffered frames after a stall) or whose clock runs
    /// fast delivers more than nominal for a while, which is not "more than complete". The sample and expected counts
    /// are reported beside it, so over-delivery stays visible.
    /// </summary>
    public const double MaximumCompleteness = 1.0;

    /// <summary>
    /// Samples the nominal rate promises over <paramref name="connectedNs"/>, rounded down; null for a stream without a
    /// positive nominal rate.
    /// </summary>
    public static long? ExpectedSamples(double? nominalRateHz, long connectedNs)
    {
        if (nominalRateHz is not { } rate || !(rate > 0) || double.IsInfinity(rate))
        {
            return null;
        }

        return (long)Math.Floor(rate * Math.Max(0, connectedNs) / 1e9);
    }

    /// <summary>
    /// <paramref name="samples"/> ÷ <paramref name="expected"/>, capped at <see cref="MaximumCompleteness"/>; null when nothing
    /// is expected (no nominal rate, or not connected long enough for one sample).
    /// </summary>
    public static double? Of(long samples, long? expected) =>
        expected is { } count and > 0 ? Math.Min(MaximumCompleteness, Math.Max(0, samples) / (double)count) : null;
}
