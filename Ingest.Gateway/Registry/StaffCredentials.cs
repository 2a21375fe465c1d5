namespace Ingest.Gateway.Registry;

/// <summary>An account just added or reset, with the code secret when a new one was made (shown once, to set up the app).</summary>
/// <param name="Account">The account.</param>
/// <param name="TotpSecret">The new TOTP secret (RFC 6238, SHA-1, 30 s, 6 digits), or null when the secret did not change.</param>
/// <param name="AuditEntry">The audit entry of the change.</param>
internal sealed record StaffCredentials(StaffAccount Account, byte[]? TotpSecret, AuditEntry AuditEntry);
