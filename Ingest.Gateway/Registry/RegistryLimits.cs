namespace Ingest.Gateway.Registry;

/// <summary>
/// Named limits for everything the registry accepts from people (command-line values) and from its own database file
/// (rows are read back through the same checks: a hand-edited file is untrusted input too).
/// </summary>
internal static class RegistryLimits
{
    /// <summary>Longest participant pseudonym, study or site id: they become MQTT topic levels, which stay short and readable.</summary>
    public const int MaxIdLength = 64;

    /// <summary>Longest reason: a sentence or two, enough for "strap broke, replaced at visit 3".</summary>
    public const int MaxReasonLength = 500;

    /// <summary>Longest actor name: a user name or "service".</summary>
    public const int MaxActorLength = 64;

    /// <summary>Longest audit action name (enroll, admission-refused, …).</summary>
    public const int MaxActionLength = 32;

    /// <summary>Longest audit subject: a participant and two device pseudonyms fit with room to spare.</summary>
    public const int MaxSubjectLength = 200;

    /// <summary>Largest audit details (a small JSON object): the audit trail records facts, not payloads.</summary>
    public const int MaxDetailsBytes = 4096;

    /// <summary>Most enrollments (active or ended) read back at once: far above a hub's handful of trackers.</summary>
    public const int MaxEnrollments = 100_000;

    /// <summary>Longest profile id (profiles are folder names, checked again by the profile loader).</summary>
    public const int MaxProfileIdLength = 64;

    /// <summary>Largest <c>audit list</c> page.</summary>
    public const int MaxListEntries = 10_000;

    /// <summary>
    /// How long a statement waits for another connection's write lock (SQLite busy_timeout): a nurse's enroll and the
    /// running service's status writes are both short, so 5 s is ample, and a stuck writer gives a clear error, not a hang.
    /// </summary>
    public static readonly TimeSpan BusyTimeout = TimeSpan.FromSeconds(5);

    /// <summary>Whether <paramref name="value"/> is a valid id: 1–64 characters of [A-Za-z0-9._-] (safe in an MQTT topic level and a path).</summary>
    public static bool IsValidId(string? value)
    {
        if (value is null || value.Length is 0 or > MaxIdLength || value is "." or "..")
        {
            return false;
        }

        foreach (var c in value)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-'))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>What an id may contain, for error messages.</summary>
    public const string IdRule = "1–64 characters of A–Z, a–z, 0–9, '.', '_' and '-' (no '/', '+', '#' or spaces: ids become MQTT topic levels)";

    /// <summary>Whether <paramref name="value"/> is printable text of at most <paramref name="maxLength"/> characters (no control characters).</summary>
    public static bool IsPrintable(string? value, int maxLength)
    {
        if (value is null || value.Length > maxLength)
        {
            return false;
        }

        foreach (var c in value)
        {
            if (char.IsControl(c))
            {
                return false;
            }
        }

        return true;
    }
}
