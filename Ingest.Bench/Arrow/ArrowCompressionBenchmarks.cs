using BenchmarkDotNet.Attributes;
using Ingest.Pipeline.Batching;
using Ingest.Pipeline.Columns;

namespace Ingest.Bench.Arrow;

/// <summary>
/// CPU and allocation of sealing one batch with each body compression, against the uncompressed encode in the same
/// run (Ratio column), on simulated streams at realistic batch sizes and on shipped captures decoded whole. The
/// bytes each codec saves are printed by <c>dotnet run -c Release --project Ingest.Bench -- arrow-compression-sizes</c>
/// (docs/wire/arrow-ipc.md "Compression").
/// </summary>
[MemoryDiagnoser]
public class ArrowCompressionBenchmarks
{
    private StreamColumns _columns = null!;
    private ArrowBatchEncoder _none = null!;
    private ArrowBatchEncoder _lz4 = null!;
    private ArrowBatchEncoder _zstd = null!;
    private readonly BatchIdentity _identity = new("hub-7", "p-0042/stream", 1234);

    /// <summary><c>sim:STREAM:ROWS</c> (simulated) or <c>capture:PROFILE/STREAM</c> (a shipped capture, whole).</summary>
    [Params("sim:ecg:120", "sim:ecg:1024", "sim:acc:1024", "sim:acc:8192", "sim:ppg:1024", "sim:hr:120",
        "capture:polar-h10/ecg", "capture:polar-verity-sense/ppg", "capture:generic-heart-rate-strap/heart-rate")]
    public string Source { get; set; } = "";

    [GlobalSetup]
    public void Setup()
    {
        StreamDescription description;
        var parts = Source.Split(':');
        if (parts[0] == "sim")
        {
            (_columns, description) = CompressionStreams.Simulate(parts[1], int.Parse(parts[2], System.Globalization.CultureInfo.InvariantCulture));
        }
        else
        {
            (_columns, description) = FindCapture(parts[1]);
        }

        _none = new ArrowBatchEncoder(_columns.Schema, description);
        _lz4 = new ArrowBatchEncoder(_columns.Schema, description, new BatchEncodingOptions { Compression = BatchCompression.Lz4Frame });
        _zstd = new ArrowBatchEncoder(_columns.Schema, description, new BatchEncodingOptions { Compression = BatchCompression.Zstd });
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _none.Dispose();
        _lz4.Dispose();
        _zstd.Dispose();
    }

    /// <summary>Baseline: the uncompressed encode (what the hub does by default).</summary>
    [Benchmark(Baseline = true)]
    public int Uncompressed() => _none.EncodeStream(_columns, _identity).Length;

    /// <summary>LZ4 frame bodies.</summary>
    [Benchmark]
    public int Lz4Frame() => _lz4.EncodeStream(_columns, _identity).Length;

    /// <summary>Zstandard bodies at the codec's default level.</summary>
    [Benchmark]
    public int Zstd() => _zstd.EncodeStream(_columns, _identity).Length;

    private static (StreamColumns, StreamDescription) FindCapture(string name)
    {
        foreach (var (captureName, columns, description) in CompressionStreams.Captures())
        {
            if (captureName == name)
            {
                return (columns, description);
            }
        }

        throw new InvalidOperationException($"no shipped capture stream '{name}'");
    }
}
