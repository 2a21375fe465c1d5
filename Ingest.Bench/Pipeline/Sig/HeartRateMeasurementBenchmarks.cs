using BenchmarkDotNet.Attributes;
using Ingest.Pipeline.Columns;
using Ingest.Pipeline.Decoding;
using Ingest.Pipeline.Decoding.Sig;

namespace Ingest.Bench.Pipeline.Sig;

/// <summary>
/// G1.6/G1.7 (performance.md): Heart Rate Measurement decode per notification, ≤ 15 ns and 0 B per frame. Each
/// invocation decodes <see cref="FramesPerInvoke"/> frames into columns pre-sized for exactly that many rows, cleared
/// at the start of the invocation, so the figures are per frame. The baseline copies the same payload bytes into a
/// buffer (the least any decoder must do), so Ratio is the decoder's cost in payload copies.
/// </summary>
[MemoryDiagnoser]
public class HeartRateMeasurementBenchmarks
{
    /// <summary>Frames per invocation: a large batch (style.md §12), enough to amortise the loop.</summary>
    public const int FramesPerInvoke = 4096;

    private byte[] _payload = [];
    private byte[] _copyTarget = [];
    private HeartRateMeasurementDecoder _decoder = null!;
    private StreamColumns _columns = null!;
    private StreamDecoder _stream = null!;

    /// <summary>
    /// The notification: <c>hr</c> = InfiniTime's 2 bytes; <c>hr-rr</c> = the protocols.md example (4 bytes);
    /// <c>hr-ee-8rr</c> = a full 20-byte notification with energy expended and 8 RR intervals.
    /// </summary>
    [Params("hr", "hr-rr", "hr-ee-8rr")]
    public string Frame { get; set; } = "hr-rr";

    [GlobalSetup]
    public void Setup()
    {
        _payload = Frame switch
        {
            "hr" => [0x00, 0x48],
            "hr-rr" => [0x16, 0x48, 0x00, 0x04],
            "hr-ee-8rr" => [0x1E, 0x48, 0x10, 0x01, 0x00, 0x04, 0x10, 0x04, 0x20, 0x04, 0x30, 0x04, 0x40, 0x04, 0x50, 0x04, 0x60, 0x04, 0x70, 0x04],
            _ => throw new ArgumentOutOfRangeException(nameof(Frame), Frame, "unknown frame"),
        };
        _copyTarget = new byte[_payload.Length * FramesPerInvoke];
        _decoder = new HeartRateMeasurementDecoder();
        _columns = new StreamColumns(_decoder.Schema, FramesPerInvoke);
        _stream = new StreamDecoder(new HeartRateMeasurementDecoder(), initialRows: FramesPerInvoke);

        // Warm every buffer to its steady-state size (validity bitmaps, RR elements) so no invocation grows one.
        DecodeFrames();
        StreamDecodeFrames();
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = FramesPerInvoke)]
    public int CopyPayload()
    {
        var payload = _payload.AsSpan();
        var target = _copyTarget.AsSpan();
        var length = payload.Length;
        for (var i = 0; i < FramesPerInvoke; i++)
        {
            payload.CopyTo(target.Slice(i * length, length));
        }

        return target[^1];
    }

    [Benchmark(OperationsPerInvoke = FramesPerInvoke)]
    public int DecodeFrames()
    {
        var columns = _columns;
        columns.Clear();
        var payload = _payload.AsSpan();
        var decoder = _decoder;
        var accepted = 0;
        for (var i = 0; i < FramesPerInvoke; i++)
        {
            accepted += decoder.Decode(payload, i, columns).IsAccepted ? 1 : 0;
        }

        return accepted;
    }

    [Benchmark(OperationsPerInvoke = FramesPerInvoke)]
    public int StreamDecodeFrames()
    {
        var stream = _stream;
        stream.Columns.Clear();
        var payload = _payload.AsSpan();
        var rows = 0;
        for (var i = 0; i < FramesPerInvoke; i++)
        {
            rows += stream.Decode(payload, i).Rows;
        }

        return rows;
    }
}
