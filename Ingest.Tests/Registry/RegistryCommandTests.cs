using System.Text.Json;
using Ingest.Gateway.Registry;
using Ingest.Tests.Support;
using static Ingest.Tests.Registry.RegistryTestSupport;

namespace Ingest.Tests.Registry;

/// <summary><c>enroll</c>, <c>unenroll</c>, <c>devices</c> and <c>audit</c> through the real parser, in-process, on real SQLite files.</summary>
public class RegistryCommandTests
{
    private static string[] Enroll(string data, string address, string participant, params string[] more) =>
        ["enroll", "--data-dir", data, "--address", address, "--participant", participant, "--profile", "polar-h10",
         "--study", "S1", "--site", "site-7", "--reason", "baseline visit", "--actor", "nurse.jones", .. more];

    [Fact]
    public void Commands_WholeOnboardingStory_NeverPrintAnAddress()
    {
        using var directory = new TemporaryDirectory("registry-cli");
        var data = directory.Path;
        var outputs = new List<string>();
        (int ExitCode, string Output, string Error) Run(params string[] args)
        {
            var result = Cli(args);
            outputs.Add(result.Output + result.Error);
            return result;
        }

        var enrolled = Run(Enroll(data, "c4:7c:8d:6a:12:34", "P-0042"));
        var device = enrolled.Output.Split('\n').Single(l => l.StartsWith("device ", StringComparison.Ordinal))[7..].Trim();
        var taken = Run(Enroll(data, "C4:7C:8D:6A:12:34", "P-0043"));
        var second = Run(Enroll(data, "C4:7C:8D:6A:12:35", "P-0042"));
        var swapped = Run([.. Enroll(data, "C4:7C:8D:6A:12:35", "P-0042").Where(a => a != "baseline visit" && a != "--reason"), "--swap", "--reason", "strap broke"]);
        var withKey = Run([.. Enroll(data, "C4:7C:8D:6A:12:36", "P-0044"), "--irk", "ec0234a357c8ad05341010a60a397d9b"]);
        var rpa = Run([.. Enroll(data, "70:81:94:0D:FB:AA", "P-0045"), "--address-type", "random"]);
        var devices = Run("devices", "--data-dir", data);
        var json = Run("devices", "--data-dir", data, "--json");
        var unenrolled = Run("unenroll", "--data-dir", data, "--participant", "P-0042", "--profile", "polar-h10", "--reason", "withdrew");
        var verify = Run("audit", "verify", "--data-dir", data);
        var list = Run("audit", "list", "--data-dir", data, "--json");

        Assert.Equal(0, enrolled.ExitCode);
        Assert.Matches("^dev-[a-z2-7]{16}$", device);
        Assert.StartsWith("enrolled: participant P-0042, polar-h10 (study S1, site site-7; audit entry 1)", enrolled.Output, StringComparison.Ordinal);
        Assert.Equal((2, ""), (taken.ExitCode, taken.Output));
        Assert.Equal($"error: this tracker is already enrolled to participant P-0042 (device {device}, study S1, profile polar-h10); unenroll it first (wearable-ingest unenroll --device {device} --reason …) or use --swap to replace a participant's tracker with a new one\n",
            taken.Error);
        Assert.Equal(2, second.ExitCode);
        Assert.Contains("already has an active polar-h10 tracker", second.Error, StringComparison.Ordinal);
        Assert.Equal(0, swapped.ExitCode);
        Assert.StartsWith($"swapped: participant P-0042's polar-h10 tracker {device} -> dev-", swapped.Output, StringComparison.Ordinal);
        Assert.Equal(0, withKey.ExitCode);
        Assert.Equal(2, rpa.ExitCode);
        Assert.Equal(0, devices.ExitCode);
        Assert.Contains("P-0044", devices.Output, StringComparison.Ordinal);
        Assert.Contains("never", devices.Output, StringComparison.Ordinal);
        Assert.Contains("2 tracker(s) enrolled", devices.Output, StringComparison.Ordinal);
        Assert.Equal(2, JsonDocument.Parse(json.Output).RootElement.GetArrayLength());
        Assert.Equal(0, unenrolled.ExitCode);
        Assert.Equal(0, verify.ExitCode);
        Assert.StartsWith("audit trail intact: 4 entries checked; head seq 4, hash ", verify.Output, StringComparison.Ordinal);
        Assert.Equal(["enroll", "swap", "enroll", "unenroll"],
            JsonDocument.Parse(list.Output).RootElement.EnumerateArray().Select(e => e.GetProperty("action").GetString()));
        // The address the nurse typed appears in no output, no error, no audit entry — in any case or separator.
        Assert.All(outputs, text => Assert.False(TrackerAddress.ContainsAddress(text), text));
        Assert.All(outputs, text => Assert.DoesNotContain("7C:8D", text, StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public void Devices_ServiceReportedStatus_ShowsItAndNoAddress()
    {
        using var directory = new TemporaryDirectory("registry-cli");
        using (var registry = EnrollmentRegistry.Open(EnrollmentRegistry.PathIn(directory.Path), create: true))
        {
            var device = registry.Enroll(Request(Address(1))).Enrollment.Device;
            registry.Enroll(Request(Address(2), participant: "P-0099"));
            registry.UpdateDeviceStatus(device, true, DateTimeOffset.Parse("2026-11-30T09:15:00Z", System.Globalization.CultureInfo.InvariantCulture).ToUnixTimeMilliseconds() * 1_000_000,
                77, 123_456, 0.9876);
        }

        var (exit, output, error) = Cli("devices", "--data-dir", directory.Path);

        Assert.True(exit == 0, error);
        var lines = output.Split('\n');
        Assert.StartsWith("PARTICIPANT  DEVICE", lines[0], StringComparison.Ordinal);
        var reported = lines.Single(l => l.StartsWith("P-0042", StringComparison.Ordinal));
        Assert.Matches(@"P-0042\s+dev-[a-z2-7]{16}\s+polar-h10\s+S1/site-7\s+\d{4}-\d\d-\d\d \d\d:\d\dZ\s+yes\s+2026-11-30 09:15Z\s+77 %\s+123,456\s+98\.8 %", reported);
        var silent = lines.Single(l => l.StartsWith("P-0099", StringComparison.Ordinal));
        Assert.Matches(@"P-0099\s+dev-[a-z2-7]{16}\s+polar-h10\s+S1/site-7\s+\S+ \S+\s+–\s+never\s+–\s+–\s+–$", silent);
        Assert.False(TrackerAddress.ContainsAddress(output));
    }

    [Fact]
    public void Enroll_WhileTheServiceHoldsTheDataDirectoryLock_Works()
    {
        using var directory = new TemporaryDirectory("registry-cli");
        Directory.CreateDirectory(directory.Combine("state"));
        // What ServiceLedger.Open holds while 'run' runs: an exclusive flock on state/lock.
        using var serviceLock = new FileStream(directory.Combine("state", "lock"), FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);

        var (exit, output, error) = Cli(Enroll(directory.Path, Address(1), "P-0042"));

        Assert.True(exit == 0, error);
        Assert.Contains("device dev-", output, StringComparison.Ordinal);
    }

    [Fact]
    public void AuditVerify_EditedEntry_ExitsOneNamingTheSeq()
    {
        using var directory = new TemporaryDirectory("registry-cli");
        Assert.Equal(0, Cli(Enroll(directory.Path, Address(1), "P-0042")).ExitCode);
        Assert.Equal(0, Cli(Enroll(directory.Path, Address(2), "P-0043")).ExitCode);
        Sql(EnrollmentRegistry.PathIn(directory.Path), "DROP TRIGGER audit_no_update; UPDATE audit SET actor = 'someone else' WHERE seq = 2");

        var (exit, output, error) = Cli("audit", "verify", "--data-dir", directory.Path);

        Assert.Equal(1, exit);
        Assert.Contains("warning: the audit table's append-only triggers are missing", output, StringComparison.Ordinal);
        Assert.StartsWith("error: audit trail BROKEN at seq 2: hash mismatch: the entry's content was edited after it was written; keep this registry", error, StringComparison.Ordinal);
        Assert.Single(error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.DoesNotContain("error:", output, StringComparison.Ordinal);
        Assert.Contains("1 entries before it verify (last good seq 1, hash ", output, StringComparison.Ordinal);
    }

    [Fact]
    public void Commands_RegistryFileIsNotADatabase_ExitTwoWithOneLine()
    {
        using var directory = new TemporaryDirectory("registry-cli");
        var path = EnrollmentRegistry.PathIn(directory.Path);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllBytes(path, new byte[4096]);

        foreach (var args in new[] { ["audit", "verify", "--data-dir", directory.Path], ["devices", "--data-dir", directory.Path], Enroll(directory.Path, Address(1), "P-1") })
        {
            var (exit, output, error) = Cli(args);

            Assert.Equal(2, exit);
            Assert.Equal("", output);
            Assert.Equal($"error: {path} is not a SQLite database (it lacks SQLite's header), so it is not the registry; move it aside (a new registry is created on the next enroll) or restore the registry from a backup\n", error);
        }
    }

    [Fact]
    public void Commands_NewerSchema_ExitTwoWithOneLine()
    {
        using var directory = new TemporaryDirectory("registry-cli");
        Assert.Equal(0, Cli(Enroll(directory.Path, Address(1), "P-0042")).ExitCode);
        Sql(EnrollmentRegistry.PathIn(directory.Path), "PRAGMA user_version = 7");

        var (exit, _, error) = Cli("devices", "--data-dir", directory.Path);

        Assert.Equal(2, exit);
        Assert.Contains($"was written by a newer wearable-ingest (registry schema version 7; this one knows up to {EnrollmentRegistry.SchemaVersion}); upgrade wearable-ingest", error, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(new[] { "--participant", "P-1", "--profile", "polar-h10", "--study", "S1", "--site", "x", "--reason", "r" }, "error: say which tracker with --address")]
    [InlineData(new[] { "--address", "C4:7C:8D:00:00:01", "--profile", "polar-h10", "--study", "S1", "--site", "x", "--reason", "r" }, "error: say whose tracker it is with --participant")]
    [InlineData(new[] { "--address", "C4:7C:8D:00:00:01", "--participant", "P-1", "--profile", "polar-h10", "--site", "x", "--reason", "r" }, "error: say which study with --study (or set Hub:Study in the configuration)")]
    [InlineData(new[] { "--address", "C4:7C:8D:00:00:01", "--participant", "P-1", "--profile", "polar-h10", "--study", "S1", "--site", "x" }, "error: --reason is required")]
    [InlineData(new[] { "--address", "C4:7C:8D:00:00:01", "--participant", "P-1", "--profile", "no-such-tracker", "--study", "S1", "--site", "x", "--reason", "r" }, "error: --profile 'no-such-tracker' is neither a folder, a file, nor a profile id")]
    [InlineData(new[] { "--address", "C4:7C:8D:00:00:01", "--participant", "P-1", "--profile", "polar-h10", "--study", "S1", "--site", "x", "--reason", "r", "--address-type", "other" }, "error: --address-type 'other' is not public or random")]
    [InlineData(new[] { "--address", "C4:7C:8D:00:00:0", "--participant", "P-1", "--profile", "polar-h10", "--study", "S1", "--site", "x", "--reason", "r" }, "error: --address is not a Bluetooth address")]
    public void Enroll_MissingOrBadOption_ExitsTwoWithOneLine(string[] options, string message)
    {
        using var directory = new TemporaryDirectory("registry-cli");

        var (exit, output, error) = Cli(["enroll", "--data-dir", directory.Path, .. options]);

        Assert.Equal(2, exit);
        Assert.Equal("", output);
        Assert.StartsWith(message, error, StringComparison.Ordinal);
        Assert.Single(error.TrimEnd('\n').Split('\n'));
    }

    [Fact]
    public void Enroll_StudyAndSiteFromConfiguration_AreUsed()
    {
        using var directory = new TemporaryDirectory("registry-cli");
        File.WriteAllText(directory.Combine("wearable-ingest.json"), """{ "Hub": { "Study": "CARDIO-7", "Site": "lyon-2" } }""");

        var (exit, output, error) = Cli("enroll", "--data-dir", directory.Path, "--address", Address(1), "--participant", "P-1",
            "--profile", "polar-h10", "--reason", "baseline");

        Assert.True(exit == 0, error);
        Assert.Contains("(study CARDIO-7, site lyon-2;", output, StringComparison.Ordinal);
    }

    [Fact]
    public void Unenroll_NeitherDeviceNorParticipant_ExitsTwo()
    {
        using var directory = new TemporaryDirectory("registry-cli");
        Assert.Equal(0, Cli(Enroll(directory.Path, Address(1), "P-0042")).ExitCode);

        var neither = Cli("unenroll", "--data-dir", directory.Path, "--reason", "x");
        var half = Cli("unenroll", "--data-dir", directory.Path, "--participant", "P-0042", "--reason", "x");
        var noReason = Cli("unenroll", "--data-dir", directory.Path, "--participant", "P-0042", "--profile", "polar-h10");

        Assert.Equal((2, "error: say which tracker with either --device dev-… or --participant and --profile\n"), (neither.ExitCode, neither.Error));
        Assert.Equal((2, "error: --participant goes with --profile: say which of the participant's trackers\n"), (half.ExitCode, half.Error));
        Assert.Equal(2, noReason.ExitCode);
        Assert.StartsWith("error: --reason is required", noReason.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void AuditVerify_Anchor_AcceptsAnExtendedTrailAndCatchesAWholeRewrite()
    {
        using var directory = new TemporaryDirectory("registry-cli");
        Assert.Equal(0, Cli(Enroll(directory.Path, Address(1), "P-0042")).ExitCode);
        Assert.Equal(0, Cli(Enroll(directory.Path, Address(2), "P-0043")).ExitCode);
        var head = Cli("audit", "verify", "--data-dir", directory.Path).Output;
        var match = System.Text.RegularExpressions.Regex.Match(head, "head seq (\\d+), hash ([0-9a-f]{64})");
        var anchor = $"{match.Groups[1].Value}:{match.Groups[2].Value}";
        Assert.Equal(0, Cli(Enroll(directory.Path, Address(3), "P-0044")).ExitCode);

        var extended = Cli("audit", "verify", "--data-dir", directory.Path, "--anchor", anchor);
        // A determined editor rewrites entry 2 and rehashes it and everything after it: the chain verifies on its own.
        var path = EnrollmentRegistry.PathIn(directory.Path);
        using (var registry = EnrollmentRegistry.Open(path, create: false))
        {
            var entries = registry.Audit.List(10);
            var previous = entries[0].Hash;
            var script = "DROP TRIGGER audit_no_update;";
            foreach (var entry in entries.Skip(1))
            {
                var rewritten = entry with { Reason = entry.Seq == 2 ? "rewritten" : entry.Reason, PrevHash = previous };
                rewritten = rewritten with { Hash = AuditTrail.ComputeHash(rewritten) };
                script += $"UPDATE audit SET reason = '{rewritten.Reason}', prev_hash = '{rewritten.PrevHash}', hash = '{rewritten.Hash}' WHERE seq = {entry.Seq};";
                previous = rewritten.Hash;
            }

            Sql(path, script);
        }

        var alone = Cli("audit", "verify", "--data-dir", directory.Path);
        var anchored = Cli("audit", "verify", "--data-dir", directory.Path, "--anchor", anchor);
        var bad = Cli("audit", "verify", "--data-dir", directory.Path, "--anchor", "2:xyz");

        Assert.Equal(0, extended.ExitCode);
        Assert.Contains("the trail extends the anchor at seq 2", extended.Output, StringComparison.Ordinal);
        Assert.Equal(0, alone.ExitCode);
        Assert.Equal(1, anchored.ExitCode);
        Assert.StartsWith($"error: audit trail does NOT extend the anchor {anchor}: entry 2 has hash ", anchored.Error, StringComparison.Ordinal);
        Assert.Contains("the trail was rewritten since the anchor was taken", anchored.Error, StringComparison.Ordinal);
        Assert.Equal(2, bad.ExitCode);
        Assert.StartsWith("error: --anchor must be SEQ:HASH", bad.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void AuditList_Text_ShowsRecentEntriesOldestFirst()
    {
        using var directory = new TemporaryDirectory("registry-cli");
        Assert.Equal(0, Cli(Enroll(directory.Path, Address(1), "P-0042")).ExitCode);
        Assert.Equal(0, Cli(Enroll(directory.Path, Address(2), "P-0043")).ExitCode);
        Assert.Equal(0, Cli("unenroll", "--data-dir", directory.Path, "--participant", "P-0042", "--profile", "polar-h10", "--reason", "withdrew", "--actor", "dr.who").ExitCode);

        var (exit, output, _) = Cli("audit", "list", "--data-dir", directory.Path, "-n", "2");

        Assert.Equal(0, exit);
        var lines = output.TrimEnd('\n').Split('\n');
        Assert.Equal(3, lines.Length);
        Assert.Matches(@"^\s+2  \S+Z  nurse\.jones  enroll  participant P-0043, device dev-[a-z2-7]{16}  reason: baseline visit  \{", lines[0]);
        Assert.Matches(@"^\s+3  \S+Z  dr\.who  unenroll  participant P-0042, device dev-[a-z2-7]{16}  reason: withdrew  \{", lines[1]);
        Assert.Equal("2 entries", lines[2]);
    }

    [Fact]
    public void Devices_NoRegistryYet_SaysSoAndExitsZero()
    {
        using var directory = new TemporaryDirectory("registry-cli");

        var (exit, output, _) = Cli("devices", "--data-dir", directory.Path);

        Assert.Equal(0, exit);
        Assert.StartsWith("no trackers enrolled (registry ", output, StringComparison.Ordinal);
        Assert.False(Directory.Exists(directory.Combine("state")));
    }
}
