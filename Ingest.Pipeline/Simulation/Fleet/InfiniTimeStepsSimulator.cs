using Ingest.Pipeline.Profiles;
using Ingest.Pipeline.Simulation.InfiniTime;

namespace Ingest.Pipeline.Simulation.Fleet;

/// <summary>InfiniTime step count every 10 s while walking (about 1.8 steps a second), counted since the watch started.</summary>
internal sealed class InfiniTimeStepsSimulator : StreamSimulator
{
    private const long Period = 10 * Decoding.SampleClock.NanosecondsPerSecond;
    private readonly long _phase;
    private readonly uint _start;

    public InfiniTimeStepsSimulator(StreamDefinition stream, ref SimRandom random)
        : base(stream, GarbageKind.AppendByte)
    {
        _phase = random.NextInt64(Period);
        _start = (uint)random.Next(0, 4000);
    }

    public override long FrameTick(long frame) => _phase + (frame * Period);

    public override int Write(Span<byte> destination, long frame, long tick, VirtualTracker tracker) =>
        InfiniTimeFrameEncoder.EncodeSteps(destination, _start + (uint)(Seconds(tick) * 1.8));
}
