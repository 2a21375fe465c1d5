namespace Ingest.Gateway.Registry;

/// <summary>What an enrollment change did.</summary>
/// <param name="Enrollment">The new enrollment (enroll, swap) or the one that was ended (unenroll).</param>
/// <param name="Replaced">The enrollment a swap ended, else null.</param>
/// <param name="AuditEntry">The audit entry written in the same transaction.</param>
internal sealed record EnrollmentResult(Enrollment Enrollment, Enrollment? Replaced, AuditEntry AuditEntry);
