using System.CommandLine;
using System.Globalization;
using System.Text;
using Ingest.Gateway.Configuration;
using Ingest.Gateway.Registry;
using OtpNet;
using QRCoder;

namespace Ingest.Gateway.Cli;

/// <summary>
/// <c>wearable-ingest staff add|list|disable|enable|unlock|reset</c>: the staff accounts that sign in to the nurse pages
/// (password and authenticator code). A coordinator runs these on the hub; every change is in the audit trail under
/// <c>--actor</c> (default: the OS user, as <c>enroll</c> has it). Passwords are read from the terminal without echo, or
/// once from stdin with <c>--password-stdin</c>; never from the command line, where other users and the shell history
/// would see them.
/// </summary>
internal static class StaffCommand
{
    /// <summary>The authenticator app's issuer prefix; the hub id follows, so a nurse with several hubs tells them apart.</summary>
    public const string IssuerPrefix = "WearableIngest";

    public static Command Create()
    {
        var command = new Command("staff", "Staff accounts for the nurse pages: sign-in with a password and an authenticator app's 6-digit code.");
        command.Add(CreateAdd());
        command.Add(CreateList());
        command.Add(CreateSetDisabled("disable", disabled: true, "Disable an account: it can no longer sign in, and its open sessions end."));
        command.Add(CreateSetDisabled("enable", disabled: false, "Enable a disabled account again."));
        command.Add(CreateUnlock());
        command.Add(CreateReset());
        return command;
    }

    private static Option<string?> NameOption() =>
        new("--name") { Description = "The staff member's name, as they sign in and as the audit trail names them, e.g. nurse.jones", HelpName = "NAME" };

    private static Option<string?> ActorOption() =>
        new("--actor") { Description = "Who makes the change (default: $SUDO_USER, else $USER)", HelpName = "NAME" };

    private static Option<string?> ReasonOption() =>
        new("--reason") { Description = "Why (kept in the audit trail)", HelpName = "TEXT" };

    private static Option<bool> PasswordStdinOption() =>
        new("--password-stdin") { Description = "Read the password once from standard input (one line) instead of asking twice at the terminal" };

    private static Command CreateAdd()
    {
        var name = NameOption();
        var site = new Option<string?>("--site") { Description = "The staff member's site (default: Hub:Site from the configuration)", HelpName = "ID" };
        var passwordStdin = PasswordStdinOption();
        var actor = ActorOption();
        var reason = ReasonOption();
        var dataDir = RegistryCommandSupport.DataDirOption();
        var config = RegistryCommandSupport.ConfigOption();
        var command = new Command("add",
            $"Add a staff account: asks for the password (at least {StaffLimits.MinPasswordLength} characters), makes a code secret and shows it as a QR code " +
            "for the nurse's authenticator app.")
        {
            name, site, passwordStdin, actor, reason, dataDir, config,
        };
        command.SetAction(parse => RegistryCommandSupport.Run(parse, output =>
        {
            var settings = RegistryCommandSupport.LoadSettings(parse.GetValue(dataDir), parse.GetValue(config));
            var staffName = RequireName(parse.GetValue(name));
            var siteId = RegistryCommandSupport.Configured(parse.GetValue(site), settings, "Hub:Site")
                ?? throw new CliException("say which site the staff member works at with --site (or set Hub:Site in the configuration)");
            // Refuse a bad name or site before asking for a password the coordinator would then type for nothing.
            if (!StaffLimits.IsValidName(staffName))
            {
                throw new CliException($"--name '{Shorten(staffName)}' is not a valid staff name: use {StaffLimits.NameRule}");
            }

            if (!RegistryLimits.IsValidId(siteId))
            {
                throw new CliException($"--site '{Shorten(siteId)}' is not a valid site id: use {RegistryLimits.IdRule}");
            }

            var who = RegistryCommandSupport.Actor(parse.GetValue(actor));
            var why = parse.GetValue(reason) ?? "staff account added";
            EnrollmentRegistry.CheckNewStaff(staffName, siteId, who, why);
            var path = EnrollmentRegistry.PathIn(settings.DataDirectory);
            if (File.Exists(path))
            {
                // A taken name is refused before the password is typed for nothing; AddStaff checks again under its lock.
                using var existing = EnrollmentRegistry.Open(path, create: false);
                if (existing.FindStaff(staffName) is { } taken)
                {
                    throw EnrollmentRegistry.StaffNameTaken(taken.Name);
                }
            }

            var password = ReadNewPassword(parse.GetValue(passwordStdin), output);
            DataDirectoryAccess.Prepare(settings.DataDirectory);
            using var registry = EnrollmentRegistry.Open(path, create: true);
            var added = registry.AddStaff(staffName, siteId, password, who, why);
            output.WriteLine($"staff member {added.Account.Name} added (site {added.Account.Site}; audit entry {added.AuditEntry.Seq})");
            WriteAuthenticatorSetup(output, added, settings.Ingest.HubId);
            return ExitCodes.Success;
        }));
        return command;
    }

    private static Command CreateList()
    {
        var dataDir = RegistryCommandSupport.DataDirOption();
        var config = RegistryCommandSupport.ConfigOption();
        var command = new Command("list", "Show the staff accounts: name, site, state and last sign-in (never a password or code secret).") { dataDir, config };
        command.SetAction(parse => RegistryCommandSupport.Run(parse, output =>
        {
            var settings = RegistryCommandSupport.LoadSettings(parse.GetValue(dataDir), parse.GetValue(config));
            using var registry = EnrollmentRegistry.Open(EnrollmentRegistry.PathIn(settings.DataDirectory), create: false);
            var accounts = registry.ListStaff();
            if (accounts.Count == 0)
            {
                output.WriteLine("no staff accounts yet; add one with 'wearable-ingest staff add --name NAME --site SITE'");
                return ExitCodes.Success;
            }

            var now = DateTimeOffset.UtcNow;
            var rows = accounts.Select(a => (a.Name, a.Site, State: State(a, now), Last: a.LastSignIn is { } last ? Minute(last) + " UTC" : "never")).ToList();
            var nameWidth = Math.Max("NAME".Length, rows.Max(r => r.Name.Length));
            var siteWidth = Math.Max("SITE".Length, rows.Max(r => r.Site.Length));
            var stateWidth = Math.Max("STATE".Length, rows.Max(r => r.State.Length));
            output.WriteLine($"{"NAME".PadRight(nameWidth)}  {"SITE".PadRight(siteWidth)}  {"STATE".PadRight(stateWidth)}  LAST SIGN-IN");
            foreach (var row in rows)
            {
                output.WriteLine($"{row.Name.PadRight(nameWidth)}  {row.Site.PadRight(siteWidth)}  {row.State.PadRight(stateWidth)}  {row.Last}");
            }

            output.WriteLine($"{accounts.Count} staff account(s)");
            return ExitCodes.Success;
        }));
        return command;
    }

    private static Command CreateSetDisabled(string verb, bool disabled, string description)
    {
        var name = NameOption();
        var actor = ActorOption();
        var reason = ReasonOption();
        var dataDir = RegistryCommandSupport.DataDirOption();
        var config = RegistryCommandSupport.ConfigOption();
        var command = new Command(verb, description) { name, actor, reason, dataDir, config };
        command.SetAction(parse => RegistryCommandSupport.Run(parse, output =>
        {
            var staffName = RequireName(parse.GetValue(name));
            var settings = RegistryCommandSupport.LoadSettings(parse.GetValue(dataDir), parse.GetValue(config));
            using var registry = EnrollmentRegistry.Open(EnrollmentRegistry.PathIn(settings.DataDirectory), create: false);
            var entry = registry.SetStaffDisabled(staffName, disabled, RegistryCommandSupport.Actor(parse.GetValue(actor)),
                parse.GetValue(reason) ?? $"staff account {verb}d");
            output.WriteLine($"staff member {staffName} {verb}d (audit entry {entry.Seq})");
            return ExitCodes.Success;
        }));
        return command;
    }

    private static Command CreateUnlock()
    {
        var name = NameOption();
        var actor = ActorOption();
        var reason = ReasonOption();
        var dataDir = RegistryCommandSupport.DataDirOption();
        var config = RegistryCommandSupport.ConfigOption();
        var command = new Command("unlock",
            $"End a lockout before its {StaffLimits.LockoutDuration.TotalMinutes:0} minutes are up (an account locks after {StaffLimits.MaxFailedSignIns} failed sign-ins).")
        {
            name, actor, reason, dataDir, config,
        };
        command.SetAction(parse => RegistryCommandSupport.Run(parse, output =>
        {
            var staffName = RequireName(parse.GetValue(name));
            var settings = RegistryCommandSupport.LoadSettings(parse.GetValue(dataDir), parse.GetValue(config));
            using var registry = EnrollmentRegistry.Open(EnrollmentRegistry.PathIn(settings.DataDirectory), create: false);
            var entry = registry.UnlockStaff(staffName, RegistryCommandSupport.Actor(parse.GetValue(actor)), parse.GetValue(reason) ?? "staff account unlocked");
            output.WriteLine($"staff member {staffName} unlocked (audit entry {entry.Seq})");
            return ExitCodes.Success;
        }));
        return command;
    }

    private static Command CreateReset()
    {
        var name = NameOption();
        var password = new Option<bool>("--password") { Description = "Set a new password (asked for like 'staff add' does)" };
        var newCode = new Option<bool>("--new-code") { Description = "Make a new code secret (a lost or new phone): shows a new QR code; the old app entry stops working" };
        var passwordStdin = PasswordStdinOption();
        var actor = ActorOption();
        var reason = ReasonOption();
        var dataDir = RegistryCommandSupport.DataDirOption();
        var config = RegistryCommandSupport.ConfigOption();
        var command = new Command("reset", "Give a staff member a new password and/or a new authenticator code; their open sessions end and a lockout is lifted.")
        {
            name, password, newCode, passwordStdin, actor, reason, dataDir, config,
        };
        command.SetAction(parse => RegistryCommandSupport.Run(parse, output =>
        {
            var staffName = RequireName(parse.GetValue(name));
            var settings = RegistryCommandSupport.LoadSettings(parse.GetValue(dataDir), parse.GetValue(config));
            if (!parse.GetValue(password) && !parse.GetValue(newCode))
            {
                throw new CliException("say what to reset: --password (a new password) and/or --new-code (a new authenticator code)");
            }

            if (parse.GetValue(passwordStdin) && !parse.GetValue(password))
            {
                throw new CliException("--password-stdin reads a new password: add --password");
            }

            using var registry = EnrollmentRegistry.Open(EnrollmentRegistry.PathIn(settings.DataDirectory), create: false);
            if (registry.FindStaff(staffName) is null)
            {
                // Before asking for a password, so a typo in the name costs no typing.
                throw new CliException($"there is no staff member named '{Shorten(staffName)}'; 'wearable-ingest staff list' shows them");
            }

            var newPassword = parse.GetValue(password) ? ReadNewPassword(parse.GetValue(passwordStdin), output) : null;
            var reset = registry.ResetStaff(staffName, newPassword, parse.GetValue(newCode), RegistryCommandSupport.Actor(parse.GetValue(actor)),
                parse.GetValue(reason) ?? "staff credentials reset");
            var what = (newPassword is not null, reset.TotpSecret is not null) switch
            {
                (true, true) => "password and code",
                (true, false) => "password",
                _ => "code",
            };
            output.WriteLine($"staff member {reset.Account.Name}: new {what} (audit entry {reset.AuditEntry.Seq}); their open sessions end");
            if (reset.TotpSecret is not null)
            {
                WriteAuthenticatorSetup(output, reset, settings.Ingest.HubId);
            }

            return ExitCodes.Success;
        }));
        return command;
    }

    /// <summary>
    /// The Key Uri Format URI an authenticator app reads
    /// (<c>otpauth://totp/ISSUER:NAME?secret=…&amp;issuer=…&amp;algorithm=SHA1&amp;digits=6&amp;period=30</c>).
    /// </summary>
    public static string AuthenticatorUri(string hubId, string name, byte[] secret)
    {
        ArgumentNullException.ThrowIfNull(secret);
        return new OtpUri(OtpType.Totp, Base32Encoding.ToString(secret), name, $"{IssuerPrefix} {hubId}", OtpHashMode.Sha1,
            StaffLimits.TotpDigits, StaffLimits.TotpStepSeconds).ToString();
    }

    /// <summary>Prints the QR code (half-block characters, two modules a line) and the URI and secret it holds.</summary>
    private static void WriteAuthenticatorSetup(TextWriter output, StaffCredentials credentials, string hubId)
    {
        var uri = AuthenticatorUri(hubId, credentials.Account.Name, credentials.TotpSecret!);
        using var generator = new QRCodeGenerator();
        using var data = generator.CreateQrCode(uri, QRCodeGenerator.ECCLevel.M);
        // Drawn for a dark terminal: light modules are printed, dark ones left as the background (invert: false).
        using var code = new AsciiQRCode(data);
        var art = code.GetGraphicSmall(drawQuietZones: true, invert: false, endOfLine: "\n");
        output.WriteLine();
        output.WriteLine("Scan this with the authenticator app on the staff member's phone (Google Authenticator, Microsoft Authenticator, FreeOTP …):");
        output.WriteLine();
        output.WriteLine(art);
        output.WriteLine(uri);
        output.WriteLine($"or type the key by hand: {Grouped(Base32Encoding.ToString(credentials.TotpSecret!))} (time-based, 6 digits, 30 s)");
        output.WriteLine($"This is shown once. If the phone is lost: wearable-ingest staff reset --name {credentials.Account.Name} --new-code");
    }

    /// <summary>The base32 key in groups of four, as apps that take a typed key show it.</summary>
    private static string Grouped(string key)
    {
        var grouped = new StringBuilder(key.Length + key.Length / 4);
        for (var i = 0; i < key.Length; i += 4)
        {
            grouped.Append(i == 0 ? "" : " ").Append(key.AsSpan(i, Math.Min(4, key.Length - i)));
        }

        return grouped.ToString();
    }

    private static string RequireName(string? name) =>
        name ?? throw new CliException("say which staff member with --name (e.g. --name nurse.jones; 'wearable-ingest staff list' shows them)");

    private static string State(StaffAccount account, DateTimeOffset now) =>
        account.Disabled ? "disabled"
        : account.IsLockedAt(now) ? $"locked until {Minute(account.LockedUntil!.Value)} UTC"
        : account.FailedSignIns > 0 ? $"active ({account.FailedSignIns} failed sign-in(s))"
        : "active";

    private static string Minute(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture);

    private static string Shorten(string value) => value.Length > 80 ? value[..80] + "…" : value;

    /// <summary>
    /// A new password: from stdin (one line) with <paramref name="fromStdin"/>, else typed twice at the terminal without
    /// echo. Checked against the password policy before it goes anywhere.
    /// </summary>
    private static string ReadNewPassword(bool fromStdin, TextWriter output)
    {
        string password;
        if (fromStdin)
        {
            password = ReadLineLimited(Console.In) ?? throw new CliException("--password-stdin: standard input was empty; pipe the password in as one line");
        }
        else
        {
            if (Console.IsInputRedirected)
            {
                throw new CliException("standard input is not a terminal, so the password cannot be typed without echo; pipe it in with --password-stdin");
            }

            password = ReadHidden(output, "Password: ");
            CheckPolicy(password);
            if (!string.Equals(password, ReadHidden(output, "Password again: "), StringComparison.Ordinal))
            {
                throw new CliException("the two passwords differ; run the command again");
            }
        }

        CheckPolicy(password);
        return password;

        static void CheckPolicy(string password)
        {
            if (StaffLimits.PasswordProblem(password) is { } problem)
            {
                throw new CliException(problem);
            }
        }
    }

    /// <summary>One line of at most <see cref="StaffLimits.MaxPasswordLength"/> + 1 characters (longer is refused by the policy, never read whole).</summary>
    private static string? ReadLineLimited(TextReader reader)
    {
        var line = new StringBuilder();
        int c;
        while ((c = reader.Read()) >= 0 && c != '\n')
        {
            if (line.Length > StaffLimits.MaxPasswordLength)
            {
                break;
            }

            line.Append((char)c);
        }

        if (c < 0 && line.Length == 0)
        {
            return null;
        }

        return line.ToString().TrimEnd('\r');
    }

    /// <summary>Reads a line at the terminal without echoing it (Backspace works; Ctrl+C ends the command as usual).</summary>
    private static string ReadHidden(TextWriter output, string prompt)
    {
        output.Write(prompt);
        output.Flush();
        var typed = new StringBuilder();
        while (true)
        {
            var key = Console.ReadKey(intercept: true);
            if (key.Key == ConsoleKey.Enter)
            {
                break;
            }

            if (key.Key == ConsoleKey.Backspace)
            {
                if (typed.Length > 0)
                {
                    typed.Length--;
                }
            }
            else if (!char.IsControl(key.KeyChar) && typed.Length <= StaffLimits.MaxPasswordLength)
            {
                typed.Append(key.KeyChar);
            }
        }

        output.WriteLine();
        return typed.ToString();
    }
}
