using Ingest.Pipeline.Decoding.Ieee11073;
using Ingest.Pipeline.Profiles;
using Ingest.Pipeline.Simulation.Sig;

namespace Ingest.Pipeline.Simulation.Fleet;

/// <summary>PLX Continuous Measurement (0x2A5F) once a second: SpO2 95–99 % and the pulse rate of the tracker's heart.</summary>
internal sealed class PlxContinuousSimulator : StreamSimulator
{
    private const long Period = Decoding.SampleClock.NanosecondsPerSecond;
    private readonly long _phase;
    private SimRandom _noise;
    private BeatCursor _cursor;
    private bool _started;

    public PlxContinuousSimulator(StreamDefinition stream, ref SimRandom random)
        : base(stream, GarbageKind.ReservedFlag)
    {
        _phase = random.NextInt64(Period);
        _noise = new SimRandom(random.NextUInt64());
    }

    public override long FrameTick(long frame) => _phase + (frame * Period);

    public override int Write(Span<byte> destination, long frame, long tick, VirtualTracker tracker)
    {
        if (!_started)
        {
            _cursor = tracker.Heart.Start();
            _started = true;
        }

        tracker.Heart.AdvanceTo(ref _cursor, tick);
        var pulse = (int)Math.Round(60e9 / _cursor.RrNs);
        var measurement = new PlxContinuousMeasurement(
            new SpO2PulseRate(Sfloat(_noise.Next(95, 99), 0), Sfloat(pulse, 0)),
            MeasurementStatus: 0,
            PulseAmplitudeIndex: Sfloat(_noise.Next(20, 80), -1));
        return PlxMeasurementEncoder.Encode(measurement, destination);
    }

    /// <summary>An SFLOAT of mantissa × 10^exponent (IEEE 11073-20601 §F.8: 4-bit exponent, 12-bit mantissa).</summary>
    internal static SFloat Sfloat(int mantissa, int exponent) => new((ushort)(((exponent & 0xF) << 12) | (mantissa & 0xFFF)));
}
