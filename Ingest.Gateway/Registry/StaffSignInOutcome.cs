namespace Ingest.Gateway.Registry;

/// <summary>How a sign-in attempt ended.</summary>
internal enum StaffSignInOutcome
{
    /// <summary>Name, password and code were right: a session may start.</summary>
    SignedIn = 0,

    /// <summary>No such name, or the password was wrong (one outcome: the page must not tell which).</summary>
    WrongNameOrPassword = 1,

    /// <summary>Password right, but the code was wrong, expired or already used.</summary>
    WrongCode = 2,

    /// <summary>The account is locked (now, or by this attempt).</summary>
    Locked = 3,

    /// <summary>The account is disabled.</summary>
    Disabled = 4,
}
