namespace Ingest.Pipeline.Publishing.Mqtt;

/// <summary>
/// Exponential backoff with full jitter: attempt n waits a uniformly random time between the minimum and
/// min(maximum, minimum × 2^n). Randomising the whole interval spreads a fleet of hubs that lost the same broker
/// over the window instead of having them reconnect in lockstep (no thundering herd).
/// </summary>
internal static class MqttReconnectBackoff
{
    /// <summary>The delay before reconnect attempt <paramref name="attempt"/> (0-based).</summary>
    /// <param name="attempt">How many attempts already failed since the connection was lost.</param>
    /// <param name="minimum">Smallest delay.</param>
    /// <param name="maximum">Largest delay (cap of the exponential growth).</param>
    /// <param name="random01">A uniform random number in [0, 1).</param>
    public static TimeSpan GetDelay(int attempt, TimeSpan minimum, TimeSpan maximum, double random01)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(attempt);
        if (minimum < TimeSpan.Zero || maximum < minimum)
        {
            throw new ArgumentException("need 0 <= minimum <= maximum");
        }

        var ceilingTicks = Math.Min(maximum.Ticks, minimum.Ticks * Math.Pow(2, Math.Min(attempt, 62)));
        var ticks = minimum.Ticks + (random01 * (ceilingTicks - minimum.Ticks));
        return TimeSpan.FromTicks((long)Math.Clamp(ticks, minimum.Ticks, maximum.Ticks));
    }
}
