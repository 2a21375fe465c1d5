namespace Ingest.Gateway.Registry;

/// <summary>The result of <see cref="EnrollmentRegistry.SignIn"/>.</summary>
/// <param name="Outcome">How it ended.</param>
/// <param name="Account">The account when the name was known (for <see cref="StaffSignInOutcome.SignedIn"/>, after the sign-in).</param>
/// <param name="LockedUntil">For <see cref="StaffSignInOutcome.Locked"/>: until when (UTC).</param>
internal sealed record StaffSignInResult(StaffSignInOutcome Outcome, StaffAccount? Account, DateTimeOffset? LockedUntil = null);
