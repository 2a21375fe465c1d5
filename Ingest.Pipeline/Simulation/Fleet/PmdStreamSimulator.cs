using Ingest.Pipeline.Decoding;
using Ingest.Pipeline.Decoding.Polar;
using Ingest.Pipeline.Profiles;
using Ingest.Pipeline.Simulation.Polar;

namespace Ingest.Pipeline.Simulation.Fleet;

/// <summary>
/// Polar PMD DATA frames for one measurement as the stream's settings ask for it: raw ECG/ACC/PPG, delta-compressed
/// ECG/ACC/PPG, and PPI. Frame sizes follow the sensors: an H10 sends 73 ECG samples per notification at 130 Hz
/// (229 bytes) and 36 ACC samples (226 bytes); the timestamp is the last sample's on the device clock (ns since 2000).
/// </summary>
internal sealed class PmdStreamSimulator : StreamSimulator
{
    private const long PpiPeriod = Decoding.SampleClock.NanosecondsPerSecond;

    private readonly PolarPmdSettings _settings;
    private readonly int _perFrame;
    private readonly long _phase;
    private readonly int[][] _channels;
    private readonly int[] _interleaved;
    private readonly PmdPpiSample[] _beats = new PmdPpiSample[8];
    private SimRandom _noise;
    private BeatCursor _cursor;
    private bool _started;

    private PmdStreamSimulator(StreamDefinition stream, PolarPmdSettings settings, int perFrame, ref SimRandom random)
        : base(stream, GarbageKind.PmdMeasurement)
    {
        _settings = settings;
        _perFrame = perFrame;
        _phase = random.NextInt64(Decoding.SampleClock.NanosecondsPerSecond);
        _noise = new SimRandom(random.NextUInt64());
        _channels = new int[settings.Channels][];
        for (var c = 0; c < _channels.Length; c++)
        {
            _channels[c] = new int[perFrame];
        }

        _interleaved = new int[perFrame * settings.Channels];
    }

    /// <summary>A simulator for the stream, or null when its layout is one the frame encoders do not write.</summary>
    public static PmdStreamSimulator? TryCreate(StreamDefinition stream, ref SimRandom random)
    {
        var settings = PolarPmdSettings.Parse(stream.Settings);
        int? perFrame = settings.Layout switch
        {
            PmdFrameLayout.EcgRaw0 => 73,
            PmdFrameLayout.AccRaw0 or PmdFrameLayout.AccRaw1 => 36,
            PmdFrameLayout.AccRaw2 => 25,
            PmdFrameLayout.PpgRaw0 => 18,
            PmdFrameLayout.Delta => settings.Measurement switch
            {
                PmdMeasurementType.Ppg => 28,
                PmdMeasurementType.Acc => 36,
                _ => 73,
            },
            PmdFrameLayout.PpiRaw0 => 0,
            _ => null,
        };
        return perFrame is { } n ? new PmdStreamSimulator(stream, settings, n, ref random) : null;
    }

    public override long FrameTick(long frame) => _settings.Layout == PmdFrameLayout.PpiRaw0
        ? _phase + (frame * PpiPeriod)
        : SampleTick(_phase, ((frame + 1) * _perFrame) - 1, _settings.SampleRateHz);

    public override int Write(Span<byte> destination, long frame, long tick, VirtualTracker tracker)
    {
        if (!_started)
        {
            _cursor = tracker.Heart.Start();
            _started = true;
        }

        var timestamp = (ulong)(tracker.Clock.DeviceTime(tick) - SampleClock.UnixToY2000Ns);
        if (_settings.Layout == PmdFrameLayout.PpiRaw0)
        {
            return WritePpi(destination, tick, timestamp, tracker.Heart);
        }

        var first = frame * _perFrame;
        for (var i = 0; i < _perFrame; i++)
        {
            var sampleTick = SampleTick(_phase, first + i, _settings.SampleRateHz);
            tracker.Heart.AdvanceTo(ref _cursor, sampleTick);
            var phase = HeartModel.Phase(_cursor, sampleTick);
            var seconds = Seconds(sampleTick);
            for (var c = 0; c < _channels.Length; c++)
            {
                _channels[c][i] = _settings.Measurement switch
                {
                    PmdMeasurementType.Ecg => Signals.Ecg(phase, seconds, ref _noise),
                    PmdMeasurementType.Ppg => Signals.Ppg(c, phase, seconds, ref _noise),
                    _ => Signals.Acc(c, seconds, ref _noise),
                };
            }
        }

        int length;
        switch (_settings.Layout)
        {
            case PmdFrameLayout.EcgRaw0:
                length = PmdFrameEncoder.EncodeEcgRaw0(destination, timestamp, _channels[0]);
                break;
            case PmdFrameLayout.AccRaw0:
            case PmdFrameLayout.AccRaw1:
            case PmdFrameLayout.AccRaw2:
                if (_settings.Layout == PmdFrameLayout.AccRaw0)
                {
                    // int8 frames carry coarse values (the sensor scales them to its range): keep them in range.
                    for (var c = 0; c < 3; c++)
                    {
                        for (var i = 0; i < _perFrame; i++)
                        {
                            _channels[c][i] = Math.Clamp(_channels[c][i] / 16, sbyte.MinValue, sbyte.MaxValue);
                        }
                    }
                }

                length = PmdFrameEncoder.EncodeAccRaw(destination, timestamp, _settings.FrameType, _channels[0], _channels[1], _channels[2]);
                break;
            case PmdFrameLayout.PpgRaw0:
                length = PmdFrameEncoder.EncodePpgRaw0(destination, timestamp, _channels[0], _channels[1], _channels[2], _channels[3]);
                break;
            default:
                for (var i = 0; i < _perFrame; i++)
                {
                    for (var c = 0; c < _channels.Length; c++)
                    {
                        _interleaved[(i * _channels.Length) + c] = _channels[c][i];
                    }
                }

                length = PmdFrameEncoder.EncodeDelta(destination, _settings.Measurement, timestamp, _settings.FrameType,
                    _channels.Length, _settings.ReferenceBits, _interleaved);
                break;
        }

        return length;
    }

    private int WritePpi(Span<byte> destination, long tick, ulong timestamp, HeartModel heart)
    {
        // The beats completed since the previous frame; the frame's timestamp is the last beat's (PpiData.dataFromType0).
        var count = 0;
        var lastBeatEnd = 0L;
        while (_cursor.StartTick + _cursor.RrNs <= tick)
        {
            if (count < _beats.Length)
            {
                var ppMs = (ushort)(_cursor.RrNs / 1_000_000);
                _beats[count++] = new PmdPpiSample((byte)Math.Round(60_000.0 / ppMs), ppMs, 10, 0b110);
            }

            lastBeatEnd = _cursor.StartTick + _cursor.RrNs;
            _cursor.StartTick += _cursor.RrNs;
            _cursor.Beat++;
            _cursor.RrNs = heart.RrNs(_cursor.Beat);
        }

        if (count == 0)
        {
            return 0;
        }

        var beatTimestamp = timestamp - (ulong)(tick - lastBeatEnd);
        return PmdFrameEncoder.EncodePpi(destination, beatTimestamp, _beats.AsSpan(0, count));
    }
}
