namespace Ingest.Pipeline.Spool;

/// <summary>
/// The spool failed a write or a sync and will not accept appends until it is reopened (which runs recovery).
/// An append that fails with this has an unknown outcome: its record may or may not be on disk, so the caller
/// must not reuse its sequence number for other content; after reopening, <see cref="SpoolRecoveryReport.NextSequences"/>
/// says where each stream continues.
/// </summary>
internal sealed class SpoolFaultedException : IOException
{
    public SpoolFaultedException()
    {
    }

    public SpoolFaultedException(string message)
        : base(message)
    {
    }

    public SpoolFaultedException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
