namespace Ingest.Pipeline.Spool;

/// <summary>Outcome of <see cref="SegmentSpool.Release"/>.</summary>
internal enum SpoolReleaseResult
{
    /// <summary>Marked released; its space is reclaimed once a checkpoint covering it is durable.</summary>
    Released = 0,

    /// <summary>Already released (or released by a checkpoint before this process started).</summary>
    AlreadyReleased = 1,

    /// <summary>The acknowledgement is weaker than <see cref="SpoolOptions.ReleaseMode"/>; nothing changed.</summary>
    IgnoredByReleaseMode = 2,

    /// <summary>No committed record has this number.</summary>
    Unknown = 3,
}
