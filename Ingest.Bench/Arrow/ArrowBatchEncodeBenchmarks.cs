using System.Runtime.InteropServices;
using BenchmarkDotNet.Attributes;
using Ingest.Pipeline.Batching;
using Ingest.Pipeline.Columns;

namespace Ingest.Bench.Arrow;

/// <summary>
/// Sealing one batch of an eight-column stream into a complete IPC stream message (schema with identity metadata,
/// record batch, end marker) with <see cref="ArrowBatchEncoder"/> on Apache.Arrow, against a copy of the same
/// column bytes (Ratio column). Budget (performance.md G2, issue 8): a 1,024-row batch in ≤ 15 µs with ≤ 16 KB
/// allocated (Ingest.Bench/allocation-budgets.json). docs/wire/arrow-ipc.md has the one-off comparison with the
/// library this replaced.
/// </summary>
[MemoryDiagnoser]
public class ArrowBatchEncodeBenchmarks
{
    private StreamColumns _columns = null!;
    private ArrowBatchEncoder _encoder = null!;
    private byte[] _copyTarget = null!;

    /// <summary>Rows per batch: a small MQTT message, the default-sized batch, a large replay batch.</summary>
    [Params(120, 1024, 8192)]
    public int Rows { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _columns = BenchmarkStreams.Rows(Rows);
        _encoder = new ArrowBatchEncoder(BenchmarkStreams.Schema, BenchmarkStreams.Description);
        _copyTarget = new byte[(Rows * 64) + 8192];
    }

    [GlobalCleanup]
    public void Cleanup() => _encoder.Dispose();

    /// <summary>Baseline: copy every column buffer the message carries into one reused buffer.</summary>
    [Benchmark(Baseline = true)]
    public int CopyColumnBytes()
    {
        var target = _copyTarget.AsSpan();
        var written = Copy(_columns.HubTime.ValueBytes, target, 0);
        written = Copy(_columns.DeviceTime!.ValueBytes, target, written);
        written = Copy(_columns.Values<short>(0).ValueBytes, target, written);
        written = Copy(_columns.Values<short>(1).ValueBytes, target, written);
        written = Copy(_columns.Values<short>(2).ValueBytes, target, written);
        written = Copy(_columns.Values<int>(3).ValueBytes, target, written);
        written = Copy(_columns.Values<ushort>(4).ValidityBytes, target, written);
        written = Copy(_columns.Values<ushort>(4).ValueBytes, target, written);
        var rr = _columns.List<ushort>(5);
        written = Copy(MemoryMarshal.AsBytes(rr.Offsets), target, written);
        return Copy(rr.Elements.ValueBytes, target, written);
    }

    /// <summary><see cref="ArrowBatchEncoder.EncodeStream"/>, uncompressed: what one MQTT message or spool record carries.</summary>
    [Benchmark]
    public int EncodeStream() => _encoder.EncodeStream(_columns, BenchmarkStreams.Identity).Length;

    private static int Copy(ReadOnlySpan<byte> source, Span<byte> target, int at)
    {
        source.CopyTo(target[at..]);
        return at + source.Length;
    }
}
