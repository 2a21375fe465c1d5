namespace Ingest.Gateway.Registry;

/// <summary>
/// Named limits and parameters of staff accounts (the nurse pages' sign-in): what a name and a password may be, how
/// passwords are hashed, how one-time codes are checked, and when an account locks. Everything a person types is checked
/// against these before it is used (a password before it is hashed).
/// </summary>
internal static class StaffLimits
{
    /// <summary>Longest staff name: it is the audit actor, so no longer than <see cref="RegistryLimits.MaxActorLength"/>.</summary>
    public const int MaxNameLength = RegistryLimits.MaxActorLength;

    /// <summary>What a staff name may contain, for error messages.</summary>
    public const string NameRule = "1–64 characters of A–Z, a–z, 0–9, '.', '_', '-' and '@' (e.g. nurse.jones); it is the name in the audit trail";

    /// <summary>Shortest password: 12 characters (a length an authenticator-backed account needs against offline guessing, NIST SP 800-63B allows 8; we ask more).</summary>
    public const int MinPasswordLength = 12;

    /// <summary>Longest password: refused before hashing, so a huge form field costs no CPU (a passphrase fits easily).</summary>
    public const int MaxPasswordLength = 128;

    /// <summary>PBKDF2-HMAC-SHA256 iterations for new hashes: OWASP's 2023 recommendation. Each hash stores its own count.</summary>
    public const int PasswordIterations = 600_000;

    /// <summary>Most iterations a stored hash may ask for: a hand-edited row must not make one sign-in take minutes.</summary>
    public const int MaxPasswordIterations = 10_000_000;

    /// <summary>Random salt per password (128 bits, NIST SP 800-132 asks at least that).</summary>
    public const int SaltBytes = 16;

    /// <summary>Derived key length: SHA-256's output.</summary>
    public const int HashBytes = 32;

    /// <summary>TOTP secret length: 160 bits, RFC 4226 §4 R6's recommendation for HMAC-SHA-1.</summary>
    public const int TotpSecretBytes = 20;

    /// <summary>TOTP time step (RFC 6238 §4.1 X; authenticator apps assume 30 s).</summary>
    public const int TotpStepSeconds = 30;

    /// <summary>Digits of a code (authenticator apps assume 6).</summary>
    public const int TotpDigits = 6;

    /// <summary>
    /// Time steps accepted either side of now (RFC 6238 §5.2 recommends at most one step back for network delay); one
    /// each way also forgives a tablet clock up to ~30 s off.
    /// </summary>
    public const int TotpWindowSteps = 1;

    /// <summary>Consecutive failed sign-ins (wrong password or code) that lock an account.</summary>
    public const int MaxFailedSignIns = 5;

    /// <summary>How long a locked account stays locked (a coordinator may unlock it sooner: <c>staff unlock</c>).</summary>
    public static readonly TimeSpan LockoutDuration = TimeSpan.FromMinutes(15);

    /// <summary>Whether <paramref name="name"/> is a valid staff name (<see cref="NameRule"/>).</summary>
    public static bool IsValidName(string? name)
    {
        if (name is null || name.Length is 0 or > MaxNameLength)
        {
            return false;
        }

        foreach (var c in name)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-' or '@'))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Why <paramref name="password"/> is not acceptable as a new password, or null when it is.</summary>
    public static string? PasswordProblem(string? password)
    {
        if (password is null || password.Length < MinPasswordLength)
        {
            return $"the password must have at least {MinPasswordLength} characters (a short sentence is easy to remember)";
        }

        if (password.Length > MaxPasswordLength)
        {
            return $"the password must have at most {MaxPasswordLength} characters";
        }

        foreach (var c in password)
        {
            if (char.IsControl(c))
            {
                return "the password must not contain control characters (tabs, line breaks)";
            }
        }

        return string.IsNullOrWhiteSpace(password) ? "the password must not be only spaces" : null;
    }
}
