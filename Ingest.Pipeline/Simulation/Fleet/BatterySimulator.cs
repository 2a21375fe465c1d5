using Ingest.Pipeline.Profiles;
using Ingest.Pipeline.Simulation.Sig;

namespace Ingest.Pipeline.Simulation.Fleet;

/// <summary>Battery Level (0x2A19): sent soon after start, then one percent less every five minutes (down to 5 %).</summary>
internal sealed class BatterySimulator : StreamSimulator
{
    private const long Period = 300 * Decoding.SampleClock.NanosecondsPerSecond;
    private readonly long _phase;
    private readonly int _start;

    public BatterySimulator(StreamDefinition stream, ref SimRandom random)
        : base(stream, GarbageKind.BatteryValue)
    {
        _phase = random.NextInt64(2 * Decoding.SampleClock.NanosecondsPerSecond);
        _start = random.Next(60, 100);
    }

    public override long FrameTick(long frame) => _phase + (frame * Period);

    public override int Write(Span<byte> destination, long frame, long tick, VirtualTracker tracker) =>
        BatteryLevelEncoder.Encode((byte)Math.Max(5, _start - frame), destination);
}
