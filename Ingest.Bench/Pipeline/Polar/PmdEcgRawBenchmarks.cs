using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using Ingest.Pipeline.Decoding;
using Ingest.Pipeline.Decoding.Polar;

namespace Ingest.Bench.Pipeline.Polar;

/// <summary>Polar H10 ECG raw type 0 (73 int24 µV samples per 229-byte notification) → columns, per frame.</summary>
[MemoryDiagnoser]
[Config(typeof(Config))]
public class PmdEcgRawBenchmarks
{
    private const string Settings = """{ "measurement": "ecg", "sampleRateHz": 130, "resolutionBits": 14 }""";
    // Batches of about 4096 rows, as the pipeline seals them: the columns stay cache-resident and never grow.
    private const int Capacity = PmdBenchmarkFrames.Capacity;
    private const int SamplesPerFrame = 73;

    private byte[][] _frames = [];
    private byte[] _copyTarget = [];
    private StreamDecoder _stream = null!;

    [GlobalSetup]
    public void Setup()
    {
        _frames = PmdBenchmarkFrames.RawEcg();
        _copyTarget = new byte[512];
        _stream = new StreamDecoder(PolarPmdDecoder.Factory.Create(DecoderSettings.Parse(Settings, "bench", "$.settings")), null, Capacity);
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = PmdBenchmarkFrames.FrameCount)]
    public int CopyPayload()
    {
        return PmdBenchmarkFrames.CopyPayloads(_frames, _copyTarget);
    }

    [Benchmark(OperationsPerInvoke = PmdBenchmarkFrames.FrameCount)]
    public int Decoder()
    {
        return PmdBenchmarkFrames.ReplayThroughStreamDecoder(_stream, _frames);
    }

    private sealed class Config : ManualConfig
    {
        public Config()
        {
            AddColumn(new SamplesPerSecondColumn(SamplesPerFrame));
        }
    }
}
