using Ingest.Gateway.Radio;

namespace Ingest.Gateway.Telemetry;

/// <summary>
/// What the status topic's health document shows beside the pipeline's <see cref="Pipeline.Service.IngestStatus"/>:
/// the radio and the audit trail's head. Either is null when the hub has none (no radio yet, no registry).
/// </summary>
/// <param name="Radio">The radio supervisor's snapshot.</param>
/// <param name="Audit">The audit trail's last entry, or the reason it could not be read.</param>
internal sealed record HubHealthExtras(RadioStatus? Radio, AuditHead? Audit);

/// <summary>
/// The head of the hub's audit trail: the last entry's sequence and hash. Recorded outside the hub (the status topic is
/// retained on the broker and kept by <c>receive</c>), it is the anchor for <c>audit verify --anchor SEQ:HASH</c>, which
/// catches a rewrite of the whole chain. An empty trail has sequence 0 and the genesis hash.
/// </summary>
/// <param name="Sequence">The last entry's sequence (0 for an empty trail).</param>
/// <param name="Hash">Its hash, 64 lower-case hex digits.</param>
/// <param name="Time">Its time as stored, or null for an empty trail.</param>
/// <param name="Problem">Why the head could not be read (the registry busy or broken); then the other fields are empty.</param>
internal sealed record AuditHead(long Sequence, string Hash, string? Time, string? Problem = null)
{
    /// <summary>Reads the head from the registry; never throws for a registry problem (the health document says it instead).</summary>
    public static AuditHead Read(Registry.EnrollmentRegistry registry)
    {
        ArgumentNullException.ThrowIfNull(registry);
        try
        {
            var last = registry.Audit.List(1);
            return last.Count == 0 ? new AuditHead(0, Registry.AuditTrail.GenesisHash, null) : new AuditHead(last[0].Seq, last[0].Hash, last[0].Time);
        }
        catch (Registry.RegistryException ex)
        {
            return new AuditHead(0, string.Empty, null, ex.Message);
        }
    }
}
