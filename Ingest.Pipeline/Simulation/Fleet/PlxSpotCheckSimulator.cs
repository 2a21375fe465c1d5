using Ingest.Pipeline.Profiles;
using Ingest.Pipeline.Simulation.Sig;

namespace Ingest.Pipeline.Simulation.Fleet;

/// <summary>PLX Spot-Check Measurement (0x2A5E) every two minutes, time-stamped by the device clock (so device_time shows its offset).</summary>
internal sealed class PlxSpotCheckSimulator : StreamSimulator
{
    private const long Period = 120 * Decoding.SampleClock.NanosecondsPerSecond;
    private readonly long _phase;
    private SimRandom _noise;

    public PlxSpotCheckSimulator(StreamDefinition stream, ref SimRandom random)
        : base(stream, GarbageKind.ReservedFlag)
    {
        _phase = random.NextInt64(Period / 4);
        _noise = new SimRandom(random.NextUInt64());
    }

    public override long FrameTick(long frame) => _phase + (frame * Period);

    public override int Write(Span<byte> destination, long frame, long tick, VirtualTracker tracker)
    {
        var time = SigDateTimeFields.From(DateTime.UnixEpoch.AddTicks(tracker.Clock.DeviceTime(tick) / 100));
        var measurement = new PlxSpotCheckMeasurement(
            new SpO2PulseRate(PlxContinuousSimulator.Sfloat(_noise.Next(95, 99), 0), PlxContinuousSimulator.Sfloat(_noise.Next(60, 80), 0)),
            Timestamp: time);
        return PlxMeasurementEncoder.Encode(measurement, destination);
    }
}
