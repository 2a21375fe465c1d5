using BenchmarkDotNet.Attributes;
using Ingest.Pipeline.Columns;
using Ingest.Pipeline.Decoding;
using Ingest.Pipeline.Decoding.Ieee11073;
using Ingest.Pipeline.Decoding.Sig;
using Ingest.Pipeline.Simulation.Sig;

namespace Ingest.Bench.Pipeline.Sig;

/// <summary>
/// G1.7 (performance.md) for the other SIG decoders: per-frame cost and 0 B allocated. Each invocation decodes
/// <see cref="FramesPerInvoke"/> frames (cycling through <see cref="Distinct"/> realistic frames built with the
/// simulator's encoders) into columns pre-sized for that many rows and cleared at the start; the baseline copies the
/// same bytes.
/// </summary>
[MemoryDiagnoser]
public class SigDecoderBenchmarks
{
    /// <summary>Frames per invocation.</summary>
    public const int FramesPerInvoke = 4096;

    /// <summary>Distinct frames cycled through (a power of two).</summary>
    public const int Distinct = 64;

    private byte[][] _frames = [];
    private byte[] _copyTarget = [];
    private IFrameDecoder _decoder = null!;
    private StreamColumns _columns = null!;

    /// <summary>The decoder.</summary>
    [Params("plx-continuous", "plx-spot-check", "temperature", "rsc", "csc")]
    public string Decoder { get; set; } = "csc";

    [GlobalSetup]
    public void Setup()
    {
        _frames = new byte[Distinct][];
        for (var i = 0; i < Distinct; i++)
        {
            _frames[i] = Frame(Decoder, i);
        }

        _decoder = Decoder switch
        {
            "plx-continuous" => new PlxContinuousMeasurementDecoder(),
            "plx-spot-check" => new PlxSpotCheckMeasurementDecoder(),
            "temperature" => new TemperatureMeasurementDecoder(),
            "rsc" => new RscMeasurementDecoder(),
            _ => new CscMeasurementDecoder(),
        };
        _copyTarget = new byte[32 * FramesPerInvoke];
        _columns = new StreamColumns(_decoder.Schema, FramesPerInvoke);
        DecodeFrames();
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = FramesPerInvoke)]
    public int CopyPayload()
    {
        var target = _copyTarget.AsSpan();
        var frames = _frames;
        for (var i = 0; i < FramesPerInvoke; i++)
        {
            frames[i & (Distinct - 1)].CopyTo(target.Slice(i * 32, 32));
        }

        return target[^1];
    }

    [Benchmark(OperationsPerInvoke = FramesPerInvoke)]
    public int DecodeFrames()
    {
        var columns = _columns;
        columns.Clear();
        var decoder = _decoder;
        var frames = _frames;
        var accepted = 0;
        for (var i = 0; i < FramesPerInvoke; i++)
        {
            accepted += decoder.Decode(frames[i & (Distinct - 1)], i * 1_000_000_000L, columns).IsAccepted ? 1 : 0;
            columns.TryCommit(out _);
        }

        return accepted;
    }

    private static byte[] Frame(string decoder, int i)
    {
        var buffer = new byte[32];
        var spo2 = new SpO2PulseRate(SFloat.Create(95 + (i % 5), 0), SFloat.Create(600 + i, -1));
        var stamp = SigDateTimeFields.From(new DateTime(2026, 11, 22, 10, 0, 0, DateTimeKind.Utc).AddSeconds(i));
        var length = decoder switch
        {
            "plx-continuous" => PlxMeasurementEncoder.Encode(
                new PlxContinuousMeasurement(spo2, i % 2 == 0 ? spo2 : null, null, 0x0020, null, SFloat.Create(40 + i, -1)), buffer),
            "plx-spot-check" => PlxMeasurementEncoder.Encode(new PlxSpotCheckMeasurement(spo2, stamp, PulseAmplitudeIndex: SFloat.Create(31, -1)), buffer),
            "temperature" => TemperatureMeasurementEncoder.Encode(
                new TemperatureMeasurement(MderFloat.Create(365 + (i % 8), -1), i % 4 == 0, stamp, 6), buffer),
            "rsc" => RscMeasurementEncoder.Encode(new RscMeasurement((ushort)(768 + i), 170, 110, (uint)(10_000 + (12 * i)), Running: true), buffer),
            _ => CscMeasurementEncoder.Encode(
                new CscMeasurement((uint)(1000 + (2 * i)), (ushort)(1024 * i), (ushort)(500 + i), (ushort)(683 * i)), buffer),
        };
        return buffer[..length];
    }
}
