using Ingest.Gateway.Registry;
using Ingest.Tests.Support;
using OtpNet;
using ZXing;
using ZXing.Common;
using ZXing.QrCode;
using static Ingest.Tests.Registry.RegistryTestSupport;
using static Ingest.Tests.Web.Staff.StaffTestSupport;

namespace Ingest.Tests.Web.Staff;

/// <summary><c>wearable-ingest staff …</c>: the real executable for what reads stdin, the real parser in-process for the rest.</summary>
public sealed class StaffCommandTests
{
    [Fact]
    public async Task Add_PasswordStdin_PrintsAuthenticatorUriAndATerminalQrCodeThatDecodesToIt()
    {
        using var directory = new TemporaryDirectory("staff-cli");
        File.WriteAllText(directory.Combine("wearable-ingest.json"), """{ "Hub": { "Id": "hub-ward-3", "Study": "CARDIO-7", "Site": "lyon-2" } }""");

        var (exit, output) = await Support.Cli.RunAsync(["staff", "add", "--name", "nurse.jones", "--password-stdin", "--data-dir", directory.Path, "--actor", "coordinator.li"],
            standardInput: Password + "\n");

        Assert.True(exit == 0, output);
        Assert.StartsWith("staff member nurse.jones added (site lyon-2; audit entry 1)", output, StringComparison.Ordinal);
        var uri = output.Split('\n').Single(l => l.StartsWith("otpauth://", StringComparison.Ordinal)).Trim();
        Assert.StartsWith("otpauth://totp/WearableIngest%20hub-ward-3:nurse.jones?secret=", uri, StringComparison.Ordinal);
        Assert.Contains("issuer=WearableIngest%20hub-ward-3", uri, StringComparison.Ordinal);
        Assert.Contains("algorithm=SHA1&digits=6&period=30", uri, StringComparison.Ordinal);
        Assert.Equal(uri, DecodeTerminalQr(output));
        Assert.DoesNotContain(Password, output, StringComparison.Ordinal);

        // The secret in the URI is the one the hub checks codes against.
        var secret = Base32Encoding.ToBytes(System.Web.HttpUtility.ParseQueryString(new Uri(uri).Query)["secret"]!);
        using var registry = EnrollmentRegistry.Open(EnrollmentRegistry.PathIn(directory.Path), create: false);
        Assert.Equal(StaffSignInOutcome.SignedIn, registry.SignIn("nurse.jones", Password, Code(secret, DateTimeOffset.UtcNow)).Outcome);
        var added = registry.Audit.List(10)[0];
        Assert.Equal(("coordinator.li", AuditActions.StaffAdd, "staff nurse.jones"), (added.Actor, added.Action, added.Subject));
    }

    [Fact]
    public async Task Add_BadPasswordsFromStdinOrNoTerminal_OneLineExit2_NothingAdded()
    {
        using var directory = new TemporaryDirectory("staff-cli");
        string[] add = ["staff", "add", "--name", "nurse.jones", "--site", "site-7", "--data-dir", directory.Path];

        var tooShort = await Support.Cli.RunAsync([.. add, "--password-stdin"], standardInput: "short\n");
        var tooLong = await Support.Cli.RunAsync([.. add, "--password-stdin"], standardInput: new string('p', StaffLimits.MaxPasswordLength + 50) + "\n");
        var empty = await Support.Cli.RunAsync([.. add, "--password-stdin"], standardInput: "");
        var noTerminal = await Support.Cli.RunAsync(add, standardInput: Password + "\n");

        Assert.Equal((2, $"error: the password must have at least {StaffLimits.MinPasswordLength} characters (a short sentence is easy to remember)\n"), tooShort);
        Assert.Equal((2, $"error: the password must have at most {StaffLimits.MaxPasswordLength} characters\n"), tooLong);
        Assert.Equal((2, "error: --password-stdin: standard input was empty; pipe the password in as one line\n"), empty);
        Assert.Equal((2, "error: standard input is not a terminal, so the password cannot be typed without echo; pipe it in with --password-stdin\n"), noTerminal);
        Assert.False(File.Exists(EnrollmentRegistry.PathIn(directory.Path)), "nothing was added, so no registry was made");
    }

    [Fact]
    public void List_ShowsNameSiteStateAndLastSignIn_NeverASecret()
    {
        using var directory = new TemporaryDirectory("staff-cli");
        var secrets = new List<byte[]>();
        using (var registry = EnrollmentRegistry.Open(EnrollmentRegistry.PathIn(directory.Path), create: true))
        {
            foreach (var name in new[] { "nurse.jones", "nurse.li", "dr.moreau" })
            {
                secrets.Add(registry.AddStaff(name, "site-7", Password, "coordinator", "new").TotpSecret!);
            }

            Assert.Equal(StaffSignInOutcome.SignedIn, registry.SignIn("nurse.jones", Password, Code(secrets[0], DateTimeOffset.UtcNow)).Outcome);
            registry.SetStaffDisabled("nurse.li", true, "coordinator", "left");
            for (var i = 0; i < StaffLimits.MaxFailedSignIns; i++)
            {
                registry.SignIn("dr.moreau", Password, "000000");
            }
        }

        var (exit, output, error) = Cli("staff", "list", "--data-dir", directory.Path);

        Assert.Equal((0, ""), (exit, error));
        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(5, lines.Length);
        Assert.Matches("^NAME +SITE +STATE +LAST SIGN-IN$", lines[0]);
        Assert.Matches(@"^dr\.moreau +site-7 +locked until \d{4}-\d\d-\d\d \d\d:\d\d UTC +never$", lines[1]);
        Assert.Matches(@"^nurse\.jones +site-7 +active +\d{4}-\d\d-\d\d \d\d:\d\d UTC$", lines[2]);
        Assert.Matches(@"^nurse\.li +site-7 +disabled +never$", lines[3]);
        Assert.Equal("3 staff account(s)", lines[4]);
        foreach (var secret in secrets)
        {
            Assert.DoesNotContain(Base32Encoding.ToString(secret), output, StringComparison.Ordinal);
            Assert.DoesNotContain(Convert.ToHexString(secret), output, StringComparison.OrdinalIgnoreCase);
        }

        Assert.DoesNotContain("otpauth", output, StringComparison.Ordinal);
    }

    [Fact]
    public void DisableEnableUnlockReset_DoWhatTheySay_AuditedUnderTheActor()
    {
        using var directory = new TemporaryDirectory("staff-cli");
        using (var registry = EnrollmentRegistry.Open(EnrollmentRegistry.PathIn(directory.Path), create: true))
        {
            registry.AddStaff("nurse.jones", "site-7", Password, "coordinator", "new");
            for (var i = 0; i < StaffLimits.MaxFailedSignIns; i++)
            {
                registry.SignIn("nurse.jones", Password, "000000");
            }
        }

        string[] common = ["--name", "nurse.jones", "--data-dir", directory.Path, "--actor", "coordinator.li"];
        var unlock = Cli(["staff", "unlock", .. common]);
        var disable = Cli(["staff", "disable", .. common, "--reason", "on leave"]);
        var enable = Cli(["staff", "enable", .. common]);
        var reset = Cli(["staff", "reset", .. common, "--new-code"]);

        Assert.Equal((0, "staff member nurse.jones unlocked (audit entry 8)\n", ""), unlock);
        Assert.Equal((0, "staff member nurse.jones disabled (audit entry 9)\n", ""), disable);
        Assert.Equal((0, "staff member nurse.jones enabled (audit entry 10)\n", ""), enable);
        Assert.Equal(0, reset.ExitCode);
        Assert.StartsWith("staff member nurse.jones: new code (audit entry 11); their open sessions end\n", reset.Output, StringComparison.Ordinal);
        Assert.Contains("otpauth://totp/WearableIngest%20", reset.Output, StringComparison.Ordinal);
        using var reopened = EnrollmentRegistry.Open(EnrollmentRegistry.PathIn(directory.Path), create: false);
        var entries = reopened.Audit.List(4);
        Assert.Equal([AuditActions.StaffUnlock, AuditActions.StaffDisable, AuditActions.StaffEnable, AuditActions.StaffReset], entries.Select(e => e.Action));
        Assert.All(entries, e => Assert.Equal("coordinator.li", e.Actor));
        Assert.Equal("on leave", entries[1].Reason);
        Assert.True(reopened.Audit.Verify().Intact);
    }

    [Theory]
    [InlineData("error: say which staff member with --name (e.g. --name nurse.jones; 'wearable-ingest staff list' shows them)", "staff", "disable")]
    [InlineData("error: --name 'nurse jones' is not a valid staff name: use 1–64 characters of A–Z, a–z, 0–9, '.', '_', '-' and '@' (e.g. nurse.jones); it is the name in the audit trail", "staff", "add", "--name", "nurse jones", "--site", "s1", "--password-stdin")]
    [InlineData("error: --site 'a/b' is not a valid site id: use 1–64 characters of A–Z, a–z, 0–9, '.', '_' and '-' (no '/', '+', '#' or spaces: ids become MQTT topic levels)", "staff", "add", "--name", "nurse.li", "--site", "a/b", "--password-stdin")]
    [InlineData("error: there is no staff member named 'nurse.nobody'; 'wearable-ingest staff list' shows them", "staff", "disable", "--name", "nurse.nobody")]
    [InlineData("error: there is no staff member named 'nurse.nobody'; 'wearable-ingest staff list' shows them", "staff", "reset", "--name", "nurse.nobody", "--new-code")]
    [InlineData("error: say what to reset: --password (a new password) and/or --new-code (a new authenticator code)", "staff", "reset", "--name", "nurse.jones")]
    [InlineData("error: --password-stdin reads a new password: add --password", "staff", "reset", "--name", "nurse.jones", "--new-code", "--password-stdin")]
    [InlineData("error: staff member nurse.jones is not locked and has no failed sign-ins; nothing to do", "staff", "unlock", "--name", "nurse.jones")]
    [InlineData("error: staff member nurse.jones is already enabled; nothing to do", "staff", "enable", "--name", "nurse.jones")]
    public void BadInput_OneLineSayingWhatToChange_Exit2(string expected, params string[] args)
    {
        using var directory = new TemporaryDirectory("staff-cli");
        using (var registry = EnrollmentRegistry.Open(EnrollmentRegistry.PathIn(directory.Path), create: true))
        {
            registry.AddStaff("nurse.jones", "site-7", Password, "coordinator", "new");
        }

        var (exit, output, error) = Cli([.. args, "--data-dir", directory.Path]);

        Assert.Equal((2, "", expected + "\n"), (exit, output, error));
    }

    [Fact]
    public void List_NoRegistry_OneLineExit2()
    {
        using var directory = new TemporaryDirectory("staff-cli");

        var (exit, _, error) = Cli("staff", "list", "--data-dir", directory.Path);

        Assert.Equal(2, exit);
        Assert.StartsWith("error: there is no registry at ", error, StringComparison.Ordinal);
        Assert.Single(error.TrimEnd('\n').Split('\n'));
    }

    /// <summary>
    /// Reads the QR code that <c>staff add</c> drew with half blocks back into modules (each character is two modules
    /// stacked: '█' both light, ' ' both dark, '▀' light over dark, '▄' dark over light) and decodes it with ZXing.
    /// </summary>
    private static string DecodeTerminalQr(string output)
    {
        var art = output.Split('\n').Where(l => l.Length > 20 && l.All(c => c is '█' or '▀' or '▄' or ' ')).ToList();
        Assert.True(art.Count > 10, "no QR code drawn in: " + output);
        const int Scale = 4;
        var width = art.Max(l => l.Length);
        var height = art.Count * 2;
        var pixels = new byte[width * Scale * height * Scale];
        for (var row = 0; row < art.Count; row++)
        {
            for (var column = 0; column < width; column++)
            {
                var c = column < art[row].Length ? art[row][column] : '█';
                var (top, bottom) = c switch { '█' => (true, true), '▀' => (true, false), '▄' => (false, true), _ => (false, false) };
                Fill(2 * row, column, top);
                Fill(2 * row + 1, column, bottom);
            }
        }

        var bitmap = new BinaryBitmap(new HybridBinarizer(new RGBLuminanceSource(pixels, width * Scale, height * Scale, RGBLuminanceSource.BitmapFormat.Gray8)));
        var result = new QRCodeReader().decode(bitmap);
        Assert.True(result is not null, "ZXing found no QR code in the terminal drawing");
        return result.Text;

        void Fill(int moduleRow, int moduleColumn, bool light)
        {
            for (var y = 0; y < Scale; y++)
            {
                for (var x = 0; x < Scale; x++)
                {
                    pixels[(moduleRow * Scale + y) * width * Scale + moduleColumn * Scale + x] = light ? (byte)255 : (byte)0;
                }
            }
        }
    }
}
