namespace Ingest.Gateway.Web.Staff;

/// <summary>Named limits of the nurse pages' sign-in (the account rules themselves are <see cref="Registry.StaffLimits"/>).</summary>
internal static class StaffSignInLimits
{
    /// <summary>
    /// Longest a session lasts however busy it is: a shift. Past it the nurse signs in again even when the idle timeout
    /// (<see cref="WebOptions.SessionIdleTimeout"/>) never ran out, so a tablet in constant use still re-proves who holds it.
    /// </summary>
    public static readonly TimeSpan MaxSessionLength = TimeSpan.FromHours(12);

    /// <summary>
    /// Sign-in attempts the hub accepts per minute, from everyone together: a nurse needs a few; password spraying
    /// across many names needs thousands, and each attempt costs a PBKDF2 hash of CPU on a small hub.
    /// </summary>
    public const int SignInAttemptsPerMinute = 30;

    /// <summary>The rate limit's window.</summary>
    public static readonly TimeSpan SignInRateWindow = TimeSpan.FromMinutes(1);

    /// <summary>Longest return path kept across a sign-in (a nurse page with its query).</summary>
    public const int MaxReturnPathLength = 512;
}
