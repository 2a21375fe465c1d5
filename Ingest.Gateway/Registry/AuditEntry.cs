namespace Ingest.Gateway.Registry;

/// <summary>One audit trail entry, as stored.</summary>
/// <param name="Seq">Position in the chain, from 1, without gaps.</param>
/// <param name="Time">UTC time, <c>yyyy-MM-ddTHH:mm:ss.fffffffZ</c>.</param>
/// <param name="Actor">Who (a user name, or <c>service</c>).</param>
/// <param name="Action">What (<see cref="AuditActions"/>).</param>
/// <param name="Subject">About whom or what, in pseudonyms only.</param>
/// <param name="Reason">Why.</param>
/// <param name="Details">A small JSON object.</param>
/// <param name="PrevHash">The previous entry's hash (64 zeros for the first).</param>
/// <param name="Hash">SHA-256 over the canonical encoding of all of the above (<see cref="AuditTrail.ComputeHash"/>).</param>
internal sealed record AuditEntry(long Seq, string Time, string Actor, string Action, string Subject, string Reason, string Details, string PrevHash, string Hash);
