namespace Ingest.Pipeline.Batching;

/// <summary>
/// Body compression of the Arrow IPC record batches the hub writes (Arrow format, Message.fbs
/// <c>BodyCompression</c>, method BUFFER: each buffer compressed on its own). Values are stable: they name
/// configuration values.
/// </summary>
public enum BatchCompression
{
    /// <summary>Uncompressed bodies: every Arrow reader, including apache-arrow JS, reads them.</summary>
    None = 0,

    /// <summary>LZ4 frame format per buffer.</summary>
    Lz4Frame = 1,

    /// <summary>Zstandard per buffer.</summary>
    Zstd = 2,
}
