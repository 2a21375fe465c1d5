using BenchmarkDotNet.Attributes;
using Ingest.Pipeline.Batching;
using Ingest.Pipeline.Columns;
using OldArrow = Ingest.Arrow;

namespace Ingest.Bench.Arrow;

/// <summary>
/// One-off comparison for issue 8 (docs/wire/arrow-ipc.md "Apache.Arrow against our old library"): one batch of an
/// eight-column stream sealed into a complete IPC stream message (schema with identity metadata, record batch, end
/// marker) by the old lib/Ingest.Arrow path and by <see cref="ArrowBatchEncoder"/> on Apache.Arrow, against a copy
/// of the same column bytes. Deleted with lib/Ingest.Arrow.
/// </summary>
[MemoryDiagnoser]
public class ArrowEncodeSideBySideBenchmarks
{
    private StreamColumns _columns = null!;
    private ArrowBatchEncoder _encoder = null!;
    private OldArrow.ArrowBufferWriter _oldOutput = null!;
    private OldArrow.ArrowField[] _oldFields = null!;
    private OldArrow.ArrowColumn[] _oldColumns = null!;
    private OldArrow.ArrowColumn[] _oldRrChild = null!;
    private byte[] _copyTarget = null!;

    /// <summary>Rows per batch: a small MQTT message, the default-sized batch, a large replay batch.</summary>
    [Params(120, 1024, 8192)]
    public int Rows { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _columns = BenchmarkStreams.Rows(Rows);
        _encoder = new ArrowBatchEncoder(BenchmarkStreams.Schema, BenchmarkStreams.Description);
        _oldOutput = new OldArrow.ArrowBufferWriter(Rows * 64 + 8192);
        _oldFields =
        [
            new("hub_time", OldArrow.ArrowType.Timestamp(OldArrow.ArrowTimeUnit.Nanosecond, "UTC"), false, [new("description", "hub receive time (UTC)")]),
            new("device_time", OldArrow.ArrowType.Timestamp(OldArrow.ArrowTimeUnit.Nanosecond), true, [new("description", "the tracker's own clock")]),
            new("acc_x", OldArrow.ArrowType.Int16, false, [new("unit", "m[g]")]),
            new("acc_y", OldArrow.ArrowType.Int16, false, [new("unit", "m[g]")]),
            new("acc_z", OldArrow.ArrowType.Int16, false, [new("unit", "m[g]")]),
            new("ppg", OldArrow.ArrowType.Int32, false, [new("description", "green LED photodiode")]),
            new("heart_rate", OldArrow.ArrowType.UInt16, true, [new("unit", "/min")]),
            new("rr_interval", OldArrow.ArrowType.List(new OldArrow.ArrowField("item", OldArrow.ArrowType.UInt16, false)), false,
                [new("unit", "s"), new("scale", "0.0009765625")]),
        ];
        _oldColumns = new OldArrow.ArrowColumn[8];
        _oldRrChild = new OldArrow.ArrowColumn[1];
        _copyTarget = new byte[Rows * 64 + 8192];
        var payload = _encoder.EncodeStream(_columns, BenchmarkStreams.Identity);
        OldEncoder();
        if (Math.Abs(payload.Length - _oldOutput.WrittenCount) > 512)
        {
            throw new InvalidOperationException($"old and new messages differ too much in size: {_oldOutput.WrittenCount} vs {payload.Length}");
        }
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _encoder.Dispose();
        _oldOutput.Dispose();
    }

    /// <summary>Baseline: copy every column buffer the message carries into one reused buffer.</summary>
    [Benchmark(Baseline = true)]
    public int CopyColumnBytes()
    {
        var target = _copyTarget.AsSpan();
        var written = Copy(_columns.HubTime.ValueBytes, target, 0);
        written = Copy(_columns.DeviceTime!.ValueBytes, target, written);
        for (var i = 0; i < 5; i++)
        {
            written = Copy(_columns[i].ValidityBytes, target, written);
        }

        written = Copy(_columns.Values<short>(0).ValueBytes, target, written);
        written = Copy(_columns.Values<short>(1).ValueBytes, target, written);
        written = Copy(_columns.Values<short>(2).ValueBytes, target, written);
        written = Copy(_columns.Values<int>(3).ValueBytes, target, written);
        written = Copy(_columns.Values<ushort>(4).ValueBytes, target, written);
        var rr = _columns.List<ushort>(5);
        written = Copy(System.Runtime.InteropServices.MemoryMarshal.AsBytes(rr.Offsets), target, written);
        return Copy(rr.Elements.ValueBytes, target, written);
    }

    /// <summary>The old path: lib/Ingest.Arrow columns over the same buffers, a new schema per batch, one-shot stream.</summary>
    [Benchmark]
    public long OldLibrary() => OldEncoder();

    /// <summary>The new path: <see cref="ArrowBatchEncoder.EncodeStream"/> on Apache.Arrow (uncompressed).</summary>
    [Benchmark]
    public int ApacheArrow() => _encoder.EncodeStream(_columns, BenchmarkStreams.Identity).Length;

    private long OldEncoder()
    {
        _oldOutput.Clear();
        var (first, last) = ArrowBatchEncoder.TimeRange(_columns);
        // What the old encoder did per batch: a new schema with the identity metadata.
        var schema = new OldArrow.ArrowSchema(_oldFields,
        [
            new(BatchMetadataKeys.Hub, BenchmarkStreams.Identity.Hub),
            new(BatchMetadataKeys.Stream, BenchmarkStreams.Identity.Stream),
            new(BatchMetadataKeys.Sequence, BenchmarkStreams.Identity.Sequence.ToString(System.Globalization.CultureInfo.InvariantCulture)),
            new(BatchMetadataKeys.ProfileId, BenchmarkStreams.Description.ProfileId),
            new(BatchMetadataKeys.ProfileVersion, BenchmarkStreams.Description.ProfileVersion),
            new(BatchMetadataKeys.Decoder, BenchmarkStreams.Description.Decoder),
            new(BatchMetadataKeys.FirstHubTime, Ingest.Pipeline.Captures.CaptureReader.FormatTime(first)),
            new(BatchMetadataKeys.LastHubTime, Ingest.Pipeline.Captures.CaptureReader.FormatTime(last)),
        ]);
        var rows = _columns.RowCount;
        _oldColumns[0] = OldArrow.ArrowColumn.Primitive(rows, _columns.HubTime.ValueMemory);
        _oldColumns[1] = OldArrow.ArrowColumn.Primitive(rows, _columns.DeviceTime!.ValueMemory, _columns.DeviceTime.ValidityMemory, _columns.DeviceTime.NullCount);
        _oldColumns[2] = OldArrow.ArrowColumn.Primitive(rows, _columns.Values<short>(0).ValueMemory);
        _oldColumns[3] = OldArrow.ArrowColumn.Primitive(rows, _columns.Values<short>(1).ValueMemory);
        _oldColumns[4] = OldArrow.ArrowColumn.Primitive(rows, _columns.Values<short>(2).ValueMemory);
        _oldColumns[5] = OldArrow.ArrowColumn.Primitive(rows, _columns.Values<int>(3).ValueMemory);
        var hr = _columns.Values<ushort>(4);
        _oldColumns[6] = OldArrow.ArrowColumn.Primitive(rows, hr.ValueMemory, hr.ValidityMemory, hr.NullCount);
        var rr = _columns.List<ushort>(5);
        _oldRrChild[0] = OldArrow.ArrowColumn.Primitive(rr.Elements.Length, rr.Elements.ValueMemory);
        _oldColumns[7] = OldArrow.ArrowColumn.List(rows, rr.OffsetMemory, _oldRrChild, rr.ValidityMemory, rr.NullCount);
        return OldArrow.ArrowIpc.WriteStream(_oldOutput, schema, rows, _oldColumns);
    }

    private static int Copy(ReadOnlySpan<byte> source, Span<byte> target, int at)
    {
        source.CopyTo(target[at..]);
        return at + source.Length;
    }
}
