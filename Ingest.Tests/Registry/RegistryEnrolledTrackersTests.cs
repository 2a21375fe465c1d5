using Ingest.Gateway.Radio;
using Ingest.Gateway.Registry;
using Ingest.Pipeline.Intake.Radio;
using Ingest.Tests.Support;
using static Ingest.Tests.Registry.RegistryTestSupport;

namespace Ingest.Tests.Registry;

public class RegistryEnrolledTrackersTests
{
    private const string Irk = "ec0234a357c8ad05341010a60a397d9b";

    [Fact]
    public void Find_EnrolledIdentityAddress_ReturnsTrackerWithoutAddress()
    {
        using var directory = new TemporaryDirectory("trackers");
        using var registry = EnrollmentRegistry.Open(directory.Combine("registry.db"), create: true);
        var device = registry.Enroll(Request(Address(1))).Enrollment.Device;
        var trackers = new RegistryEnrolledTrackers(registry, "S1");

        var found = trackers.Find(Address(1).ToLowerInvariant(), BleAddressType.Random);

        Assert.Equal(new EnrolledTracker(device, "P-0042", "S1", "site-7", "polar-h10"), found);
        Assert.Null(trackers.Find(Address(2), BleAddressType.Random));
        Assert.Null(trackers.Find("not an address", BleAddressType.Public));
    }

    [Fact]
    public void Find_RpaFromEnrolledIrk_ResolvesAndOtherIrkDoesNot()
    {
        using var directory = new TemporaryDirectory("trackers");
        using var registry = EnrollmentRegistry.Open(directory.Combine("registry.db"), create: true);
        var withKey = registry.Enroll(Request(Address(1), irk: Irk)).Enrollment;
        registry.Enroll(Request(Address(2), participant: "P-0043"));
        var trackers = new RegistryEnrolledTrackers(registry, "S1");
        var otherKey = Convert.FromHexString("00112233445566778899aabbccddeeff");

        for (var i = 0; i < 20; i++)
        {
            var rpa = ResolvablePrivateAddress.Create(Convert.FromHexString(Irk), 1000 + (i * 7919));
            Assert.Equal(withKey.Device, trackers.Find(rpa, BleAddressType.Random)?.DevicePseudonym);
            // Asked twice: the remembered resolution gives the same answer.
            Assert.Equal(withKey.Device, trackers.Find(rpa, BleAddressType.Random)?.DevicePseudonym);
            var stranger = ResolvablePrivateAddress.Create(otherKey, 1000 + (i * 7919));
            Assert.Null(trackers.Find(stranger, BleAddressType.Random));
        }

        // The spec's sample RPA resolves with the spec's IRK; as a public address the same bits are not resolved.
        Assert.Equal(withKey.Device, trackers.Find("70:81:94:0D:FB:AA", BleAddressType.Random)?.DevicePseudonym);
        Assert.Null(trackers.Find("70:81:94:0D:FB:AA", BleAddressType.Public));
    }

    [Fact]
    public void Version_EnrollFromAnotherConnection_ChangesAndListFollows()
    {
        using var directory = new TemporaryDirectory("trackers");
        var path = directory.Combine("state", "registry.db");
        using var service = EnrollmentRegistry.Open(path, create: true);
        using var nurse = EnrollmentRegistry.Open(path, create: true);
        var trackers = new RegistryEnrolledTrackers(service, "S1", TimeSpan.Zero);
        var before = trackers.Version;
        Assert.Empty(trackers.List());

        var enrolled = nurse.Enroll(Request(Address(1))).Enrollment;
        var afterEnroll = trackers.Version;
        // Status writes change the database but not the enrolled set: the version stays.
        nurse.UpdateDeviceStatus(enrolled.Device, true, 1, 90, 10, 1.0);
        service.UpdateDeviceStatus(enrolled.Device, true, 2, 90, 11, 1.0);
        var afterStatus = trackers.Version;
        nurse.UnenrollDevice(enrolled.Device, "withdrew", "nurse.jones");
        var afterUnenroll = trackers.Version;

        Assert.NotEqual(before, afterEnroll);
        Assert.Equal(afterEnroll, afterStatus);
        Assert.NotEqual(afterEnroll, afterUnenroll);
        Assert.Empty(trackers.List());
        Assert.Null(trackers.Find(Address(1), BleAddressType.Random));
    }

    [Fact]
    public void Version_DefaultPollInterval_SeesAnotherProcessesEnrollAfterTheInterval()
    {
        using var directory = new TemporaryDirectory("trackers");
        var path = directory.Combine("state", "registry.db");
        using var service = EnrollmentRegistry.Open(path, create: true);
        using var nurse = EnrollmentRegistry.Open(path, create: true);
        var trackers = new RegistryEnrolledTrackers(service, "S1");
        var before = trackers.Version;

        nurse.Enroll(Request(Address(1)));
        Thread.Sleep(RegistryEnrolledTrackers.DefaultPollInterval * 2);

        Assert.NotEqual(before, trackers.Version);
        Assert.Single(trackers.List());
    }

    [Fact]
    public void Version_EnrollOnTheSameConnection_Changes()
    {
        using var directory = new TemporaryDirectory("trackers");
        using var registry = EnrollmentRegistry.Open(directory.Combine("registry.db"), create: true);
        var trackers = new RegistryEnrolledTrackers(registry, "S1");
        var before = trackers.Version;

        registry.Enroll(Request(Address(1)));

        Assert.NotEqual(before, trackers.Version);
        Assert.Single(trackers.List());
    }

    [Fact]
    public void RecordRefusal_SameDeviceManyTimes_CountsEachAndAuditsOncePerRun()
    {
        using var directory = new TemporaryDirectory("trackers");
        using var registry = EnrollmentRegistry.Open(directory.Combine("registry.db"), create: true);
        var run = new RegistryEnrolledTrackers(registry, "S1");

        for (var i = 0; i < 5; i++)
        {
            run.RecordRefusal(Address(7), "polar-h10", "not enrolled");
        }

        run.RecordRefusal(Address(8), null, "not enrolled near C4:7C:8D:00:00:08");
        var nextRun = new RegistryEnrolledTrackers(registry, "S1");
        nextRun.RecordRefusal(Address(7), "polar-h10", "not enrolled");

        Assert.Equal(6, run.RefusalCount);
        var device = registry.PseudonymFor("S1", Address(7));
        Assert.Equal(5, run.RefusalsByDevice[device]);
        var entries = registry.Audit.List(10);
        Assert.Equal(3, entries.Count);
        Assert.All(entries, e => Assert.Equal(AuditActions.AdmissionRefused, e.Action));
        Assert.Equal($"device {device}", entries[0].Subject);
        Assert.Equal("""{"study":"S1","profile":"polar-h10"}""", entries[0].Details);
        Assert.Equal("not enrolled near [address]", entries[1].Reason);
        Assert.All(entries, e => Assert.False(TrackerAddress.ContainsAddress(e.Subject + e.Reason + e.Details)));
        Assert.Null(run.LastProblem);
    }

    [Fact]
    public void Refresh_RegistryDamagedAfterLoad_KeepsLastListAndSaysWhy()
    {
        using var directory = new TemporaryDirectory("trackers");
        var path = directory.Combine("registry.db");
        using var registry = EnrollmentRegistry.Open(path, create: true);
        registry.Enroll(Request(Address(1)));
        var trackers = new RegistryEnrolledTrackers(registry, "S1", TimeSpan.Zero);
        Assert.Single(trackers.List());

        Sql(path, "UPDATE enrollments SET address = 'garbage'");

        Assert.Single(trackers.List());
        Assert.NotNull(trackers.Find(Address(1), BleAddressType.Random));
        Assert.StartsWith("could not reload the enrolled trackers (using the last list): enrollment 1", trackers.LastProblem, StringComparison.Ordinal);
    }
}
