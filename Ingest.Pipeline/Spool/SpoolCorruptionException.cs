namespace Ingest.Pipeline.Spool;

/// <summary>A committed record no longer reads back as written (a checksum or its number does not match).</summary>
internal sealed class SpoolCorruptionException : IOException
{
    public SpoolCorruptionException()
    {
    }

    public SpoolCorruptionException(string message)
        : base(message)
    {
    }

    public SpoolCorruptionException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
