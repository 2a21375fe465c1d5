using Apache.Arrow.Ipc;

namespace Ingest.Pipeline.Batching;

/// <summary>
/// Hands Apache.Arrow's writer the same codec for every batch. The writer asks its factory for a new codec per
/// record batch and disposes it afterwards (ArrowStreamWriter.PrepareWritingRecordBatch), which costs a codec's
/// native context per batch; this factory creates one codec lazily, gives out a wrapper whose Dispose does
/// nothing, and disposes the real codec itself. Not thread-safe: one per encoder, like the encoder.
/// </summary>
internal sealed class ReusedCodecFactory : ICompressionCodecFactory, IDisposable
{
    private readonly Apache.Arrow.Compression.CompressionCodecFactory _inner = new();
    private readonly BatchCompression _compression;
    private readonly int? _level;
    private KeptCodec? _codec;

    public ReusedCodecFactory(BatchCompression compression, int? level)
    {
        _compression = compression;
        _level = level;
    }

    public ICompressionCodec CreateCodec(CompressionCodecType compressionCodecType) => CreateCodec(compressionCodecType, _level);

    public ICompressionCodec CreateCodec(CompressionCodecType compressionCodecType, int? compressionLevel)
    {
        if (compressionCodecType != ToArrow(_compression) || compressionLevel != _level)
        {
            // Only this encoder's own IpcOptions reach here; anything else is a wiring bug.
            throw new InvalidOperationException($"codec factory for {BatchEncodingOptions.Name(_compression)} asked for {compressionCodecType}");
        }

        return _codec ??= new KeptCodec(_inner.CreateCodec(compressionCodecType, compressionLevel));
    }

    public void Dispose()
    {
        _codec?.Inner.Dispose();
        _codec = null;
    }

    internal static CompressionCodecType ToArrow(BatchCompression compression) => compression switch
    {
        BatchCompression.Lz4Frame => CompressionCodecType.Lz4Frame,
        BatchCompression.Zstd => CompressionCodecType.Zstd,
        _ => throw new ArgumentOutOfRangeException(nameof(compression), compression, "no Arrow codec for this compression"),
    };

    private sealed class KeptCodec(ICompressionCodec inner) : ICompressionCodec
    {
        public ICompressionCodec Inner { get; } = inner;

        public int Decompress(ReadOnlyMemory<byte> source, Memory<byte> destination) => Inner.Decompress(source, destination);

        public void Compress(ReadOnlyMemory<byte> source, Stream destination) => Inner.Compress(source, destination);

        public void Dispose()
        {
            // The factory owns the codec across batches.
        }
    }
}
