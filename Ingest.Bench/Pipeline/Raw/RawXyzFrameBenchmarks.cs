using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using Ingest.Bench.Pipeline.Polar;
using Ingest.Pipeline.Columns;
using Ingest.Pipeline.Decoding;
using Ingest.Pipeline.Decoding.Polar;

namespace Ingest.Bench.Pipeline.Raw;

/// <summary>
/// G1.4: a raw int16 x/y/z frame (Polar PMD ACC raw type 1: 40 samples = 240 payload bytes) into int16 x, y, z
/// columns plus hub and device time, per frame. <c>Decoder</c> is the decoder alone into pre-sized columns;
/// <c>StreamDecoder</c> adds limits, commit and counters. Baseline: copying the same 240 bytes.
/// </summary>
[MemoryDiagnoser]
[Config(typeof(Config))]
public class RawXyzFrameBenchmarks
{
    private const string Settings = """{ "measurement": "acc", "sampleRateHz": 200, "frameType": 1 }""";
    // Batches of about 4096 rows, as the pipeline seals them: the columns stay cache-resident and never grow.
    private const int BatchRows = PmdBenchmarkFrames.BatchRows;
    private const int Capacity = PmdBenchmarkFrames.Capacity;
    private const int SamplesPerFrame = 40;

    private byte[][] _frames = [];
    private byte[] _copyTarget = [];
    private IFrameDecoder _decoder = null!;
    private StreamColumns _columns = null!;
    private StreamDecoder _stream = null!;

    [GlobalSetup]
    public void Setup()
    {
        _frames = PmdBenchmarkFrames.RawAcc();
        _copyTarget = new byte[512];
        var settings = DecoderSettings.Parse(Settings, "bench", "$.settings");
        _decoder = PolarPmdDecoder.Factory.Create(settings);
        _columns = new StreamColumns(_decoder.Schema, Capacity);
        _stream = new StreamDecoder(PolarPmdDecoder.Factory.Create(settings), null, Capacity);
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = PmdBenchmarkFrames.FrameCount)]
    public int CopyPayload()
    {
        return PmdBenchmarkFrames.CopyPayloads(_frames, _copyTarget);
    }

    [Benchmark(OperationsPerInvoke = PmdBenchmarkFrames.FrameCount)]
    public int Decoder()
    {
        var columns = _columns;
        _decoder.Reset();
        var accepted = 0;
        foreach (var frame in _frames)
        {
            if (columns.HubTime.Length >= BatchRows)
            {
                columns.Clear();
            }

            accepted += _decoder.Decode(frame, PmdBenchmarkFrames.HubTimeNs, columns).IsAccepted ? 1 : 0;
        }

        return accepted;
    }

    [Benchmark(OperationsPerInvoke = PmdBenchmarkFrames.FrameCount)]
    public int StreamDecoder()
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
