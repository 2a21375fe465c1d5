using Ingest.Gateway.Registry;
using Ingest.Pipeline.Intake.Radio;
using Ingest.Tests.Support;
using static Ingest.Tests.Registry.RegistryTestSupport;

namespace Ingest.Tests.Registry;

public class EnrollmentRegistryTests
{
    [Fact]
    public void Enroll_NewTracker_IsActiveWithPseudonymAndAudited()
    {
        using var directory = new TemporaryDirectory("registry");
        using var registry = EnrollmentRegistry.Open(directory.Combine("state", "registry.db"), create: true);

        var result = registry.Enroll(Request("c4:7c:8d:00:00:01"));

        var active = Assert.Single(registry.ActiveEnrollments());
        Assert.Equal("C4:7C:8D:00:00:01", active.Address);
        Assert.Equal(BleAddressType.Random, active.AddressType);
        Assert.Equal(result.Enrollment.Device, active.Device);
        Assert.Matches("^dev-[a-z2-7]{16}$", active.Device);
        Assert.Equal(AuditActions.Enroll, result.AuditEntry.Action);
        Assert.Equal($"participant P-0042, device {active.Device}", result.AuditEntry.Subject);
        Assert.Equal("nurse.jones", result.AuditEntry.Actor);
        Assert.DoesNotContain("C4:7C", result.AuditEntry.Details, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void Enroll_TrackerAlreadyActive_IsRefusedNamingItsParticipantAndDevice()
    {
        using var directory = new TemporaryDirectory("registry");
        using var registry = EnrollmentRegistry.Open(directory.Combine("registry.db"), create: true);
        var first = registry.Enroll(Request(Address(1), participant: "P-0042"));

        var error = Assert.Throws<RegistryException>(() => registry.Enroll(Request(Address(1), participant: "P-0043")));

        Assert.Equal($"this tracker is already enrolled to participant P-0042 (device {first.Enrollment.Device}, study S1, profile polar-h10); " +
            $"unenroll it first (wearable-ingest unenroll --device {first.Enrollment.Device} --reason …) or use --swap to replace a participant's tracker with a new one", error.Message);
        Assert.Single(registry.ActiveEnrollments());
    }

    [Fact]
    public void Enroll_SecondTrackerOfSameProfile_IsRefusedButOtherProfileIsAllowed()
    {
        using var directory = new TemporaryDirectory("registry");
        using var registry = EnrollmentRegistry.Open(directory.Combine("registry.db"), create: true);
        var first = registry.Enroll(Request(Address(1)));

        var error = Assert.Throws<RegistryException>(() => registry.Enroll(Request(Address(2))));
        registry.Enroll(Request(Address(3), profile: "pinetime-infinitime"));

        Assert.Equal($"participant P-0042 already has an active polar-h10 tracker (device {first.Enrollment.Device}); replace it with --swap, or unenroll it first", error.Message);
        Assert.Equal(2, registry.ActiveEnrollments().Count);
    }

    [Fact]
    public void Enroll_Swap_EndsOldAndStartsNewInOneAuditedStep()
    {
        using var directory = new TemporaryDirectory("registry");
        using var registry = EnrollmentRegistry.Open(directory.Combine("registry.db"), create: true);
        var old = registry.Enroll(Request(Address(1))).Enrollment;

        var swapped = registry.Enroll(Request(Address(2), swap: true, reason: "strap broke"));

        var active = Assert.Single(registry.ActiveEnrollments());
        Assert.Equal(swapped.Enrollment.Id, active.Id);
        Assert.Equal(old.Id, swapped.Replaced!.Id);
        var ended = registry.AllEnrollments().Single(e => e.Id == old.Id);
        Assert.NotNull(ended.EndedAt);
        Assert.Equal("strap broke", ended.EndReason);
        Assert.Equal(AuditActions.Swap, swapped.AuditEntry.Action);
        Assert.Equal($"participant P-0042, device {old.Device} -> {active.Device}", swapped.AuditEntry.Subject);
        Assert.Equal(2, registry.Audit.Verify().EntriesChecked);
    }

    [Fact]
    public void Enroll_SwapWithoutActiveTracker_IsRefused()
    {
        using var directory = new TemporaryDirectory("registry");
        using var registry = EnrollmentRegistry.Open(directory.Combine("registry.db"), create: true);

        var error = Assert.Throws<RegistryException>(() => registry.Enroll(Request(Address(1), swap: true)));

        Assert.Equal("participant P-0042 has no active polar-h10 tracker to swap; enroll without --swap", error.Message);
        Assert.Empty(registry.AllEnrollments());
        Assert.Equal(0, registry.Audit.Verify().EntriesChecked);
    }

    [Fact]
    public void Enroll_SwapToTrackerOfAnotherParticipant_IsRefusedAndChangesNothing()
    {
        using var directory = new TemporaryDirectory("registry");
        using var registry = EnrollmentRegistry.Open(directory.Combine("registry.db"), create: true);
        registry.Enroll(Request(Address(1), participant: "P-0042"));
        registry.Enroll(Request(Address(2), participant: "P-0043"));

        var error = Assert.Throws<RegistryException>(() => registry.Enroll(Request(Address(2), participant: "P-0042", swap: true)));

        Assert.StartsWith("this tracker is already enrolled to participant P-0043", error.Message, StringComparison.Ordinal);
        Assert.Equal(2, registry.ActiveEnrollments().Count);
        Assert.Equal(2, registry.Audit.Verify().EntriesChecked);
    }

    [Fact]
    public void Unenroll_ByParticipantAndByDevice_EndsAndAllowsReEnrollWithSamePseudonym()
    {
        using var directory = new TemporaryDirectory("registry");
        using var registry = EnrollmentRegistry.Open(directory.Combine("registry.db"), create: true);
        var first = registry.Enroll(Request(Address(1))).Enrollment;
        var other = registry.Enroll(Request(Address(2), participant: "P-0050")).Enrollment;

        registry.Unenroll(null, "P-0042", "polar-h10", "withdrew", "nurse.jones");
        var ended = registry.UnenrollDevice(other.Device, "lost", "nurse.jones");
        var again = registry.Enroll(Request(Address(1), participant: "P-0051")).Enrollment;

        Assert.Equal(other.Id, ended.Enrollment.Id);
        Assert.Equal(first.Device, again.Device);
        Assert.Equal(again.Id, Assert.Single(registry.ActiveEnrollments()).Id);
        Assert.Equal(["enroll", "enroll", "unenroll", "unenroll", "enroll"], registry.Audit.List(10).Select(e => e.Action));
    }

    [Fact]
    public void Unenroll_NothingActive_ExplainsWhereToLook()
    {
        using var directory = new TemporaryDirectory("registry");
        using var registry = EnrollmentRegistry.Open(directory.Combine("registry.db"), create: true);

        var byParticipant = Assert.Throws<RegistryException>(() => registry.Unenroll("S1", "P-0042", "polar-h10", "x", "me"));
        var byDevice = Assert.Throws<RegistryException>(() => registry.UnenrollDevice("dev-abcdefghijklmnop", "x", "me"));

        Assert.Equal("participant P-0042 has no active polar-h10 tracker in study S1; 'wearable-ingest devices' lists the enrolled ones", byParticipant.Message);
        Assert.Equal("no active enrollment has device dev-abcdefghijklmnop; 'wearable-ingest devices' lists the enrolled ones", byDevice.Message);
    }

    [Fact]
    public void Enroll_SameTrackerInTwoStudies_GetsDifferentPseudonyms()
    {
        using var directory = new TemporaryDirectory("registry");
        using var registry = EnrollmentRegistry.Open(directory.Combine("registry.db"), create: true);

        var inS1 = registry.Enroll(Request(Address(1), study: "S1")).Enrollment;
        registry.UnenrollDevice(inS1.Device, "moved to the other study", "me");
        var inS2 = registry.Enroll(Request(Address(1), study: "S2")).Enrollment;

        Assert.NotEqual(inS1.Device, inS2.Device);
        Assert.Equal(inS1.Device, registry.PseudonymFor("S1", Address(1)));
        Assert.Equal(inS2.Device, registry.PseudonymFor("S2", Address(1)));
    }

    [Fact]
    public void Pseudonym_ReopenedRegistry_IsStable()
    {
        using var directory = new TemporaryDirectory("registry");
        var path = directory.Combine("registry.db");
        string device;
        using (var registry = EnrollmentRegistry.Open(path, create: true))
        {
            device = registry.Enroll(Request(Address(1))).Enrollment.Device;
        }

        using var reopened = EnrollmentRegistry.Open(path, create: false);
        Assert.Equal(device, reopened.PseudonymFor("S1", Address(1)));
        Assert.Equal(device, reopened.PseudonymFor("S1", Address(1).ToLowerInvariant()));
    }

    [Theory]
    [InlineData("C4:7C:8D:00:00", "--address is not a Bluetooth address: give the tracker's identity address as six pairs of hex digits separated by ':', e.g. C4:7C:8D:6A:12:34 ('wearable-ingest scan' shows it)")]
    [InlineData("70:81:94:0D:FB:AA", "--address is a resolvable private address, which the tracker changes every few minutes; enroll the tracker's identity address (public, or static random with the top two bits 11) and give its key with --irk")]
    public void Enroll_RandomAddressThatIsNotAnIdentity_IsRefused(string address, string message)
    {
        using var directory = new TemporaryDirectory("registry");
        using var registry = EnrollmentRegistry.Open(directory.Combine("registry.db"), create: true);

        var error = Assert.Throws<RegistryException>(() => registry.Enroll(Request(address) with { AddressType = BleAddressType.Random }));

        Assert.Equal(message, error.Message);
    }

    [Theory]
    [InlineData("participant", "P/0042", "--participant 'P/0042' is not a valid participant pseudonym: use 1–64 characters")]
    [InlineData("participant", "P+1", "--participant 'P+1' is not a valid participant pseudonym")]
    [InlineData("participant", "C4:7C:8D:00:00:01", "--participant '[address]' is not a valid participant pseudonym")]
    [InlineData("study", "S#1", "--study 'S#1' is not a valid study id")]
    [InlineData("site", "", "--site '' is not a valid site id")]
    [InlineData("profile", "Polar H10", "--profile 'Polar H10' is not a profile id")]
    [InlineData("reason", "  ", "--reason is required")]
    [InlineData("reason", "tracker C4:7C:8D:00:00:09 broke", "--reason contains a radio address")]
    [InlineData("irk", "1234", "--irk is not an identity resolving key: give 32 hex digits")]
    [InlineData("actor", "", "--actor must be a name")]
    public void Enroll_BadValue_IsRefusedWithOneLineNamingIt(string field, string value, string message)
    {
        using var directory = new TemporaryDirectory("registry");
        using var registry = EnrollmentRegistry.Open(directory.Combine("registry.db"), create: true);
        var request = Request(Address(1));
        request = field switch
        {
            "participant" => request with { Participant = value },
            "study" => request with { Study = value },
            "site" => request with { Site = value },
            "profile" => request with { ProfileId = value },
            "reason" => request with { Reason = value },
            "irk" => request with { Irk = value },
            _ => request with { Actor = value },
        };

        var error = Assert.Throws<RegistryException>(() => registry.Enroll(request));

        Assert.StartsWith(message, error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', error.Message);
        Assert.DoesNotContain("C4:7C:8D:00:00", error.Message, StringComparison.Ordinal);
        Assert.Empty(registry.AllEnrollments());
    }

    [Fact]
    public void Enroll_IrkOfAnotherActiveTracker_IsRefusedButASwapMayKeepIt()
    {
        using var directory = new TemporaryDirectory("registry");
        using var registry = EnrollmentRegistry.Open(directory.Combine("registry.db"), create: true);
        const string Irk = "ec0234a357c8ad05341010a60a397d9b";
        var first = registry.Enroll(Request(Address(1), irk: Irk)).Enrollment;

        var error = Assert.Throws<RegistryException>(() => registry.Enroll(Request(Address(2), participant: "P-0043", irk: Irk.ToUpperInvariant())));
        // Swapping the participant's tracker for one that reports the same key (a repaired unit) is allowed.
        registry.Enroll(Request(Address(3), irk: Irk, swap: true));

        Assert.Equal($"this identity resolving key is already enrolled for participant P-0042 (device {first.Device}); every tracker has its own key: check --irk", error.Message);
    }

    [Fact]
    public void Enroll_ReasonOver500Characters_IsRefused()
    {
        using var directory = new TemporaryDirectory("registry");
        using var registry = EnrollmentRegistry.Open(directory.Combine("registry.db"), create: true);

        var error = Assert.Throws<RegistryException>(() => registry.Enroll(Request(Address(1), reason: new string('x', 501))));
        registry.Enroll(Request(Address(1), reason: new string('x', 500)));

        Assert.Equal("--reason must be at most 500 characters on one line (it has 501); shorten it", error.Message);
    }

    [Fact]
    public void Enroll_TwoConnectionsAtOnce_LoseNothingAndKeepOneChain()
    {
        using var directory = new TemporaryDirectory("registry");
        var path = directory.Combine("state", "registry.db");
        using var a = EnrollmentRegistry.Open(path, create: true);
        using var b = EnrollmentRegistry.Open(path, create: true);
        const int PerConnection = 60;

        var start = new Barrier(2);
        void EnrollMany(EnrollmentRegistry registry, int offset)
        {
            start.SignalAndWait();
            for (var i = 0; i < PerConnection; i++)
            {
                registry.Enroll(Request(Address(offset + i), participant: $"P-{offset + i}"));
                registry.UpdateDeviceStatus(registry.PseudonymFor("S1", Address(offset + i)), true, 1, 50, i, 0.5);
            }
        }

        Parallel.Invoke(() => EnrollMany(a, 0), () => EnrollMany(b, 1000));

        Assert.Equal(2 * PerConnection, a.ActiveEnrollments().Count);
        Assert.Equal(2 * PerConnection, b.ActiveEnrollments().Count);
        var verification = a.Audit.Verify();
        Assert.True(verification.Intact, verification.Problem);
        Assert.Equal(2 * PerConnection, verification.EntriesChecked);
    }

    [Fact]
    public void Open_FileThatIsNotSqlite_IsRefusedClearly()
    {
        using var directory = new TemporaryDirectory("registry");
        var path = directory.Combine("registry.db");
        File.WriteAllText(path, "this is a text file that someone saved here by mistake\n");

        var error = Assert.Throws<RegistryException>(() => EnrollmentRegistry.Open(path, create: true));

        Assert.Equal($"{path} is not a SQLite database (it lacks SQLite's header), so it is not the registry; move it aside (a new registry is created on the next enroll) or restore the registry from a backup", error.Message);
    }

    [Fact]
    public void Open_SqliteHeaderWithGarbageAfter_IsRefusedAsDamaged()
    {
        using var directory = new TemporaryDirectory("registry");
        var path = directory.Combine("registry.db");
        var bytes = new byte[8192];
        new Random(1).NextBytes(bytes);
        "SQLite format 3\0"u8.CopyTo(bytes);
        File.WriteAllBytes(path, bytes);

        var error = Assert.Throws<RegistryException>(() => EnrollmentRegistry.Open(path, create: true));

        Assert.Contains("is damaged or not a registry database", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Open_AnotherProgramsDatabase_IsRefused()
    {
        using var directory = new TemporaryDirectory("registry");
        var path = directory.Combine("registry.db");
        Sql(path, "CREATE TABLE recipes (name TEXT)");

        var error = Assert.Throws<RegistryException>(() => EnrollmentRegistry.Open(path, create: true));

        Assert.Equal($"{path} is a SQLite database but not a wearable-ingest registry (application id 0, schema version 0); move it aside (a new registry is created on the next enroll) or point --data-dir at the right folder", error.Message);
    }

    [Fact]
    public void Open_NewerSchemaVersion_IsRefused()
    {
        using var directory = new TemporaryDirectory("registry");
        var path = directory.Combine("registry.db");
        EnrollmentRegistry.Open(path, create: true).Dispose();
        Sql(path, $"PRAGMA user_version = {EnrollmentRegistry.SchemaVersion + 1}");

        var error = Assert.Throws<RegistryException>(() => EnrollmentRegistry.Open(path, create: false));

        Assert.Equal($"{path} was written by a newer wearable-ingest (registry schema version {EnrollmentRegistry.SchemaVersion + 1}; this one knows up to {EnrollmentRegistry.SchemaVersion}); upgrade wearable-ingest, or restore a backup made by this version", error.Message);
    }

    [Fact]
    public void Open_RightVersionMissingColumn_IsRefused()
    {
        using var directory = new TemporaryDirectory("registry");
        var path = directory.Combine("registry.db");
        EnrollmentRegistry.Open(path, create: true).Dispose();
        Sql(path, "DROP TABLE device_status; CREATE TABLE device_status (device TEXT PRIMARY KEY)");

        var error = Assert.Throws<RegistryException>(() => EnrollmentRegistry.Open(path, create: false));

        Assert.Equal($"{path} has registry schema version {EnrollmentRegistry.SchemaVersion} but its 'device_status' table lacks column 'connected': the file was altered; restore the registry from a backup", error.Message);
    }

    [Fact]
    public void Open_EmptyFile_BecomesANewRegistryInWalMode()
    {
        using var directory = new TemporaryDirectory("registry");
        var path = directory.Combine("registry.db");
        File.WriteAllBytes(path, []);

        using (var registry = EnrollmentRegistry.Open(path, create: false))
        {
            registry.Enroll(Request(Address(1)));
        }

        Assert.True(File.Exists(path + "-wal") || new FileInfo(path).Length > 0);
        using var reopened = EnrollmentRegistry.Open(path, create: false);
        Assert.Single(reopened.ActiveEnrollments());
    }

    [Fact]
    public void Open_MissingWithoutCreate_SaysToEnrollFirst()
    {
        using var directory = new TemporaryDirectory("registry");
        var path = directory.Combine("state", "registry.db");

        var error = Assert.Throws<RegistryException>(() => EnrollmentRegistry.Open(path, create: false));

        Assert.Equal($"there is no registry at {path} yet (no tracker enrolled, no staff account added with this data directory): check --data-dir, or start with 'wearable-ingest enroll' or 'wearable-ingest staff add'", error.Message);
        Assert.False(File.Exists(path));
    }

    [Fact]
    public void ActiveEnrollments_HandEditedBadRow_IsReportedNotCrashed()
    {
        using var directory = new TemporaryDirectory("registry");
        var path = directory.Combine("registry.db");
        using var registry = EnrollmentRegistry.Open(path, create: true);
        registry.Enroll(Request(Address(1)));
        Sql(path, "UPDATE enrollments SET participant = 'P/../x'");

        var error = Assert.Throws<RegistryException>(() => registry.ActiveEnrollments());

        Assert.Equal($"enrollment 1 in {path} is damaged (an id is not valid); restore the registry from a backup", error.Message);
    }

    [Fact]
    public void UpdateDeviceStatus_ThenFind_RoundTripsAndRejectsOutOfRange()
    {
        using var directory = new TemporaryDirectory("registry");
        using var registry = EnrollmentRegistry.Open(directory.Combine("registry.db"), create: true);
        const string Device = "dev-abcdefghijklmnop";

        registry.UpdateDeviceStatus(Device, true, 1_764_000_000_000_000_000, 81, 12_345, 0.987);
        registry.UpdateDeviceStatus(Device, false, 1_764_000_001_000_000_000, 80, 12_346, null);

        var status = registry.FindDeviceStatus(Device)!;
        Assert.False(status.Connected);
        Assert.Equal(1_764_000_001_000_000_000, status.LastDataNs);
        Assert.Equal(80, status.BatteryPercent);
        Assert.Equal(12_346, status.SamplesToday);
        Assert.Null(status.Completeness);
        Assert.Null(registry.FindDeviceStatus("dev-bbbbbbbbbbbbbbbb"));
        Assert.Throws<ArgumentOutOfRangeException>(() => registry.UpdateDeviceStatus(Device, true, 1, 101, 0, null));
        Assert.Throws<ArgumentOutOfRangeException>(() => registry.UpdateDeviceStatus(Device, true, 1, 50, 0, 1.5));
        Assert.Throws<ArgumentException>(() => registry.UpdateDeviceStatus("C4:7C:8D:00:00:01", true, 1, 50, 0, null));
    }
}
