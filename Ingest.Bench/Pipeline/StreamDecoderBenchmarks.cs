using BenchmarkDotNet.Attributes;
using Ingest.Pipeline.Columns;
using Ingest.Pipeline.Decoding;
using Ingest.Pipeline.Decoding.Sig;

namespace Ingest.Bench.Pipeline;

/// <summary>
/// What the <see cref="StreamDecoder"/> wrapper (limit checks, commit/rollback, counters) costs on top of a
/// decoder, per frame, with the same 1-byte Battery Level payload. Baseline: copying the payload bytes.
/// </summary>
[MemoryDiagnoser]
public class StreamDecoderBenchmarks
{
    private const int FramesPerInvoke = 4096;
    private readonly byte[] _frame = [87];
    private readonly byte[] _copyTarget = new byte[1];
    private BatteryLevelDecoder _decoder = null!;
    private StreamColumns _columns = null!;
    private StreamDecoder _streamDecoder = null!;

    [GlobalSetup]
    public void Setup()
    {
        _decoder = new BatteryLevelDecoder();
        _columns = new StreamColumns(_decoder.Schema, FramesPerInvoke);
        _streamDecoder = new StreamDecoder(new BatteryLevelDecoder(), initialRows: FramesPerInvoke);
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = FramesPerInvoke)]
    public void CopyPayload()
    {
        for (var i = 0; i < FramesPerInvoke; i++)
        {
            _frame.AsSpan().CopyTo(_copyTarget);
        }
    }

    [Benchmark(OperationsPerInvoke = FramesPerInvoke)]
    public void DecoderDirect()
    {
        _columns.Clear();
        for (var i = 0; i < FramesPerInvoke; i++)
        {
            _decoder.Decode(_frame, i, _columns);
        }
    }

    [Benchmark(OperationsPerInvoke = FramesPerInvoke)]
    public void ThroughStreamDecoder()
    {
        _streamDecoder.Columns.Clear();
        for (var i = 0; i < FramesPerInvoke; i++)
        {
            _streamDecoder.Decode(_frame, i);
        }
    }
}
