using Ingest.Pipeline.Decoding.Ieee11073;
using Ingest.Pipeline.Profiles;
using Ingest.Pipeline.Simulation.Sig;

namespace Ingest.Pipeline.Simulation.Fleet;

/// <summary>Temperature Measurement (0x2A1C) once a minute: 36.3–37.2 Cel, body site, time-stamped by the device clock.</summary>
internal sealed class ThermometerSimulator : StreamSimulator
{
    private const long Period = 60 * Decoding.SampleClock.NanosecondsPerSecond;
    private readonly long _phase;
    private SimRandom _noise;

    public ThermometerSimulator(StreamDefinition stream, ref SimRandom random)
        : base(stream, GarbageKind.ReservedFlag)
    {
        _phase = random.NextInt64(Period / 4);
        _noise = new SimRandom(random.NextUInt64());
    }

    public override long FrameTick(long frame) => _phase + (frame * Period);

    public override int Write(Span<byte> destination, long frame, long tick, VirtualTracker tracker)
    {
        // IEEE 11073-20601 FLOAT: 8-bit exponent, 24-bit mantissa; tenths of a degree.
        var tenths = _noise.Next(363, 372);
        var value = new MderFloat(0xFF00_0000u | (uint)tenths);
        var time = SigDateTimeFields.From(DateTime.UnixEpoch.AddTicks(tracker.Clock.DeviceTime(tick) / 100));
        return TemperatureMeasurementEncoder.Encode(new TemperatureMeasurement(value, false, time, 2), destination);
    }
}
