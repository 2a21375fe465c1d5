using System.Runtime.Versioning;
using Ingest.Gateway.Registry;
using Ingest.Tests.Support;
using static Ingest.Tests.Registry.RegistryTestSupport;

namespace Ingest.Tests.Registry;

[SupportedOSPlatform("linux")]
public class RegistryFileModeTests
{
    [Fact]
    public void Open_NewRegistry_IsReadableByItsOwnerOnly()
    {
        using var directory = new TemporaryDirectory("registry-mode");
        var path = EnrollmentRegistry.PathIn(directory.Path);

        using (var registry = EnrollmentRegistry.Open(path, create: true))
        {
            registry.Enroll(Request(Address(1)));
            // The WAL holds the same secrets until a checkpoint: SQLite gives it the database file's mode.
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path + "-wal"));
        }

        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
    }
}
