namespace Ingest.Gateway.Registry;

/// <summary>What <see cref="AuditTrail.Verify"/> found.</summary>
/// <param name="EntriesChecked">Entries whose hash and link were checked (up to the first break).</param>
/// <param name="HeadHash">Hash of the last intact entry (64 zeros when the trail is empty).</param>
/// <param name="HeadSeq">Seq of the last intact entry (0 when empty).</param>
/// <param name="BrokenSeq">The first seq that breaks the chain, or null when it is intact.</param>
/// <param name="Problem">Why it breaks there: edited, deleted, or reordered/forged.</param>
/// <param name="Warnings">Things that do not break the chain but should not be so (the append-only triggers are missing).</param>
internal sealed record AuditVerification(long EntriesChecked, string HeadHash, long HeadSeq, long? BrokenSeq, string? Problem, IReadOnlyList<string> Warnings)
{
    /// <summary>Whether the chain is intact.</summary>
    public bool Intact => BrokenSeq is null;
}
