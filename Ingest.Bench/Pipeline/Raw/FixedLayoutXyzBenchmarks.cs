using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using Ingest.Bench.Pipeline.Polar;
using Ingest.Pipeline.Columns;
using Ingest.Pipeline.Decoding;
using Ingest.Pipeline.Decoding.FixedLayout;

namespace Ingest.Bench.Pipeline.Raw;

/// <summary>
/// The declarative decoder on the same 240-byte int16 x/y/z payload as <see cref="RawXyzFrameBenchmarks"/>: a
/// sequence byte, then x, y, z repeated to the end at 200 Hz, into int16 columns (interpreted, one instruction
/// per field). Baseline: copying the same bytes.
/// </summary>
[MemoryDiagnoser]
[Config(typeof(Config))]
public class FixedLayoutXyzBenchmarks
{
    private const string Settings = """
        {
          "fields": [ { "name": "sequence", "type": "u8", "column": "uint8" } ],
          "samples": {
            "sampleRateHz": 200,
            "fields": [
              { "name": "x", "type": "i16", "column": "int16", "unit": "mg" },
              { "name": "y", "type": "i16", "column": "int16", "unit": "mg" },
              { "name": "z", "type": "i16", "column": "int16", "unit": "mg" }
            ]
          }
        }
        """;

    // Batches of about 4096 rows, as the pipeline seals them: the columns stay cache-resident and never grow.
    private const int BatchRows = 4096;
    private const int Capacity = BatchRows + DecodeLimits.MaxSamplesPerFrame;
    private const int SamplesPerFrame = 40;

    private byte[][] _frames = [];
    private byte[] _copyTarget = [];
    private IFrameDecoder _decoder = null!;
    private StreamColumns _columns = null!;

    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(11);
        _frames = new byte[PmdBenchmarkFrames.FrameCount][];
        for (var f = 0; f < _frames.Length; f++)
        {
            _frames[f] = new byte[1 + 240];
            random.NextBytes(_frames[f]);
        }

        _copyTarget = new byte[512];
        _decoder = FixedLayoutDecoder.Factory.Create(DecoderSettings.Parse(Settings, "bench", "$.settings"));
        _columns = new StreamColumns(_decoder.Schema, Capacity);
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = PmdBenchmarkFrames.FrameCount)]
    public int CopyPayload()
    {
        var total = 0;
        foreach (var frame in _frames)
        {
            frame.AsSpan(1).CopyTo(_copyTarget);
            total += _copyTarget[0];
        }

        return total;
    }

    [Benchmark(OperationsPerInvoke = PmdBenchmarkFrames.FrameCount)]
    public int Decoder()
    {
        var columns = _columns;
        var accepted = 0;
        foreach (var frame in _frames)
        {
            if (columns.HubTime.Length >= BatchRows)
            {
                columns.Clear();
            }

            accepted += _decoder.Decode(frame, 1_763_805_600_000_000_000, columns).IsAccepted ? 1 : 0;
        }

        return accepted;
    }

    private sealed class Config : ManualConfig
    {
        public Config()
        {
            AddColumn(new SamplesPerSecondColumn(SamplesPerFrame));
        }
    }
}
