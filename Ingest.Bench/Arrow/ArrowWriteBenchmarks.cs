using BenchmarkDotNet.Attributes;
using Ingest.Arrow;

namespace Ingest.Bench.Arrow;

/// <summary>
/// Build + serialize one record batch of an accelerometer-like stream (timestamp[us, UTC], xyz as
/// fixed_size_list&lt;float&gt;[3], heart rate uint8 with nulls, device as dictionary&lt;int32, utf8&gt;) from
/// column buffers as the pipeline holds them, against a memcpy of the same column bytes (performance.md G2).
/// Gate on the Ratio column: ≥ 0.8 of the baseline rate at ≥ 8 k rows, ≤ 1 µs fixed cost, 0 B allocated.
/// </summary>
[MemoryDiagnoser]
public class ArrowWriteBenchmarks
{
    private ArrowSchema _schema = null!;
    private byte[] _time = null!;
    private byte[] _xyz = null!;
    private byte[] _hr = null!;
    private byte[] _hrValidity = null!;
    private byte[] _device = null!;
    private ArrowColumn[] _xyzChild = null!;
    private ArrowColumn[] _columns = null!;
    private ArrowColumn[] _dictionaries = null!;
    private int _hrNulls;
    private ArrowBufferWriter _output = null!;
    private ArrowStreamWriter _stream = null!;

    /// <summary>Rows per batch: an MQTT-message-sized batch up to a replay-sized one.</summary>
    [Params(120, 1024, 8192, 65536)]
    public int Rows { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _schema = new ArrowSchema.Builder()
            .Metadata("wearable:profile", "polar-h10/pmd-acc")
            .Metadata("wearable:participant", "P-0042")
            .Field("time", ArrowType.Timestamp(ArrowTimeUnit.Microsecond, "UTC"), isNullable: false)
            .Field("xyz", ArrowType.FixedSizeList(new ArrowField("item", ArrowType.Float32, isNullable: false), 3), isNullable: false,
                metadata: [new("wearable:unit", "mG")])
            .Field("hr", ArrowType.UInt8, metadata: [new("wearable:unit", "bpm")])
            .Field(new ArrowField("device", ArrowType.Utf8, false, null, new ArrowDictionaryEncoding(0, ArrowType.Int32)))
            .Build();
        var random = new Random(42);
        _time = new byte[Rows * 8];
        _xyz = new byte[Rows * 12];
        _hr = new byte[Rows];
        _hrValidity = new byte[(Rows + 7) / 8];
        _device = new byte[Rows * 4];
        random.NextBytes(_time);
        random.NextBytes(_xyz);
        random.NextBytes(_hr);
        for (var i = 0; i < Rows; i++)
        {
            if (i % 50 != 7)
            {
                _hrValidity[i >> 3] |= (byte)(1 << (i & 7));
            }
            else
            {
                _hrNulls++;
            }
        }

        _xyzChild = new ArrowColumn[1];
        _columns = new ArrowColumn[4];
        _dictionaries = [ArrowColumn.VariableSize(1, new byte[] { 0, 0, 0, 0, 9, 0, 0, 0 }, "polar-h10"u8.ToArray())];
        _output = new ArrowBufferWriter(Rows * 32 + 4096);
        _stream = new ArrowStreamWriter(_output, _schema);
        _stream.WriteStart(_dictionaries);
        BuildColumns();
        // Warm the schema encoding and the pools.
        _output.Clear();
        ArrowIpc.WriteStream(_output, _schema, Rows, _columns, _dictionaries);
    }

    /// <summary>The bytes of the last write (for the read benchmark's setup).</summary>
    public ReadOnlyMemory<byte> WrittenMessage => _output.WrittenMemory;

    [GlobalCleanup]
    public void Cleanup() => _output.Dispose();

    /// <summary>Baseline: copy the same column bytes into the same output buffer.</summary>
    [Benchmark(Baseline = true)]
    public int CopyColumnBytes()
    {
        _output.Clear();
        Copy(_time);
        Copy(_xyz);
        Copy(_hrValidity);
        Copy(_hr);
        Copy(_device);
        return _output.WrittenCount;
    }

    /// <summary>A persistent stream writer: the record batch message only (schema and dictionary already sent).</summary>
    [Benchmark]
    public int StreamWriterBatch()
    {
        _output.Clear();
        BuildColumns();
        _stream.WriteBatch(Rows, _columns);
        return _output.WrittenCount;
    }

    /// <summary>A self-contained MQTT payload: cached Schema message + dictionary + record batch + EOS.</summary>
    [Benchmark]
    public int OneShotStream()
    {
        _output.Clear();
        BuildColumns();
        return (int)ArrowIpc.WriteStream(_output, _schema, Rows, _columns, _dictionaries);
    }

    private void BuildColumns()
    {
        // "Build" is wrapping the pipeline's buffers: no per-value work, no copy.
        _xyzChild[0] = ArrowColumn.Primitive(Rows * 3, _xyz);
        _columns[0] = ArrowColumn.Primitive(Rows, _time);
        _columns[1] = ArrowColumn.FixedSizeList(Rows, _xyzChild);
        _columns[2] = ArrowColumn.Primitive(Rows, _hr, _hrValidity, _hrNulls);
        _columns[3] = ArrowColumn.Primitive(Rows, _device);
    }

    private void Copy(byte[] source)
    {
        source.AsSpan().CopyTo(_output.GetSpan(source.Length));
        _output.Advance(source.Length);
    }
}
