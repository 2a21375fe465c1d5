using Ingest.Pipeline.Profiles;
using Ingest.Pipeline.Simulation.Sig;

namespace Ingest.Pipeline.Simulation.Fleet;

/// <summary>
/// CSC Measurement (0x2A5B) once a second: wheel and crank blocks of a bicycle at about 25 km/h and 85 /min. Event
/// times are the sensor's 1/1024 s clock (its crystal), wrapping every 64 s.
/// </summary>
internal sealed class CscSimulator : StreamSimulator
{
    private const long Period = Decoding.SampleClock.NanosecondsPerSecond;
    private const double WheelRevsPerSecond = 3.3;
    private const double CrankRevsPerSecond = 85 / 60.0;
    private readonly long _phase;

    public CscSimulator(StreamDefinition stream, ref SimRandom random)
        : base(stream, GarbageKind.ReservedFlag) => _phase = random.NextInt64(Period);

    public override long FrameTick(long frame) => _phase + (frame * Period);

    public override int Write(Span<byte> destination, long frame, long tick, VirtualTracker tracker)
    {
        var seconds = Seconds(tick);
        var wheel = Math.Floor(seconds * WheelRevsPerSecond);
        var crank = Math.Floor(seconds * CrankRevsPerSecond);
        var measurement = new CscMeasurement(
            (uint)wheel, EventTime(wheel / WheelRevsPerSecond),
            (ushort)crank, EventTime(crank / CrankRevsPerSecond));
        return CscMeasurementEncoder.Encode(measurement, destination);
    }

    private static ushort EventTime(double seconds) => (ushort)((long)(seconds * 1024) & 0xFFFF);
}
