namespace Ingest.Pipeline.Simulation.Fleet;

/// <summary>
/// SplitMix64 (Steele, Lea, Flood 2014): a tiny deterministic generator whose output is fixed by its definition, so a
/// seed gives the same fleet on every runtime and platform (System.Random's algorithms are not a compatibility promise).
/// A mutable struct: keep it in a field and pass it by reference.
/// </summary>
internal struct SimRandom
{
    private ulong _state;

    public SimRandom(ulong seed) => _state = seed;

    /// <summary>An independent stream for (seed, a, b): e.g. (fleet seed, device index, stream index).</summary>
    public static SimRandom For(ulong seed, int a, int b) =>
        new(Mix(seed ^ Mix((((ulong)(uint)a << 32) | (uint)b) ^ 0xA076_1D64_78BD_642F)));

    /// <summary>A stateless hash of (seed, index): the same value wherever it is asked for (e.g. beat k's RR jitter).</summary>
    public static ulong Hash(ulong seed, long index) => Mix(seed ^ Mix((ulong)index + 0x9E37_79B9_7F4A_7C15));

    public ulong NextUInt64()
    {
        _state += 0x9E37_79B9_7F4A_7C15;
        return Mix(_state);
    }

    /// <summary>Uniform in [0, 1).</summary>
    public double NextDouble() => (NextUInt64() >> 11) * (1.0 / (1UL << 53));

    /// <summary>Uniform in [min, max] (inclusive).</summary>
    public int Next(int min, int max) => min + (int)(NextUInt64() % (ulong)((long)max - min + 1));

    /// <summary>Uniform in [0, max) for a positive <paramref name="max"/>.</summary>
    public long NextInt64(long max) => max <= 0 ? 0 : (long)(NextUInt64() % (ulong)max);

    /// <summary>Exponentially distributed wait with mean <paramref name="meanNs"/> (a Poisson process's gaps).</summary>
    public long NextExponentialNs(double meanNs) => (long)(-Math.Log(1.0 - NextDouble()) * meanNs);

    public static double UnitFromHash(ulong hash) => (hash >> 11) * (1.0 / (1UL << 53));

    private static ulong Mix(ulong z)
    {
        z = (z ^ (z >> 30)) * 0xBF58_476D_1CE4_E5B9;
        z = (z ^ (z >> 27)) * 0x94D0_49BB_1331_11EB;
        return z ^ (z >> 31);
    }
}
