namespace Ingest.Pipeline.Spool;

/// <summary>One open spool file. Calls are synchronous: the spool makes them from its own writer loop.</summary>
internal interface ISpoolFile : IDisposable
{
    /// <summary>The file's current length.</summary>
    long Length { get; }

    /// <summary>Reads up to <paramref name="buffer"/>.Length bytes at <paramref name="offset"/>; returns the count read.</summary>
    int Read(Span<byte> buffer, long offset);

    /// <summary>Writes all of <paramref name="data"/> at <paramref name="offset"/>. Not durable until <see cref="SyncData"/>.</summary>
    void Write(ReadOnlySpan<byte> data, long offset);

    /// <summary>Makes every write so far durable (fdatasync). Throws on failure; a failed sync must never be retried and trusted.</summary>
    void SyncData();

    /// <summary>Truncates or extends the file.</summary>
    void SetLength(long length);
}
