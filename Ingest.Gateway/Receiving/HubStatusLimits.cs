namespace Ingest.Gateway.Receiving;

/// <summary>
/// Limits on the hubs' status messages as <c>receive</c> reads them: they come from the broker, so from anyone who may
/// publish there. A message past a limit is skipped and counted, never trusted in part.
/// </summary>
internal static class HubStatusLimits
{
    /// <summary>A hub's health document is about 32 KiB at its 128-stream limit; four times that leaves room to grow.</summary>
    public const int MaximumPayloadBytes = 128 * 1024;

    /// <summary>The document nests three deep (root → streams → stream); 8 leaves room and stops pathological nesting early.</summary>
    public const int MaximumDepth = 8;

    /// <summary>Identifiers (hub, study, site, pseudonyms, stream ids, states) are short; longer ones are not ours.</summary>
    public const int MaximumIdentifierLength = 128;

    /// <summary>Streams taken from one document: the hub lists at most 128 (HubStatusMessages.MaximumStreamsListed).</summary>
    public const int MaximumStreamsPerHub = 256;

    /// <summary>Hubs tracked: a large trial's fleet, with room; status from further hubs is counted as skipped.</summary>
    public const int MaximumHubs = 20_000;
}
