namespace Ingest.Pipeline.Simulation.Fleet;

/// <summary>
/// One participant's heartbeat on a tracker's crystal: beat k lasts a deterministic RR interval (a resting rate per
/// tracker, respiratory sinus arrhythmia and a little jitter), so every stream of the tracker (HR with RR, ECG, PPG,
/// PPI) sees the same beats.
/// </summary>
internal sealed class HeartModel
{
    private const long NanosecondsPerMillisecond = 1_000_000;
    private readonly ulong _seed;
    private readonly double _restingRrMs;
    private readonly long _firstBeatTick;

    public HeartModel(ulong seed, ref SimRandom random)
    {
        _seed = seed;
        _restingRrMs = 60_000.0 / random.Next(58, 82);
        _firstBeatTick = -random.NextInt64(1_000_000_000);
    }

    /// <summary>A cursor at the first beat.</summary>
    public BeatCursor Start() => new() { Beat = 0, StartTick = _firstBeatTick, RrNs = RrNs(0) };

    /// <summary>RR interval of beat <paramref name="beat"/>, ns.</summary>
    public long RrNs(long beat)
    {
        var jitter = (SimRandom.UnitFromHash(SimRandom.Hash(_seed, beat)) - 0.5) * 30;
        var rsa = 45 * Math.Sin(2 * Math.PI * beat / 4.5);
        return (long)((_restingRrMs + rsa + jitter) * NanosecondsPerMillisecond);
    }

    /// <summary>Moves <paramref name="cursor"/> to the beat that contains <paramref name="tick"/>.</summary>
    public void AdvanceTo(ref BeatCursor cursor, long tick)
    {
        while (cursor.StartTick + cursor.RrNs <= tick)
        {
            cursor.StartTick += cursor.RrNs;
            cursor.Beat++;
            cursor.RrNs = RrNs(cursor.Beat);
        }
    }

    /// <summary>Where in its beat <paramref name="tick"/> lies, 0–1 (the cursor must contain it).</summary>
    public static double Phase(in BeatCursor cursor, long tick) => (double)(tick - cursor.StartTick) / cursor.RrNs;
}

/// <summary>A position in the beat sequence.</summary>
internal struct BeatCursor
{
    public long Beat;
    public long StartTick;
    public long RrNs;
}
