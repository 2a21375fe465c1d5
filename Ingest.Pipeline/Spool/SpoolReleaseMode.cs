namespace Ingest.Pipeline.Spool;

/// <summary>Which acknowledgement releases a record from the spool (wire values frozen: stored in no file, but logged).</summary>
internal enum SpoolReleaseMode
{
    /// <summary>The broker's PUBACK (MQTT 5 §4.3.2: the broker accepted ownership; not necessarily durable).</summary>
    PublishAcknowledged = 1,

    /// <summary>Only the platform's end-to-end receipt (the repository stored it); PUBACKs are ignored.</summary>
    PlatformReceipt = 2,
}
