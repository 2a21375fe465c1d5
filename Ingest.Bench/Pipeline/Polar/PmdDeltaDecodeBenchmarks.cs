using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using Ingest.Pipeline.Decoding;
using Ingest.Pipeline.Decoding.Polar;

namespace Ingest.Bench.Pipeline.Polar;

/// <summary>
/// G1.5: Polar PMD delta-compressed ACC (type 1, 3 × 16-bit) frames of a 244-byte notification, per frame.
/// <c>Kernel</c> is the bit-stream decode into int32 columns; <c>Decoder</c> is the whole frame path
/// (header, scan, decode, device and hub time) through the <see cref="StreamDecoder"/> with commit;
/// <c>SdkShapedPort</c> is the naive list-of-bits reference G1.5 asks for 15x over. Baseline: copying the same payload bytes.
/// </summary>
[MemoryDiagnoser]
[Config(typeof(Config))]
public class PmdDeltaDecodeBenchmarks
{
    private const string Settings = """{ "measurement": "acc", "sampleRateHz": 52, "frameType": 1, "compressed": true, "resolutionBits": 16 }""";
    // Batches of about 4096 rows, as the pipeline seals them: the columns stay cache-resident and never grow.
    private const int Capacity = PmdBenchmarkFrames.Capacity;

    private byte[][] _frames = [];
    private byte[] _copyTarget = [];
    private int[] _x = [];
    private int[] _y = [];
    private int[] _z = [];
    private StreamDecoder _stream = null!;

    /// <summary>Samples per frame of the benchmark frames.</summary>
    public static int SamplesPerFrame { get; } = ComputeSamplesPerFrame();

    [GlobalSetup]
    public void Setup()
    {
        _frames = PmdBenchmarkFrames.CompressedAcc(out _);
        _copyTarget = new byte[512];
        _x = new int[4096];
        _y = new int[4096];
        _z = new int[4096];
        var decoder = PolarPmdDecoder.Factory.Create(DecoderSettings.Parse(Settings, "bench", "$.settings"));
        _stream = new StreamDecoder(decoder, quarantine: null, initialRows: Capacity);
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = PmdBenchmarkFrames.FrameCount)]
    public int CopyPayload()
    {
        return PmdBenchmarkFrames.CopyPayloads(_frames, _copyTarget);
    }

    [Benchmark(OperationsPerInvoke = PmdBenchmarkFrames.FrameCount)]
    public int SdkShapedPort()
    {
        var total = 0;
        foreach (var frame in _frames)
        {
            total += SdkShapedDeltaParser.Parse(frame, PmdFrameHeader.Size, 3, 16).Count;
        }

        return total;
    }

    [Benchmark(OperationsPerInvoke = PmdBenchmarkFrames.FrameCount)]
    public int Kernel()
    {
        var total = 0;
        foreach (var frame in _frames)
        {
            var payload = frame.AsSpan(PmdFrameHeader.Size);
            var scan = PmdDeltaCodec.Scan(payload, 3, 16);
            PmdDeltaCodec.Decode(payload, 3, 16, _x, _y, _z, default);
            total += scan.Samples;
        }

        return total;
    }

    [Benchmark(OperationsPerInvoke = PmdBenchmarkFrames.FrameCount)]
    public int Decoder()
    {
        return PmdBenchmarkFrames.ReplayThroughStreamDecoder(_stream, _frames);
    }

    private static int ComputeSamplesPerFrame()
    {
        PmdBenchmarkFrames.CompressedAcc(out var samples);
        return samples;
    }

    private sealed class Config : ManualConfig
    {
        public Config()
        {
            AddColumn(new SamplesPerSecondColumn(SamplesPerFrame));
        }
    }
}
