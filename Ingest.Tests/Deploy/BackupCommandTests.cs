using System.Runtime.Versioning;
using System.Text.RegularExpressions;
using Ingest.Gateway.Registry;
using Ingest.Tests.Radio.Mock;
using Ingest.Tests.Support;
using static Ingest.Tests.Registry.RegistryTestSupport;
using GatewayProcess = Ingest.Tests.Gateway.Gateway;

namespace Ingest.Tests.Deploy;

/// <summary>
/// <c>wearable-ingest backup</c>: a copy taken while a real hub runs on the registry (BlueZ mock, an enrolled tracker
/// streaming) opens as a registry with the enrollment, its audit trail verifies and ends at the head the command printed;
/// restored as docs/operations.md says, it serves again. And the refusals.
/// </summary>
[SupportedOSPlatform("linux")]
public sealed partial class BackupCommandTests : IDisposable
{
    private const string Address = "A0:9E:1A:0A:1B:2C";

    private readonly TemporaryDirectory _directory = new("backup");

    public void Dispose() => _directory.Dispose();

    [Fact]
    public async Task Backup_WhileTheHubRuns_CopyHoldsTheEnrollment_AuditVerifies_HeadMatches_AndRestores()
    {
        await using var mock = await BlueZMock.StartAsync();
        var adapter = await mock.AddAdapterAsync();
        await mock.AddPolarH10Async(adapter, Address);
        var data = _directory.Combine("data");
        var (enrolled, enrollOutput) = await GatewayProcess.RunAsync(["enroll", "--address", Address, "--participant", "P-0001", "--profile", "polar-h10",
            "--study", "demo", "--site", "site-1", "--reason", "onboarding", "--actor", "nurse-backup", "--data-dir", data]);
        Assert.True(enrolled == 0, enrollOutput);
        var device = DevicePattern().Match(enrollOutput).Value;

        var environment = new Dictionary<string, string> { ["DBUS_SYSTEM_BUS_ADDRESS"] = mock.Address };
        var backup = _directory.Combine("registry-backup.db");
        using (var hub = GatewayProcess.Start(["run", "--data-dir", data], environment))
        {
            // The hub holds the registry open and writes to it (its configuration entry, the tracker's status).
            await hub.WaitForOutputAsync($"radio: tracker {device} connected", TimeSpan.FromSeconds(60));

            var (exit, output) = await GatewayProcess.RunAsync(["backup", "--out", backup, "--data-dir", data, "--actor", "technician"]);

            Assert.True(exit == 0, output + hub.Output);
            Assert.True(hub.IsRunning, hub.Output);
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(backup));
            var head = HeadPattern().Match(output);
            Assert.True(head.Success, output);
            var (seq, hash) = (long.Parse(head.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture), head.Groups[2].Value);

            using (var copy = EnrollmentRegistry.Open(backup, create: false))
            {
                var enrollment = Assert.Single(copy.ActiveEnrollments());
                Assert.Equal("P-0001", enrollment.Participant);
                var verification = copy.Audit.Verify();
                Assert.True(verification.Intact, verification.Problem);
                Assert.Equal(seq, verification.HeadSeq);
                Assert.Equal(hash, verification.HeadHash);
                Assert.Contains(copy.Audit.List(20), e => e.Actor == "nurse-backup" && e.Action == AuditActions.Enroll);
            }

            // A second backup to the same file is refused; the first is untouched.
            var before = File.ReadAllBytes(backup);
            var (again, againOutput) = await GatewayProcess.RunAsync(["backup", "--out", backup, "--data-dir", data]);
            Assert.Equal(2, again);
            Assert.Contains("already exists; a backup never overwrites", againOutput, StringComparison.Ordinal);
            Assert.Equal(before, File.ReadAllBytes(backup));

            await hub.SignalAsync(15);
            Assert.True(await hub.WaitForExitAsync(TimeSpan.FromSeconds(60)) == 0, hub.Output);

            // The live trail extends the backup's head, with the backup itself recorded after it.
            var (verified, verifyOutput) = await GatewayProcess.RunAsync(["audit", "verify", "--data-dir", data, "--anchor", $"{seq}:{hash}"]);
            Assert.True(verified == 0, verifyOutput);
            var (_, trail) = await GatewayProcess.RunAsync(["audit", "list", "--data-dir", data, "-n", "50"]);
            Assert.Contains("technician  backup  registry", trail, StringComparison.Ordinal);
            Assert.DoesNotContain(Address, trail, StringComparison.OrdinalIgnoreCase);
        }

        // Restore (docs/operations.md): with the hub stopped, the copy replaces state/registry.db and its -wal/-shm go.
        var registry = EnrollmentRegistry.PathIn(data);
        File.Delete(registry + "-wal");
        File.Delete(registry + "-shm");
        File.Copy(backup, registry, overwrite: true);
        var (devicesExit, devices) = await GatewayProcess.RunAsync(["devices", "--data-dir", data]);
        Assert.True(devicesExit == 0, devices);
        Assert.Contains("P-0001", devices, StringComparison.Ordinal);
        var (restoredVerify, restoredOutput) = await GatewayProcess.RunAsync(["audit", "verify", "--data-dir", data]);
        Assert.True(restoredVerify == 0, restoredOutput);
    }

    [Fact]
    public void Backup_Refusals_ExitTwoWithOneLine_AndLeaveNothingBehind()
    {
        var data = _directory.Combine("data");
        var (enrolled, _, enrollError) = Cli("enroll", "--data-dir", data, "--address", Address(1), "--participant", "P-0042", "--profile", "polar-h10",
            "--study", "S1", "--site", "site-7", "--reason", "baseline visit", "--actor", "nurse.jones");
        Assert.True(enrolled == 0, enrollError);
        var existing = _directory.Combine("existing.db");
        File.WriteAllText(existing, "keep me");

        var taken = Cli("backup", "--data-dir", data, "--out", existing);
        var itself = Cli("backup", "--data-dir", data, "--out", EnrollmentRegistry.PathIn(data));
        var wal = Cli("backup", "--data-dir", data, "--out", EnrollmentRegistry.PathIn(data) + "-wal");
        var noFolder = Cli("backup", "--data-dir", data, "--out", _directory.Combine("missing", "b.db"));
        var noRegistry = Cli("backup", "--data-dir", _directory.Combine("empty"), "--out", _directory.Combine("b.db"));
        var noOut = Cli("backup", "--data-dir", data);

        Assert.Equal((2, "already exists; a backup never overwrites anything"), (taken.ExitCode, Fragment(taken.Error, "already exists; a backup never overwrites anything")));
        Assert.Equal("keep me", File.ReadAllText(existing));
        Assert.Contains("is the registry itself", itself.Error, StringComparison.Ordinal);
        Assert.Contains("is the registry itself", wal.Error, StringComparison.Ordinal);
        Assert.Contains("does not exist; create it first", noFolder.Error, StringComparison.Ordinal);
        Assert.Contains("there is no registry at", noRegistry.Error, StringComparison.Ordinal);
        Assert.NotEqual(0, noOut.ExitCode);
        Assert.All([taken, itself, wal, noFolder, noRegistry], r => Assert.Equal(2, r.ExitCode));
        Assert.False(File.Exists(_directory.Combine("b.db")));
    }

    [Fact]
    public void Backup_DamagedAuditTrail_RefusesTheCopyAndDeletesIt()
    {
        var data = _directory.Combine("data");
        var (enrolled, _, enrollError) = Cli("enroll", "--data-dir", data, "--address", Address(2), "--participant", "P-0042", "--profile", "polar-h10",
            "--study", "S1", "--site", "site-7", "--reason", "baseline visit", "--actor", "nurse.jones");
        Assert.True(enrolled == 0, enrollError);
        Sql(EnrollmentRegistry.PathIn(data), "DROP TRIGGER audit_no_update; UPDATE audit SET reason = 'rewritten' WHERE seq = 1;");
        var target = _directory.Combine("b.db");

        var (exit, output, error) = Cli("backup", "--data-dir", data, "--out", target);

        Assert.True(exit == 2, output + error);
        Assert.Contains("audit trail is broken at seq 1", error, StringComparison.Ordinal);
        Assert.False(File.Exists(target));
    }

    private static string? Fragment(string text, string fragment) => text.Contains(fragment, StringComparison.Ordinal) ? fragment : text;

    [GeneratedRegex(@"dev-[a-z2-7]{16}")]
    private static partial Regex DevicePattern();

    [GeneratedRegex(@"audit head: (\d+):([0-9a-f]{64})")]
    private static partial Regex HeadPattern();
}
