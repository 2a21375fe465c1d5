using Ingest.Gateway.Registry;
using Ingest.Tests.Support;
using static Ingest.Tests.Registry.RegistryTestSupport;
using static Ingest.Tests.Web.Staff.StaffTestSupport;

namespace Ingest.Tests.Web.Staff;

/// <summary>Staff accounts in the registry: password hashes, one-time codes, replay, lockout, disable, and the schema migration.</summary>
public sealed class StaffAccountTests
{
    [Fact]
    public void SignIn_RightPasswordAndCurrentCode_SignsInAndAudits()
    {
        using var directory = new TemporaryDirectory("staff");
        var clock = TestClock.AtStepMiddle();
        var (registry, secret) = RegistryWithStaff(directory.Path, clock);
        using var _ = registry;

        var result = registry.SignIn("Nurse.Jones", Password, Code(secret, clock.GetUtcNow()));

        Assert.Equal(StaffSignInOutcome.SignedIn, result.Outcome);
        Assert.Equal("nurse.jones", result.Account!.Name);
        Assert.Equal(clock.GetUtcNow(), result.Account.LastSignIn);
        var last = registry.Audit.List(1).Single();
        Assert.Equal(("nurse.jones", AuditActions.SignIn, "staff nurse.jones"), (last.Actor, last.Action, last.Subject));
        Assert.True(registry.Audit.Verify().Intact);
    }

    [Fact]
    public void SignIn_WrongPasswordOrUnknownName_SameOutcome_NothingTypedIsRecorded()
    {
        using var directory = new TemporaryDirectory("staff");
        var clock = TestClock.AtStepMiddle();
        var (registry, secret) = RegistryWithStaff(directory.Path, clock);
        using var _ = registry;
        var code = Code(secret, clock.GetUtcNow());

        var wrongPassword = registry.SignIn("nurse.jones", "correct horse battery!", code);
        var unknown = registry.SignIn("nurse.smith", "typed-secret-one", code);
        var passwordInNameField = registry.SignIn("typed-secret-two", "x", code);
        var tooLong = registry.SignIn("nurse.jones", new string('a', StaffLimits.MaxPasswordLength + 1), code);

        Assert.Equal(StaffSignInOutcome.WrongNameOrPassword, wrongPassword.Outcome);
        Assert.Equal(StaffSignInOutcome.WrongNameOrPassword, unknown.Outcome);
        Assert.Null(unknown.Account);
        Assert.Equal(StaffSignInOutcome.WrongNameOrPassword, passwordInNameField.Outcome);
        Assert.Equal(StaffSignInOutcome.WrongNameOrPassword, tooLong.Outcome);
        Assert.Equal(2, registry.FindStaff("nurse.jones")!.FailedSignIns);
        var entries = registry.Audit.List(10);
        Assert.Equal([AuditActions.StaffAdd, AuditActions.SignInFailed, AuditActions.SignInFailed, AuditActions.SignInFailed, AuditActions.SignInFailed],
            entries.Select(e => e.Action));
        Assert.Equal("wrong password", entries[1].Reason);
        Assert.Equal((EnrollmentRegistry.UnknownStaffActor, "unknown staff name (what was typed is not recorded)"), (entries[2].Actor, entries[2].Reason));
        var everything = string.Join("\n", entries.Select(e => string.Join(" ", e.Actor, e.Subject, e.Reason, e.Details)));
        foreach (var typed in new[] { "correct horse", "typed-secret", "nurse.smith", code })
        {
            Assert.DoesNotContain(typed, everything, StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData(-1, true)]
    [InlineData(1, true)]
    [InlineData(-2, false)]
    [InlineData(2, false)]
    public void SignIn_CodeOfANeighbouringStep_AcceptedOnlyWithinOneStep(int steps, bool accepted)
    {
        using var directory = new TemporaryDirectory("staff");
        var clock = TestClock.AtStepMiddle();
        var (registry, secret) = RegistryWithStaff(directory.Path, clock);
        using var _ = registry;

        var result = registry.SignIn("nurse.jones", Password, Code(secret, clock.GetUtcNow().AddSeconds(steps * StaffLimits.TotpStepSeconds)));

        Assert.Equal(accepted ? StaffSignInOutcome.SignedIn : StaffSignInOutcome.WrongCode, result.Outcome);
    }

    [Fact]
    public void SignIn_SameCodeTwice_SecondRefusedAsReplay_AnEarlierStepToo()
    {
        using var directory = new TemporaryDirectory("staff");
        var clock = TestClock.AtStepMiddle();
        var (registry, secret) = RegistryWithStaff(directory.Path, clock);
        using var _ = registry;
        var now = clock.GetUtcNow();

        var first = registry.SignIn("nurse.jones", Password, Code(secret, now));
        var replay = registry.SignIn("nurse.jones", Password, Code(secret, now));
        var earlier = registry.SignIn("nurse.jones", Password, Code(secret, now.AddSeconds(-StaffLimits.TotpStepSeconds)));
        clock.Advance(TimeSpan.FromSeconds(StaffLimits.TotpStepSeconds));
        var next = registry.SignIn("nurse.jones", Password, Code(secret, clock.GetUtcNow()).Insert(3, " "));

        Assert.Equal(StaffSignInOutcome.SignedIn, first.Outcome);
        Assert.Equal(StaffSignInOutcome.WrongCode, replay.Outcome);
        Assert.Equal(StaffSignInOutcome.WrongCode, earlier.Outcome);
        Assert.Equal(StaffSignInOutcome.SignedIn, next.Outcome);
        Assert.Equal(["code already used", "code already used"],
            registry.Audit.List(10).Where(e => e.Action == AuditActions.SignInFailed).Select(e => e.Reason));
    }

    [Fact]
    public void SignIn_FiveFailures_LocksFor15Minutes_UnlockOrTimeEndsIt()
    {
        using var directory = new TemporaryDirectory("staff");
        var clock = TestClock.AtStepMiddle();
        var (registry, secret) = RegistryWithStaff(directory.Path, clock);
        using var _ = registry;

        var outcomes = new List<StaffSignInOutcome>();
        for (var i = 0; i < StaffLimits.MaxFailedSignIns - 1; i++)
        {
            outcomes.Add(registry.SignIn("nurse.jones", Password, "000000").Outcome);
        }

        var locking = registry.SignIn("nurse.jones", "wrong password!!", "000000");
        var whileLocked = registry.SignIn("nurse.jones", Password, Code(secret, clock.GetUtcNow()));

        Assert.All(outcomes, o => Assert.Equal(StaffSignInOutcome.WrongCode, o));
        Assert.Equal(StaffSignInOutcome.Locked, locking.Outcome);
        Assert.Equal(clock.GetUtcNow() + StaffLimits.LockoutDuration, locking.LockedUntil);
        Assert.Equal(StaffSignInOutcome.Locked, whileLocked.Outcome);
        Assert.Contains(registry.Audit.List(20), e => e.Action == AuditActions.SignInLockout && e.Actor == "nurse.jones" && e.Reason == "locked for 15 min after 5 failed sign-ins");
        Assert.Equal("account locked", registry.Audit.List(1).Single().Reason);

        // A coordinator unlocks it: the right code works at once.
        registry.UnlockStaff("nurse.jones", "coordinator", "nurse called");
        clock.Advance(TimeSpan.FromSeconds(StaffLimits.TotpStepSeconds));
        Assert.Equal(StaffSignInOutcome.SignedIn, registry.SignIn("nurse.jones", Password, Code(secret, clock.GetUtcNow())).Outcome);

        // Locked again, then the 15 minutes pass.
        for (var i = 0; i < StaffLimits.MaxFailedSignIns; i++)
        {
            registry.SignIn("nurse.jones", Password, "000000");
        }

        Assert.True(registry.FindStaff("nurse.jones")!.IsLockedAt(clock.GetUtcNow()));
        clock.Advance(StaffLimits.LockoutDuration);
        Assert.Equal(StaffSignInOutcome.SignedIn, registry.SignIn("nurse.jones", Password, Code(secret, clock.GetUtcNow())).Outcome);
        Assert.True(registry.Audit.Verify().Intact);
    }

    [Fact]
    public void SignIn_Disabled_RefusedOnlyAfterTheRightPassword_EnableAllowsAgain()
    {
        using var directory = new TemporaryDirectory("staff");
        var clock = TestClock.AtStepMiddle();
        var (registry, secret) = RegistryWithStaff(directory.Path, clock);
        using var _ = registry;
        var stamp = registry.FindStaff("nurse.jones")!.SessionStamp;
        registry.SetStaffDisabled("nurse.jones", true, "coordinator", "left the study team");

        var wrongPassword = registry.SignIn("nurse.jones", "not the password", Code(secret, clock.GetUtcNow()));
        var disabled = registry.SignIn("nurse.jones", Password, Code(secret, clock.GetUtcNow()));
        var again = Assert.Throws<RegistryException>(() => registry.SetStaffDisabled("nurse.jones", true, "coordinator", "twice"));
        registry.SetStaffDisabled("nurse.jones", false, "coordinator", "back");
        var enabled = registry.SignIn("nurse.jones", Password, Code(secret, clock.GetUtcNow()));

        Assert.Equal(StaffSignInOutcome.WrongNameOrPassword, wrongPassword.Outcome);
        Assert.Equal(StaffSignInOutcome.Disabled, disabled.Outcome);
        Assert.Equal("staff member nurse.jones is already disabled; nothing to do", again.Message);
        Assert.Equal(StaffSignInOutcome.SignedIn, enabled.Outcome);
        Assert.NotEqual(stamp, enabled.Account!.SessionStamp);
    }

    [Fact]
    public void Reset_NewPasswordAndCode_OldOnesStopWorking()
    {
        using var directory = new TemporaryDirectory("staff");
        var clock = TestClock.AtStepMiddle();
        var (registry, oldSecret) = RegistryWithStaff(directory.Path, clock);
        using var _ = registry;

        var reset = registry.ResetStaff("nurse.jones", "a brand new passphrase", newCode: true, "coordinator", "lost phone");
        var oldPassword = registry.SignIn("nurse.jones", Password, Code(reset.TotpSecret!, clock.GetUtcNow()));
        var oldCode = registry.SignIn("nurse.jones", "a brand new passphrase", Code(oldSecret, clock.GetUtcNow()));
        var fresh = registry.SignIn("nurse.jones", "a brand new passphrase", Code(reset.TotpSecret!, clock.GetUtcNow()));

        Assert.Equal(StaffSignInOutcome.WrongNameOrPassword, oldPassword.Outcome);
        Assert.Equal(StaffSignInOutcome.WrongCode, oldCode.Outcome);
        Assert.Equal(StaffSignInOutcome.SignedIn, fresh.Outcome);
        Assert.Equal("{\"password\":true,\"code\":true}", reset.AuditEntry.Details);
    }

    [Theory]
    [InlineData("nurse jones", "site-7", "correct horse battery", "--name 'nurse jones' is not a valid staff name")]
    [InlineData("nurse.jones", "site/7", "correct horse battery", "--site 'site/7' is not a valid site id")]
    [InlineData("nurse.jones", "site-7", "short", "the password must have at least 12 characters")]
    [InlineData("nurse.jones", "site-7", "tab\tin the password", "the password must not contain control characters")]
    public void AddStaff_BadValues_RefusedWithWhatToChange(string name, string site, string password, string expected)
    {
        using var directory = new TemporaryDirectory("staff");
        using var registry = EnrollmentRegistry.Open(EnrollmentRegistry.PathIn(directory.Path), create: true);

        var error = Assert.Throws<RegistryException>(() => registry.AddStaff(name, site, password, "coordinator", "new nurse"));

        Assert.StartsWith(expected, error.Message, StringComparison.Ordinal);
        Assert.Empty(registry.ListStaff());
    }

    [Fact]
    public void AddStaff_NameTakenInAnotherCase_Refused()
    {
        using var directory = new TemporaryDirectory("staff");
        var (registry, _) = RegistryWithStaff(directory.Path, TimeProvider.System);
        using var __ = registry;

        var error = Assert.Throws<RegistryException>(() => registry.AddStaff("NURSE.JONES", "site-7", Password, "coordinator", "again"));

        Assert.Equal("a staff member named 'nurse.jones' exists already; choose another name, or give them a new password or code with 'wearable-ingest staff reset --name nurse.jones'", error.Message);
    }

    [Fact]
    public void Open_Version1File_MigratesInPlace_KeepsEnrollmentsAndAuditChain()
    {
        using var directory = new TemporaryDirectory("staff");
        var path = EnrollmentRegistry.PathIn(directory.Path);
        string device;
        string head;
        using (var registry = EnrollmentRegistry.Open(path, create: true))
        {
            device = registry.Enroll(Request(Address(1))).Enrollment.Device;
            registry.Enroll(Request(Address(2), participant: "P-0099"));
            head = registry.Audit.Verify().HeadHash;
        }

        // What a version-1 hub wrote: the same first schema step, without the staff table (step 1 → 2).
        Sql(path, "DROP TABLE staff; PRAGMA user_version = 1;");

        using (var migrated = EnrollmentRegistry.Open(path, create: false))
        {
            Assert.Equal(2, migrated.ActiveEnrollments().Count);
            Assert.Contains(migrated.ActiveEnrollments(), e => e.Device == device);
            Assert.Empty(migrated.ListStaff());
            Assert.Null(migrated.Audit.CheckAnchor(2, head));
            migrated.AddStaff("nurse.jones", "site-7", Password, "coordinator", "first nurse after the upgrade");
        }

        var verify = Cli("audit", "verify", "--data-dir", directory.Path);
        Assert.Equal(0, verify.ExitCode);
        Assert.StartsWith("audit trail intact: 3 entries checked; head seq 3", verify.Output, StringComparison.Ordinal);
        using var reopened = EnrollmentRegistry.Open(path, create: false);
        Assert.Equal("nurse.jones", Assert.Single(reopened.ListStaff()).Name);
    }
}
