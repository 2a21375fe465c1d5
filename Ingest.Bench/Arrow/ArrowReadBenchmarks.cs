using BenchmarkDotNet.Attributes;
using Ingest.Arrow;

namespace Ingest.Bench.Arrow;

/// <summary>
/// Read + fully validate one self-contained message (schema, dictionary, batch) of the accelerometer-like
/// stream, against a memcpy of the message. The reader is for tools and tests (arrow inspect, replay
/// checks), not the hot path: it allocates one object per column plus the schema, independent of rows.
/// </summary>
[MemoryDiagnoser]
public class ArrowReadBenchmarks
{
    private byte[] _message = null!;
    private byte[] _copy = null!;

    /// <summary>Rows in the batch.</summary>
    [Params(120, 8192)]
    public int Rows { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var write = new ArrowWriteBenchmarks { Rows = Rows };
        write.Setup();
        write.OneShotStream();
        _message = write.WrittenMessage.ToArray();
        _copy = new byte[_message.Length];
        write.Cleanup();
    }

    /// <summary>Baseline: copy the message bytes.</summary>
    [Benchmark(Baseline = true)]
    public int CopyMessage()
    {
        _message.AsSpan().CopyTo(_copy);
        return _copy.Length;
    }

    /// <summary>Parse and validate the message, then touch one value per column.</summary>
    [Benchmark]
    public long ReadMessage()
    {
        var batch = ArrowIpcReader.ReadStream(_message).RecordBatches[0];
        return batch.Columns[0].GetInt64(0) + batch.Columns[1].Children[0].Length + batch.Columns[3].GetDictionaryIndex(0);
    }
}
