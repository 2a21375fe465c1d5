namespace Ingest.Gateway.Registry;

/// <summary>The actions the audit trail records. Other names of the same shape (lower case, '-') are accepted too.</summary>
internal static class AuditActions
{
    /// <summary>A tracker was enrolled.</summary>
    public const string Enroll = "enroll";

    /// <summary>A tracker was unenrolled.</summary>
    public const string Unenroll = "unenroll";

    /// <summary>A participant's tracker was replaced by another in one step.</summary>
    public const string Swap = "swap";

    /// <summary>A tracker that is not enrolled was seen and refused (once per device and run).</summary>
    public const string AdmissionRefused = "admission-refused";

    /// <summary>Frames were quarantined.</summary>
    public const string Quarantine = "quarantine";

    /// <summary>The spool dropped data.</summary>
    public const string SpoolDrop = "spool-drop";

    /// <summary>The configuration changed.</summary>
    public const string ConfigChange = "config-change";

    /// <summary>A nurse connected a tracker that is not enrolled, to see its signal before binding it (nothing of it is kept).</summary>
    public const string LiveCheck = "live-check";

    /// <summary>A staff account was added (<c>staff add</c>).</summary>
    public const string StaffAdd = "staff-add";

    /// <summary>A staff account was disabled: it cannot sign in, and its sessions end.</summary>
    public const string StaffDisable = "staff-disable";

    /// <summary>A disabled staff account was enabled again.</summary>
    public const string StaffEnable = "staff-enable";

    /// <summary>A locked staff account was unlocked by a coordinator.</summary>
    public const string StaffUnlock = "staff-unlock";

    /// <summary>A staff account's password or code secret was replaced; its sessions end.</summary>
    public const string StaffReset = "staff-reset";

    /// <summary>A staff member signed in to the nurse pages.</summary>
    public const string SignIn = "sign-in";

    /// <summary>A sign-in was refused (the reason says why; never what was typed).</summary>
    public const string SignInFailed = "sign-in-failed";

    /// <summary>An account locked after too many failed sign-ins.</summary>
    public const string SignInLockout = "sign-in-lockout";

    /// <summary>A staff member signed out.</summary>
    public const string SignOut = "sign-out";

    /// <summary>Whether <paramref name="action"/> has the shape of an action: 1–32 characters of a–z and '-'.</summary>
    public static bool IsValid(string? action)
    {
        if (action is null || action.Length is 0 or > RegistryLimits.MaxActionLength)
        {
            return false;
        }

        foreach (var c in action)
        {
            if (!(char.IsAsciiLetterLower(c) || c == '-'))
            {
                return false;
            }
        }

        return true;
    }
}
