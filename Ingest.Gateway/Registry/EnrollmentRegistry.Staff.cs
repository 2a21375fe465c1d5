using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using OtpNet;

namespace Ingest.Gateway.Registry;

/// <summary>
/// Staff accounts (table <c>staff</c>): who may sign in to the nurse pages, with a password (PBKDF2-HMAC-SHA256, random
/// salt, the iteration count stored with the hash) and a time-based one-time code (RFC 6238: SHA-1, 30 s, 6 digits,
/// what authenticator apps do). Every change and every sign-in attempt is in the audit trail, in the same transaction
/// as the change it records. Password hashing runs outside the registry's lock: a sign-in never holds up the service.
/// </summary>
internal sealed partial class EnrollmentRegistry
{
    private const string StaffColumns = "name, site, disabled, failed_sign_ins, locked_until, last_sign_in, session_stamp, created_at, changed_at";

    /// <summary>Audit actor of a sign-in attempt with a name no account has.</summary>
    public const string UnknownStaffActor = "web-sign-in";

    /// <summary>A salt for the hash that an unknown name costs, so it takes as long as a known one (no name probing by timing).</summary>
    private static readonly byte[] s_unknownNameSalt = RandomNumberGenerator.GetBytes(StaffLimits.SaltBytes);

    /// <summary>
    /// Checks what <see cref="AddStaff"/> is given besides the password, so <c>staff add</c> refuses a typo before it asks
    /// for a password (and before it creates a registry).
    /// </summary>
    /// <exception cref="RegistryException">A value is invalid; the message names the option and the fix.</exception>
    public static void CheckNewStaff(string name, string site, string actor, string reason)
    {
        CheckStaffName(name);
        CheckId(site, "--site", "site id");
        CheckActor(actor);
        CheckReason(reason);
    }

    /// <summary>The refusal of a name that an account has already.</summary>
    public static RegistryException StaffNameTaken(string name) =>
        new($"a staff member named '{name}' exists already; choose another name, or give them a new password or code with 'wearable-ingest staff reset --name {name}'");

    /// <summary>Adds a staff account with a new code secret (returned once, for the authenticator app); audited.</summary>
    /// <exception cref="RegistryException">A value is invalid or the name is taken; the message says what to change.</exception>
    public StaffCredentials AddStaff(string name, string site, string password, string actor, string reason)
    {
        CheckNewStaff(name, site, actor, reason);
        CheckNewPassword(password);
        var salt = RandomNumberGenerator.GetBytes(StaffLimits.SaltBytes);
        var hash = HashPassword(password, salt, StaffLimits.PasswordIterations);
        var secret = RandomNumberGenerator.GetBytes(StaffLimits.TotpSecretBytes);
        return Write(transaction =>
        {
            if (FindStaff(transaction, name) is { } existing)
            {
                throw StaffNameTaken(existing.Name);
            }

            var now = AuditTrail.FormatTime(Now());
            using (var insert = transaction.Connection!.CreateCommand())
            {
                insert.Transaction = transaction;
                insert.CommandText = """
                    INSERT INTO staff (name, site, password_hash, password_salt, password_iterations, totp_secret, failed_sign_ins, locked_until, disabled,
                                       last_totp_step, last_sign_in, session_stamp, created_at, changed_at)
                    VALUES ($name, $site, $hash, $salt, $iterations, $secret, 0, NULL, 0, NULL, NULL, $stamp, $now, $now)
                    """;
                insert.Parameters.AddWithValue("$name", name);
                insert.Parameters.AddWithValue("$site", site);
                insert.Parameters.AddWithValue("$hash", hash);
                insert.Parameters.AddWithValue("$salt", salt);
                insert.Parameters.AddWithValue("$iterations", StaffLimits.PasswordIterations);
                insert.Parameters.AddWithValue("$secret", secret);
                insert.Parameters.AddWithValue("$stamp", NewSessionStamp());
                insert.Parameters.AddWithValue("$now", now);
                insert.ExecuteNonQuery();
            }

            var entry = Audit.AppendIn(transaction, actor, AuditActions.StaffAdd, StaffSubject(name), reason, StaffDetails(("site", site)));
            return new StaffCredentials(FindStaff(transaction, name)!, secret, entry);
        });
    }

    /// <summary>Every staff account, by name. Never a secret.</summary>
    public IReadOnlyList<StaffAccount> ListStaff() => Read(connection =>
    {
        using var command = connection.CreateCommand();
        command.CommandText = $"SELECT {StaffColumns} FROM staff ORDER BY name";
        using var reader = command.ExecuteReader();
        var accounts = new List<StaffAccount>();
        while (reader.Read())
        {
            accounts.Add(ReadStaff(reader));
        }

        return (IReadOnlyList<StaffAccount>)accounts;
    });

    /// <summary>The account named <paramref name="name"/> (any ASCII case), or null. For the web session check on every request.</summary>
    public StaffAccount? FindStaff(string name)
    {
        if (!StaffLimits.IsValidName(name))
        {
            return null;
        }

        return Read(connection =>
        {
            using var command = connection.CreateCommand();
            command.CommandText = $"SELECT {StaffColumns} FROM staff WHERE name = $name";
            command.Parameters.AddWithValue("$name", name);
            using var reader = command.ExecuteReader();
            return reader.Read() ? ReadStaff(reader) : null;
        });
    }

    /// <summary>Disables or enables an account; disabling ends its sessions. Audited.</summary>
    /// <exception cref="RegistryException">No such account, or it already is so.</exception>
    public AuditEntry SetStaffDisabled(string name, bool disabled, string actor, string reason)
    {
        CheckActor(actor);
        CheckReason(reason);
        return Write(transaction =>
        {
            var account = RequireStaff(transaction, name);
            if (account.Disabled == disabled)
            {
                throw new RegistryException($"staff member {account.Name} is already {(disabled ? "disabled" : "enabled")}; nothing to do");
            }

            UpdateStaff(transaction, account.Name, "disabled = $disabled" + (disabled ? ", session_stamp = $stamp" : ""), ("$disabled", disabled ? 1 : 0), ("$stamp", NewSessionStamp()));
            return Audit.AppendIn(transaction, actor, disabled ? AuditActions.StaffDisable : AuditActions.StaffEnable, StaffSubject(account.Name), reason, "{}");
        });
    }

    /// <summary>Ends a lockout (and the failure count) before its time. Audited.</summary>
    /// <exception cref="RegistryException">No such account, or it is not locked.</exception>
    public AuditEntry UnlockStaff(string name, string actor, string reason)
    {
        CheckActor(actor);
        CheckReason(reason);
        return Write(transaction =>
        {
            var account = RequireStaff(transaction, name);
            if (!account.IsLockedAt(Now()) && account.FailedSignIns == 0)
            {
                throw new RegistryException($"staff member {account.Name} is not locked and has no failed sign-ins; nothing to do");
            }

            UpdateStaff(transaction, account.Name, "failed_sign_ins = 0, locked_until = NULL");
            return Audit.AppendIn(transaction, actor, AuditActions.StaffUnlock, StaffSubject(account.Name), reason,
                StaffDetails(("failed_sign_ins", account.FailedSignIns), ("was_locked", account.IsLockedAt(Now()))));
        });
    }

    /// <summary>
    /// Gives an account a new password and/or a new code secret (returned once). Either ends its sessions, a lockout and
    /// the failure count. Audited (which of the two changed; never the values).
    /// </summary>
    /// <exception cref="RegistryException">No such account, neither change asked for, or a bad password.</exception>
    public StaffCredentials ResetStaff(string name, string? newPassword, bool newCode, string actor, string reason)
    {
        if (newPassword is null && !newCode)
        {
            throw new RegistryException("say what to reset: --password (a new password) and/or --new-code (a new authenticator code secret)");
        }

        if (newPassword is not null)
        {
            CheckNewPassword(newPassword);
        }

        CheckActor(actor);
        CheckReason(reason);
        var salt = RandomNumberGenerator.GetBytes(StaffLimits.SaltBytes);
        var hash = newPassword is null ? null : HashPassword(newPassword, salt, StaffLimits.PasswordIterations);
        var secret = newCode ? RandomNumberGenerator.GetBytes(StaffLimits.TotpSecretBytes) : null;
        return Write(transaction =>
        {
            var account = RequireStaff(transaction, name);
            var set = "failed_sign_ins = 0, locked_until = NULL, session_stamp = $stamp";
            if (hash is not null)
            {
                set += ", password_hash = $hash, password_salt = $salt, password_iterations = $iterations";
            }

            if (secret is not null)
            {
                // A new secret starts a new sequence of time steps: the last one used belonged to the old secret.
                set += ", totp_secret = $secret, last_totp_step = NULL";
            }

            UpdateStaff(transaction, account.Name, set, ("$stamp", NewSessionStamp()), ("$hash", hash), ("$salt", salt),
                ("$iterations", StaffLimits.PasswordIterations), ("$secret", secret));
            var entry = Audit.AppendIn(transaction, actor, AuditActions.StaffReset, StaffSubject(account.Name), reason,
                StaffDetails(("password", hash is not null), ("code", secret is not null)));
            return new StaffCredentials(FindStaff(transaction, account.Name)!, secret, entry);
        });
    }

    /// <summary>
    /// One sign-in attempt, checked in this order: the name (unknown: the same answer as a wrong password, after the same
    /// hashing time), a lockout (no password is checked while locked, so a locked account cannot be guessed at), the
    /// password, a disabled account (told only to someone who knows the password), then the code (±
    /// <see cref="StaffLimits.TotpWindowSteps"/> steps; a time step already used is refused, RFC 6238 §5.2). A wrong
    /// password or code counts towards the lockout. Every attempt is audited, under the staff name when it is known; what
    /// was typed is never recorded (an unknown "name" is often a password typed in the wrong field).
    /// </summary>
    public StaffSignInResult SignIn(string? name, string? password, string? code)
    {
        var now = Now();
        var secrets = StaffLimits.IsValidName(name) ? ReadStaffSecrets(name!) : null;
        if (secrets is null)
        {
            // Spend the time a real check takes (only when the input is of a size a real check would hash).
            if (password is { Length: <= StaffLimits.MaxPasswordLength })
            {
                HashPassword(password, s_unknownNameSalt, StaffLimits.PasswordIterations);
            }

            Audit.Append(UnknownStaffActor, AuditActions.SignInFailed, "staff sign-in", "unknown staff name (what was typed is not recorded)");
            return new StaffSignInResult(StaffSignInOutcome.WrongNameOrPassword, null);
        }

        var account = secrets.Value.Account;
        if (account.IsLockedAt(now))
        {
            Audit.Append(account.Name, AuditActions.SignInFailed, StaffSubject(account.Name), "account locked");
            return new StaffSignInResult(StaffSignInOutcome.Locked, account, account.LockedUntil);
        }

        // A password longer than any that can be set is wrong without hashing it (no CPU spent on a huge field).
        if (password is null || password.Length > StaffLimits.MaxPasswordLength
            || !CryptographicOperations.FixedTimeEquals(HashPassword(password, secrets.Value.Salt, secrets.Value.Iterations), secrets.Value.Hash))
        {
            return RecordFailedSignIn(account.Name, "wrong password", StaffSignInOutcome.WrongNameOrPassword);
        }

        if (account.Disabled)
        {
            Audit.Append(account.Name, AuditActions.SignInFailed, StaffSubject(account.Name), "account disabled");
            return new StaffSignInResult(StaffSignInOutcome.Disabled, account);
        }

        var digits = NormalizeCode(code);
        var totp = new Totp(secrets.Value.TotpSecret, StaffLimits.TotpStepSeconds, OtpHashMode.Sha1, StaffLimits.TotpDigits);
        if (digits is null || !totp.VerifyTotp(now.UtcDateTime, digits, out var step, new VerificationWindow(StaffLimits.TotpWindowSteps, StaffLimits.TotpWindowSteps)))
        {
            return RecordFailedSignIn(account.Name, digits is null ? "code missing or not 6 digits" : "wrong or expired code", StaffSignInOutcome.WrongCode);
        }

        return Write(transaction =>
        {
            // Conditional on the state checked above: a code's time step is taken once (a second use of it, or a race
            // of two tablets with the same code, finds no row to update), and a lock or disable meanwhile still holds.
            var time = AuditTrail.FormatTime(now);
            using var update = transaction.Connection!.CreateCommand();
            update.Transaction = transaction;
            update.CommandText = """
                UPDATE staff SET last_totp_step = $step, failed_sign_ins = 0, locked_until = NULL, last_sign_in = $now
                WHERE name = $name AND disabled = 0 AND (last_totp_step IS NULL OR last_totp_step < $step)
                  AND (locked_until IS NULL OR locked_until <= $now)
                """;
            update.Parameters.AddWithValue("$step", step);
            update.Parameters.AddWithValue("$now", time);
            update.Parameters.AddWithValue("$name", account.Name);
            if (update.ExecuteNonQuery() == 1)
            {
                Audit.AppendIn(transaction, account.Name, AuditActions.SignIn, StaffSubject(account.Name), "signed in with password and code", "{}");
                return new StaffSignInResult(StaffSignInOutcome.SignedIn, FindStaff(transaction, account.Name));
            }

            var current = FindStaff(transaction, account.Name)!;
            if (current.IsLockedAt(now))
            {
                Audit.AppendIn(transaction, account.Name, AuditActions.SignInFailed, StaffSubject(account.Name), "account locked", "{}");
                return new StaffSignInResult(StaffSignInOutcome.Locked, current, current.LockedUntil);
            }

            if (current.Disabled)
            {
                Audit.AppendIn(transaction, account.Name, AuditActions.SignInFailed, StaffSubject(account.Name), "account disabled", "{}");
                return new StaffSignInResult(StaffSignInOutcome.Disabled, current);
            }

            return RecordFailedSignIn(transaction, account.Name, "code already used", StaffSignInOutcome.WrongCode);
        });
    }

    /// <summary>Records a sign-out in the audit trail under <paramref name="name"/>.</summary>
    public AuditEntry SignOut(string name) =>
        Audit.Append(name, AuditActions.SignOut, StaffSubject(name), "signed out");

    /// <summary>The code's 6 digits (spaces, as apps show "123 456", removed), or null when it is not a code.</summary>
    private static string? NormalizeCode(string? code)
    {
        if (code is null || code.Length > 2 * StaffLimits.TotpDigits)
        {
            return null;
        }

        var digits = code.Replace(" ", "", StringComparison.Ordinal);
        if (digits.Length != StaffLimits.TotpDigits)
        {
            return null;
        }

        foreach (var c in digits)
        {
            if (!char.IsAsciiDigit(c))
            {
                return null;
            }
        }

        return digits;
    }

    private StaffSignInResult RecordFailedSignIn(string name, string reason, StaffSignInOutcome outcome) =>
        Write(transaction => RecordFailedSignIn(transaction, name, reason, outcome));

    /// <summary>Counts a failure; the <see cref="StaffLimits.MaxFailedSignIns"/>th locks the account (and starts the count again).</summary>
    private StaffSignInResult RecordFailedSignIn(SqliteTransaction transaction, string name, string reason, StaffSignInOutcome outcome)
    {
        UpdateStaff(transaction, name, "failed_sign_ins = failed_sign_ins + 1");
        Audit.AppendIn(transaction, name, AuditActions.SignInFailed, StaffSubject(name), reason, "{}");
        var account = FindStaff(transaction, name)!;
        if (account.FailedSignIns < StaffLimits.MaxFailedSignIns)
        {
            return new StaffSignInResult(outcome, account);
        }

        var until = Now() + StaffLimits.LockoutDuration;
        UpdateStaff(transaction, name, "failed_sign_ins = 0, locked_until = $until", ("$until", AuditTrail.FormatTime(until)));
        Audit.AppendIn(transaction, name, AuditActions.SignInLockout, StaffSubject(name),
            $"locked for {StaffLimits.LockoutDuration.TotalMinutes:0} min after {StaffLimits.MaxFailedSignIns} failed sign-ins",
            StaffDetails(("locked_until", AuditTrail.FormatTime(until))));
        return new StaffSignInResult(StaffSignInOutcome.Locked, FindStaff(transaction, name), until);
    }

    /// <summary>PBKDF2-HMAC-SHA256 of the password's UTF-8 bytes (NFKC-normalised first, NIST SP 800-63B §5.1.1.2, so the same password typed on two keyboards matches).</summary>
    private static byte[] HashPassword(string password, byte[] salt, int iterations)
    {
        string normalized;
        try
        {
            normalized = password.Normalize(NormalizationForm.FormKC);
        }
        catch (ArgumentException)
        {
            // Invalid UTF-16 (a lone surrogate) cannot be normalised; hash it as it is (it matches nothing stored).
            normalized = password;
        }

        return Rfc2898DeriveBytes.Pbkdf2(Encoding.UTF8.GetBytes(normalized), salt, iterations, HashAlgorithmName.SHA256, StaffLimits.HashBytes);
    }

    private static void CheckStaffName(string? name)
    {
        if (!StaffLimits.IsValidName(name))
        {
            throw new RegistryException($"--name '{Echo(name)}' is not a valid staff name: use {StaffLimits.NameRule}");
        }
    }

    private static void CheckNewPassword(string? password)
    {
        if (StaffLimits.PasswordProblem(password) is { } problem)
        {
            throw new RegistryException(problem);
        }
    }

    private static string StaffSubject(string name) => "staff " + name;

    private static string StaffDetails(params ReadOnlySpan<(string Key, object Value)> values)
    {
        var details = new Dictionary<string, object>(StringComparer.Ordinal);
        foreach (var (key, value) in values)
        {
            details[key] = value;
        }

        return JsonSerializer.Serialize(details);
    }

    private static string NewSessionStamp() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));

    private static StaffAccount RequireStaff(SqliteTransaction transaction, string name)
    {
        CheckStaffName(name);
        return FindStaff(transaction, name)
            ?? throw new RegistryException($"there is no staff member named '{name}'; 'wearable-ingest staff list' shows them");
    }

    private static StaffAccount? FindStaff(SqliteTransaction transaction, string name)
    {
        using var command = transaction.Connection!.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = $"SELECT {StaffColumns} FROM staff WHERE name = $name";
        command.Parameters.AddWithValue("$name", name);
        using var reader = command.ExecuteReader();
        return reader.Read() ? ReadStaff(reader) : null;
    }

    private void UpdateStaff(SqliteTransaction transaction, string name, string set, params ReadOnlySpan<(string Name, object? Value)> parameters)
    {
        using var command = transaction.Connection!.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = $"UPDATE staff SET {set}, changed_at = $changed WHERE name = $name";
        command.Parameters.AddWithValue("$name", name);
        command.Parameters.AddWithValue("$changed", AuditTrail.FormatTime(Now()));
        foreach (var (parameter, value) in parameters)
        {
            if (set.Contains(parameter, StringComparison.Ordinal))
            {
                command.Parameters.AddWithValue(parameter, value ?? DBNull.Value);
            }
        }

        command.ExecuteNonQuery();
    }

    /// <summary>The account with what checking a sign-in needs, or null when there is no such name.</summary>
    private (StaffAccount Account, byte[] Hash, byte[] Salt, int Iterations, byte[] TotpSecret)? ReadStaffSecrets(string name) => Read(connection =>
    {
        using var command = connection.CreateCommand();
        command.CommandText = $"SELECT {StaffColumns}, password_hash, password_salt, password_iterations, totp_secret FROM staff WHERE name = $name";
        command.Parameters.AddWithValue("$name", name);
        using var reader = command.ExecuteReader();
        if (!reader.Read())
        {
            return ((StaffAccount, byte[], byte[], int, byte[])?)null;
        }

        var account = ReadStaff(reader);
        var iterations = reader.GetInt64(11);
        if (iterations is < 1 or > StaffLimits.MaxPasswordIterations)
        {
            throw new RegistryException($"staff member {account.Name}'s password hash asks for {iterations} iterations (at most {StaffLimits.MaxPasswordIterations}): the row was edited; give them a new password with 'wearable-ingest staff reset --name {account.Name} --password'");
        }

        return (account, (byte[])reader.GetValue(9), (byte[])reader.GetValue(10), (int)iterations, (byte[])reader.GetValue(12));
    });

    private static StaffAccount ReadStaff(SqliteDataReader reader) => new(
        reader.GetString(0),
        reader.GetString(1),
        reader.GetInt64(2) != 0,
        (int)Math.Min(reader.GetInt64(3), int.MaxValue),
        ParseTime(reader, 4),
        ParseTime(reader, 5),
        reader.GetString(6),
        ParseTime(reader, 7) ?? DateTimeOffset.UnixEpoch,
        ParseTime(reader, 8) ?? DateTimeOffset.UnixEpoch);

    private static DateTimeOffset? ParseTime(SqliteDataReader reader, int ordinal) =>
        reader.IsDBNull(ordinal) ? null
        : DateTimeOffset.ParseExact(reader.GetString(ordinal), "yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal);
}
