using System.Globalization;
using System.Runtime.Versioning;
using System.Text.RegularExpressions;
using Ingest.Pipeline.Service;
using Ingest.Tests.Support;

namespace Ingest.Tests.Deploy;

/// <summary>
/// deploy/systemd/wearable-ingest.service checked by systemd's own tools (no systemd needs to run): <c>systemd-analyze
/// verify</c> reports nothing, <c>systemd-analyze security --offline</c> rates it OK, and the directives the hub relies
/// on are there.
/// </summary>
[SupportedOSPlatform("linux")]
public sealed partial class SystemdUnitTests : IDisposable
{
    /// <summary>
    /// Highest exposure accepted from systemd-analyze security (0 best, 10 worst; below 2 systemd calls "OK"). The unit
    /// scores 1.7: network, AF_UNIX for D-Bus, a supplementary group and W+X memory for the JIT are what it needs.
    /// </summary>
    private const double MaxExposure = 2.0;

    private readonly TemporaryDirectory _directory = new("unit");

    public void Dispose() => _directory.Dispose();

    internal static string UnitPath => Path.Combine(Peers.RepositoryRoot, "deploy", "systemd", "wearable-ingest.service");

    [Fact]
    public async Task Verify_ShippedUnit_ReportsNothing()
    {
        var (exit, output) = await VerifyAsync(File.ReadAllText(UnitPath));

        Assert.True(exit == 0 && output.Trim().Length == 0, $"systemd-analyze verify exit {exit}: {output}");
    }

    [Theory]
    [InlineData("WatchdogSec=30", "WatchdogSec=thirty", "Failed to parse sec value")]
    [InlineData("ProtectSystem=strict", "ProtectSystem=sometimes", "protect system value")]
    [InlineData("Type=notify", "Type=notify\nRestartSecs=1", "Unknown key")]
    public async Task Verify_ABrokenDirective_IsReported(string good, string bad, string complaint)
    {
        var unit = File.ReadAllText(UnitPath);
        Assert.Contains(good, unit, StringComparison.Ordinal);

        var (_, output) = await VerifyAsync(unit.Replace(good, bad, StringComparison.Ordinal));

        Assert.Contains(complaint, output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Security_Offline_RatesTheUnitOk()
    {
        var unit = WithTestExecutable(File.ReadAllText(UnitPath));
        var (_, output) = await PeerProcess.RunAsync(SystemdAnalyze(), ["security", "--offline=true", "--no-pager", unit], TimeSpan.FromSeconds(60), _directory.Path);

        var match = ExposurePattern().Match(output);
        Assert.True(match.Success, "no overall exposure in: " + output);
        var exposure = double.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture);
        Assert.True(exposure <= MaxExposure, $"exposure {exposure} > {MaxExposure}:\n{output}");
    }

    [Fact]
    public void Unit_HasTheDirectivesTheHubReliesOn()
    {
        var directives = Directives(File.ReadAllText(UnitPath));

        Assert.Equal("notify", directives["Type"]);
        Assert.Equal("/opt/wearable-ingest/wearable-ingest run --config /etc/wearable-ingest/wearable-ingest.json --data-dir /var/lib/wearable-ingest", directives["ExecStart"]);
        Assert.Equal("wearable-ingest", directives["User"]);
        Assert.Equal("no", directives["DynamicUser"]);
        Assert.Equal("bluetooth", directives["SupplementaryGroups"]);
        Assert.Equal("wearable-ingest", directives["StateDirectory"]);
        Assert.Equal("0700", directives["StateDirectoryMode"]);
        Assert.Equal("wearable-ingest", directives["ConfigurationDirectory"]);
        Assert.Equal("on-failure", directives["Restart"]);
        Assert.Equal("30", directives["WatchdogSec"]);
        Assert.Equal("SIGTERM", directives["KillSignal"]);
        Assert.Equal("journal", directives["StandardOutput"]);
        Assert.Equal("journal", directives["StandardError"]);
        Assert.Equal("", directives["CapabilityBoundingSet"]);
        Assert.Equal("no", directives["MemoryDenyWriteExecute"]);
        Assert.Equal("AF_UNIX AF_INET AF_INET6", directives["RestrictAddressFamilies"]);
        foreach (var hardening in (string[])["ProtectHome", "PrivateTmp", "NoNewPrivileges", "ProtectKernelTunables", "ProtectKernelModules",
                     "ProtectKernelLogs", "ProtectControlGroups", "RestrictNamespaces", "LockPersonality"])
        {
            Assert.True(directives[hardening] == "yes", hardening);
        }

        Assert.Equal("strict", directives["ProtectSystem"]);
        Assert.Equal("native", directives["SystemCallArchitectures"]);

        // A stop waits Pipeline:ShutdownGrace for the broker, then up to 5 s for the "stopped" status: systemd must wait longer.
        var stopTimeout = TimeSpan.FromSeconds(int.Parse(directives["TimeoutStopSec"], CultureInfo.InvariantCulture));
        Assert.True(stopTimeout >= IngestOptions.DefaultShutdownGrace + TimeSpan.FromSeconds(5) + TimeSpan.FromSeconds(10), $"TimeoutStopSec {stopTimeout}");
    }

    private async Task<(int ExitCode, string Output)> VerifyAsync(string unitText) =>
        await PeerProcess.RunAsync(SystemdAnalyze(), ["verify", "--man=no", WithTestExecutable(unitText)], TimeSpan.FromSeconds(60), _directory.Path);

    /// <summary>
    /// The unit as a file whose ExecStart names an executable in the test's folder instead of /opt/wearable-ingest (which
    /// verify checks exists); nothing else changes.
    /// </summary>
    private string WithTestExecutable(string unitText)
    {
        var executable = _directory.Combine("wearable-ingest");
        File.WriteAllText(executable, "#!/bin/sh\n");
        File.SetUnixFileMode(executable, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        const string Installed = "ExecStart=/opt/wearable-ingest/wearable-ingest ";
        Assert.Contains(Installed, unitText, StringComparison.Ordinal);
        var unit = _directory.Combine("wearable-ingest.service");
        File.WriteAllText(unit, unitText.Replace(Installed, "ExecStart=" + executable + " ", StringComparison.Ordinal));
        return unit;
    }

    private static string SystemdAnalyze() => Peers.Require("systemd-analyze", "apt-get install systemd (scripts/install-test-peers.sh)");

    /// <summary>The unit's assignments, last one wins (as systemd reads them); comments and section headers left out.</summary>
    internal static Dictionary<string, string> Directives(string unitText)
    {
        var directives = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var raw in unitText.Split('\n'))
        {
            var line = raw.Trim();
            if (line.Length == 0 || line[0] is '#' or ';' or '[')
            {
                continue;
            }

            var equals = line.IndexOf('=', StringComparison.Ordinal);
            directives[line[..equals]] = line[(equals + 1)..];
        }

        return directives;
    }

    [GeneratedRegex(@"Overall exposure level for \S+: (\d+(?:\.\d+)?)")]
    private static partial Regex ExposurePattern();
}
