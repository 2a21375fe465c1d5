using Ingest.Pipeline.Profiles;
using Ingest.Pipeline.Simulation.InfiniTime;

namespace Ingest.Pipeline.Simulation.Fleet;

/// <summary>InfiniTime raw motion on the 100 ms system tick (10 Hz; a moving wrist changes every tick): 3 × int16, 1024 per g.</summary>
internal sealed class InfiniTimeMotionSimulator : StreamSimulator
{
    private const long Period = 100_000_000;
    private readonly long _phase;
    private SimRandom _noise;

    public InfiniTimeMotionSimulator(StreamDefinition stream, ref SimRandom random)
        : base(stream, GarbageKind.AppendByte)
    {
        _phase = random.NextInt64(Period);
        _noise = new SimRandom(random.NextUInt64());
    }

    public override long FrameTick(long frame) => _phase + (frame * Period);

    public override int Write(Span<byte> destination, long frame, long tick, VirtualTracker tracker)
    {
        var seconds = Seconds(tick);
        return InfiniTimeFrameEncoder.EncodeMotion(destination,
            (short)(Signals.Acc(0, seconds, ref _noise) * 1024 / 1000),
            (short)(Signals.Acc(1, seconds, ref _noise) * 1024 / 1000),
            (short)(Signals.Acc(2, seconds, ref _noise) * 1024 / 1000));
    }
}
