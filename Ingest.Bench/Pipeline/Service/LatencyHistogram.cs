using System.Globalization;

namespace Ingest.Bench.Pipeline.Service;

/// <summary>
/// Latencies in 50 µs bins up to 30 s (longer ones land in the last bin), counted with <see cref="Interlocked"/> so
/// acknowledgements on any thread can record without a lock or an allocation.
/// </summary>
internal sealed class LatencyHistogram
{
    private const long BinNs = 50_000;
    private const int Bins = 600_000;

    private readonly long[] _counts = new long[Bins];
    private long _total;
    private long _maxNs;

    public long Count => Interlocked.Read(ref _total);

    public void Record(long latencyNs)
    {
        var bin = (int)Math.Clamp(latencyNs / BinNs, 0, Bins - 1);
        Interlocked.Increment(ref _counts[bin]);
        Interlocked.Increment(ref _total);
        var max = Interlocked.Read(ref _maxNs);
        while (latencyNs > max && Interlocked.CompareExchange(ref _maxNs, latencyNs, max) != max)
        {
            max = Interlocked.Read(ref _maxNs);
        }
    }

    /// <summary>The upper edge of the bin holding quantile <paramref name="q"/>, in ms (NaN when empty).</summary>
    public double QuantileMs(double q)
    {
        var total = Count;
        if (total == 0)
        {
            return double.NaN;
        }

        var rank = (long)Math.Ceiling(q * total);
        long seen = 0;
        for (var i = 0; i < Bins; i++)
        {
            seen += Interlocked.Read(ref _counts[i]);
            if (seen >= rank)
            {
                return (i + 1) * BinNs / 1e6;
            }
        }

        return MaxMs;
    }

    public double MaxMs => Interlocked.Read(ref _maxNs) / 1e6;

    public string Summary() => Count == 0 ? "no samples" : string.Create(CultureInfo.InvariantCulture,
        $"p50 {QuantileMs(0.50):0.0} ms, p99 {QuantileMs(0.99):0.0} ms, p99.9 {QuantileMs(0.999):0.0} ms, max {MaxMs:0.0} ms ({Count} samples)");
}
