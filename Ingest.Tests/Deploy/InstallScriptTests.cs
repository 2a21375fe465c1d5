using System.Globalization;
using System.Runtime.Versioning;
using Ingest.Tests.Support;

namespace Ingest.Tests.Deploy;

/// <summary>
/// deploy/install.sh run as a technician would, but into a folder (<c>--root DIR</c>) instead of /, since systemd is not
/// PID 1 here: the user in group bluetooth, the program, the unit, the configuration (never replaced), the data folder,
/// their owners and modes; idempotent; <c>--uninstall</c> keeps the data, <c>--purge</c> does not. shellcheck passes.
/// </summary>
[SupportedOSPlatform("linux")]
public sealed class InstallScriptTests : IDisposable
{
    private readonly TemporaryDirectory _directory = new("install");

    public void Dispose() => _directory.Dispose();

    [Fact]
    public async Task Install_IntoRoot_CreatesUserProgramUnitConfigAndData_WithTheirModes()
    {
        var (bundle, root) = Prepare();

        var (exit, output) = await InstallAsync(bundle, "--root", root);

        Assert.True(exit == 0, output);
        var user = Assert.Single(File.ReadAllLines(Path.Combine(root, "etc", "passwd")), l => l.StartsWith("wearable-ingest:", StringComparison.Ordinal)).Split(':');
        Assert.Equal("/var/lib/wearable-ingest", user[5]);
        Assert.Equal("/usr/sbin/nologin", user[6]);
        Assert.Contains("bluetooth:x:112:wearable-ingest", File.ReadAllLines(Path.Combine(root, "etc", "group")));
        var (uid, gid) = (user[2], user[3]);

        Assert.Equal("0:0:755", await StatAsync(Path.Combine(root, "opt", "wearable-ingest", "wearable-ingest")));
        Assert.True(File.Exists(Path.Combine(root, "opt", "wearable-ingest", "firmware-profiles", "README.md")));
        Assert.Equal("0:0:755", await StatAsync(Path.Combine(root, "opt", "wearable-ingest", "deploy", "install.sh")));
        Assert.Equal("/opt/wearable-ingest/wearable-ingest", new FileInfo(Path.Combine(root, "usr", "local", "bin", "wearable-ingest")).LinkTarget);

        var unit = Path.Combine(root, "etc", "systemd", "system", "wearable-ingest.service");
        Assert.Equal(File.ReadAllText(SystemdUnitTests.UnitPath), File.ReadAllText(unit));
        Assert.Equal("0:0:644", await StatAsync(unit));

        var config = Path.Combine(root, "etc", "wearable-ingest", "wearable-ingest.json");
        Assert.Equal(File.ReadAllText(Path.Combine(Peers.RepositoryRoot, "deploy", "wearable-ingest.json")), File.ReadAllText(config));
        Assert.Equal($"0:{gid}:640", await StatAsync(config));
        Assert.Equal($"0:{gid}:750", await StatAsync(Path.GetDirectoryName(config)!));
        Assert.Equal($"{uid}:{gid}:700", await StatAsync(Path.Combine(root, "var", "lib", "wearable-ingest")));

        Assert.Contains("participant page:  http://", output, StringComparison.Ordinal);
        Assert.Contains(":8080/", output, StringComparison.Ordinal);
        Assert.Contains("wearable-ingest staff add", output, StringComparison.Ordinal);
        Assert.Contains("wearable-ingest broker check", output, StringComparison.Ordinal);
        Assert.Contains("systemctl daemon-reload && systemctl enable --now wearable-ingest", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Install_Again_KeepsTheEditedConfiguration_UninstallKeepsData_PurgeRemovesAll()
    {
        var (bundle, root) = Prepare();
        Assert.Equal(0, (await InstallAsync(bundle, "--root", root)).ExitCode);
        var config = Path.Combine(root, "etc", "wearable-ingest", "wearable-ingest.json");
        File.WriteAllText(config, "{ \"Hub\": { \"Id\": \"hub-0042\" } }\n");
        var data = Path.Combine(root, "var", "lib", "wearable-ingest");
        Directory.CreateDirectory(Path.Combine(data, "state"));
        File.WriteAllText(Path.Combine(data, "state", "registry.db"), "the registry");
        File.WriteAllText(Path.Combine(bundle, "NEW-VERSION"), "2");

        var (again, againOutput) = await InstallAsync(bundle, "--root", root);

        Assert.True(again == 0, againOutput);
        Assert.Contains("configuration: kept", againOutput, StringComparison.Ordinal);
        Assert.Contains("user: wearable-ingest exists, in group bluetooth", againOutput, StringComparison.Ordinal);
        Assert.Equal("{ \"Hub\": { \"Id\": \"hub-0042\" } }\n", File.ReadAllText(config));
        Assert.Equal("the registry", File.ReadAllText(Path.Combine(data, "state", "registry.db")));
        Assert.True(File.Exists(Path.Combine(root, "opt", "wearable-ingest", "NEW-VERSION")), "the program was not replaced");
        Assert.Single(File.ReadAllLines(Path.Combine(root, "etc", "passwd")), l => l.StartsWith("wearable-ingest:", StringComparison.Ordinal));
        Assert.False(Directory.Exists(Path.Combine(root, "opt", "wearable-ingest.new")));
        Assert.False(Directory.Exists(Path.Combine(root, "opt", "wearable-ingest.old")));

        var (uninstalled, uninstallOutput) = await InstallAsync(bundle, "--root", root, "--uninstall");

        Assert.True(uninstalled == 0, uninstallOutput);
        Assert.False(Directory.Exists(Path.Combine(root, "opt", "wearable-ingest")));
        Assert.False(File.Exists(Path.Combine(root, "etc", "systemd", "system", "wearable-ingest.service")));
        Assert.False(File.Exists(Path.Combine(root, "usr", "local", "bin", "wearable-ingest")) || Directory.Exists(Path.Combine(root, "usr", "local", "bin", "wearable-ingest")));
        Assert.True(File.Exists(config));
        Assert.Equal("the registry", File.ReadAllText(Path.Combine(data, "state", "registry.db")));
        Assert.Contains(File.ReadAllLines(Path.Combine(root, "etc", "passwd")), l => l.StartsWith("wearable-ingest:", StringComparison.Ordinal));

        var (purged, purgeOutput) = await InstallAsync(bundle, "--root", root, "--uninstall", "--purge");

        Assert.True(purged == 0, purgeOutput);
        Assert.False(Directory.Exists(Path.GetDirectoryName(config)));
        Assert.False(Directory.Exists(data));
        Assert.DoesNotContain(File.ReadAllLines(Path.Combine(root, "etc", "passwd")), l => l.StartsWith("wearable-ingest:", StringComparison.Ordinal));
        Assert.DoesNotContain(File.ReadAllLines(Path.Combine(root, "etc", "group")), l => l.StartsWith("wearable-ingest:", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("--frobnicate", "unknown option '--frobnicate'")]
    [InlineData("--purge", "--purge goes with --uninstall")]
    public async Task Install_BadOption_ExitsTwoSayingWhy(string option, string message)
    {
        var (bundle, root) = Prepare();

        var (exit, output) = await InstallAsync(bundle, "--root", root, option);

        Assert.Equal(2, exit);
        Assert.Contains(message, output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Install_WithoutGroupBluetooth_SaysToInstallBlueZ()
    {
        var (bundle, root) = Prepare();
        File.WriteAllText(Path.Combine(root, "etc", "group"), "root:x:0:\n");

        var (exit, output) = await InstallAsync(bundle, "--root", root);

        Assert.Equal(2, exit);
        Assert.Contains("there is no group 'bluetooth': install BlueZ first", output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("deploy/install.sh")]
    [InlineData("scripts/publish.sh")]
    public async Task Shellcheck_Passes(string script)
    {
        var shellcheck = Peers.Require("shellcheck", "apt-get install shellcheck (scripts/install-test-peers.sh)");

        var (exit, output) = await PeerProcess.RunAsync(shellcheck, [Path.Combine(Peers.RepositoryRoot, script)], TimeSpan.FromSeconds(60));

        Assert.True(exit == 0, output);
    }

    /// <summary>A publish folder (a stand-in executable, the profiles, the repository's deploy/) and a root with BlueZ's group.</summary>
    private (string Bundle, string Root) Prepare()
    {
        Assert.True(Environment.UserName == "root" || Environment.GetEnvironmentVariable("USER") == "root",
            "install.sh creates users and sets owners: run the tests as root (CI does)");
        var bundle = _directory.Combine("bundle");
        Directory.CreateDirectory(Path.Combine(bundle, "firmware-profiles"));
        File.Copy(Path.Combine(Peers.RepositoryRoot, "firmware-profiles", "README.md"), Path.Combine(bundle, "firmware-profiles", "README.md"));
        File.WriteAllText(Path.Combine(bundle, "wearable-ingest"), "#!/bin/sh\necho stand-in\n");
        File.SetUnixFileMode(Path.Combine(bundle, "wearable-ingest"), (UnixFileMode)0b111_101_101);
        CopyDirectory(Path.Combine(Peers.RepositoryRoot, "deploy"), Path.Combine(bundle, "deploy"));

        var root = _directory.Combine("root");
        Directory.CreateDirectory(Path.Combine(root, "etc"));
        Directory.CreateDirectory(Path.Combine(root, "usr", "sbin"));
        File.WriteAllText(Path.Combine(root, "usr", "sbin", "nologin"), "#!/bin/sh\nexit 1\n");
        File.SetUnixFileMode(Path.Combine(root, "usr", "sbin", "nologin"), (UnixFileMode)0b111_101_101);
        File.WriteAllText(Path.Combine(root, "etc", "passwd"), "root:x:0:0:root:/root:/bin/bash\n");
        File.WriteAllText(Path.Combine(root, "etc", "group"), "root:x:0:\nbluetooth:x:112:\n");
        File.WriteAllText(Path.Combine(root, "etc", "shadow"), "root:*:19000:0:99999:7:::\n");
        File.WriteAllText(Path.Combine(root, "etc", "gshadow"), "root:*::\nbluetooth:!::\n");
        return (bundle, root);
    }

    private static async Task<(int ExitCode, string Output)> InstallAsync(string bundle, params string[] arguments) =>
        await PeerProcess.RunAsync(Peers.Require("bash", "apt-get install bash"), [Path.Combine(bundle, "deploy", "install.sh"), .. arguments], TimeSpan.FromSeconds(120));

    /// <summary>uid:gid:mode (octal) of a file, as stat(1) shows them.</summary>
    private static async Task<string> StatAsync(string path)
    {
        var (exit, output) = await PeerProcess.RunAsync(Peers.Require("stat", "apt-get install coreutils"), ["-c", "%u:%g:%a", path], TimeSpan.FromSeconds(30));
        Assert.True(exit == 0, output);
        return output.Trim();
    }

    private static void CopyDirectory(string from, string to)
    {
        foreach (var directory in Directory.GetDirectories(from, "*", SearchOption.AllDirectories))
        {
            Directory.CreateDirectory(directory.Replace(from, to, StringComparison.Ordinal));
        }

        Directory.CreateDirectory(to);
        foreach (var file in Directory.GetFiles(from, "*", SearchOption.AllDirectories))
        {
            var target = file.Replace(from, to, StringComparison.Ordinal);
            File.Copy(file, target);
            File.SetUnixFileMode(target, File.GetUnixFileMode(file));
        }
    }
}
