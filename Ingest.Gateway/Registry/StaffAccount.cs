namespace Ingest.Gateway.Registry;

/// <summary>A staff account as people may see it: never the password hash or the code secret.</summary>
/// <param name="Name">Display and audit name (unique, compared without ASCII case).</param>
/// <param name="Site">The site the account belongs to.</param>
/// <param name="Disabled">Sign-in refused until enabled again.</param>
/// <param name="FailedSignIns">Consecutive failed sign-ins since the last success or lock.</param>
/// <param name="LockedUntil">Locked until then (UTC), or null; a time in the past means no longer locked.</param>
/// <param name="LastSignIn">The last successful sign-in (UTC), or null.</param>
/// <param name="SessionStamp">Changes when the account is disabled or its credentials reset: sessions signed in before end.</param>
/// <param name="CreatedAt">When it was added (UTC).</param>
/// <param name="ChangedAt">When it last changed (UTC).</param>
internal sealed record StaffAccount(string Name, string Site, bool Disabled, int FailedSignIns, DateTimeOffset? LockedUntil, DateTimeOffset? LastSignIn,
    string SessionStamp, DateTimeOffset CreatedAt, DateTimeOffset ChangedAt)
{
    /// <summary>Whether the account is locked at <paramref name="now"/>.</summary>
    public bool IsLockedAt(DateTimeOffset now) => LockedUntil is { } until && until > now;
}
