using Ingest.Pipeline.Profiles;
using Ingest.Pipeline.Simulation.Sig;

namespace Ingest.Pipeline.Simulation.Fleet;

/// <summary>RSC Measurement (0x2A53) once a second: a steady run around 3 m/s with stride length and total distance.</summary>
internal sealed class RscSimulator : StreamSimulator
{
    private const long Period = Decoding.SampleClock.NanosecondsPerSecond;
    private readonly long _phase;
    private SimRandom _noise;

    public RscSimulator(StreamDefinition stream, ref SimRandom random)
        : base(stream, GarbageKind.ReservedFlag)
    {
        _phase = random.NextInt64(Period);
        _noise = new SimRandom(random.NextUInt64());
    }

    public override long FrameTick(long frame) => _phase + (frame * Period);

    public override int Write(Span<byte> destination, long frame, long tick, VirtualTracker tracker)
    {
        var speed = (ushort)(768 + _noise.Next(-20, 20)); // 1/256 m/s: about 3 m/s
        var distance = (uint)(tick / 1e9 * 30); // 1/10 m at 3 m/s
        var measurement = new RscMeasurement(speed, (byte)_noise.Next(165, 175), (ushort)_noise.Next(100, 110), distance, Running: true);
        return RscMeasurementEncoder.Encode(measurement, destination);
    }
}
