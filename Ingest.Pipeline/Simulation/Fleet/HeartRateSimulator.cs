using Ingest.Pipeline.Profiles;
using Ingest.Pipeline.Simulation.Sig;

namespace Ingest.Pipeline.Simulation.Fleet;

/// <summary>
/// Heart Rate Measurement (0x2A37) once a second with the RR intervals of the beats completed since the previous
/// notification. Flavours: a Polar H10 sends contact and RR; a generic strap adds energy expended; InfiniTime sends
/// only <c>00 &lt;bpm&gt;</c> (protocols.md §4.9).
/// </summary>
internal sealed class HeartRateSimulator : StreamSimulator
{
    private const long Period = Decoding.SampleClock.NanosecondsPerSecond;

    // A second holds at most 4 beats at 240/min: room to spare.
    private readonly ushort[] _rr = new ushort[8];
    private readonly long _phase;
    private readonly bool _minimal;
    private readonly bool _energy;
    private BeatCursor _beats;
    private bool _started;

    public HeartRateSimulator(FirmwareProfile profile, StreamDefinition stream, ref SimRandom random)
        : base(stream, GarbageKind.ReservedFlag)
    {
        _phase = random.NextInt64(Period);
        _minimal = profile.Id == "pinetime-infinitime";
        _energy = !_minimal && profile.Id != "polar-h10";
    }

    public override long FrameTick(long frame) => _phase + (frame * Period);

    public override int Write(Span<byte> destination, long frame, long tick, VirtualTracker tracker)
    {
        if (!_started)
        {
            _beats = tracker.Heart.Start();
            _started = true;
        }

        var count = 0;
        while (_beats.StartTick + _beats.RrNs <= tick)
        {
            if (count < _rr.Length)
            {
                // RR in 1/1024 s (HRS 1.0 §3.1.1.5).
                _rr[count++] = (ushort)(_beats.RrNs * 1024 / Decoding.SampleClock.NanosecondsPerSecond);
            }

            _beats.StartTick += _beats.RrNs;
            _beats.Beat++;
            _beats.RrNs = tracker.Heart.RrNs(_beats.Beat);
        }

        var bpm = (ushort)Math.Round(60e9 / _beats.RrNs);
        var measurement = _minimal
            ? new HeartRateMeasurement(bpm, false, 0, null, default)
            : new HeartRateMeasurement(bpm, false, 3, _energy ? (ushort)(tick / 2_500_000_000L) : null, new ReadOnlyMemory<ushort>(_rr, 0, count));
        return HeartRateMeasurementEncoder.Encode(measurement, destination);
    }
}
