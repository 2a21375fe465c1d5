using System.Runtime.Versioning;
using System.Text.RegularExpressions;
using Ingest.Tests.Support;
using GatewayProcess = Ingest.Tests.Gateway.Gateway;

namespace Ingest.Tests.Deploy;

/// <summary>
/// scripts/publish.sh linux-x64 (self-contained, as shipped to a hub) into a temporary folder, then an upgrade: a data
/// directory made by the developer build (spool, ledger, registry with an enrollment and its audit trail) is taken over by
/// the published executable, run from another folder so it uses the profiles published beside it. Nothing is lost: the
/// sequences continue (as Run_RestartOnSameDataDirectory_ContinuesSequencesWithoutOverwriting shows for one build), the
/// trail extends its earlier head, a backup works. One test, since a publish costs a minute or two; linux-arm64 is
/// published by scripts/publish.sh only (it cannot run here).
/// </summary>
[SupportedOSPlatform("linux")]
public sealed partial class PublishTests : IDisposable
{
    private readonly TemporaryDirectory _directory = new("publish");

    public void Dispose() => _directory.Dispose();

    [Fact]
    public async Task Publish_LinuxX64_RunsFromItsFolder_AndTakesOverADataDirectoryWithoutLoss()
    {
        var bash = Peers.Require("bash", "apt-get install bash");
        var publishRoot = _directory.Combine("publish");
        var (published, publishLog) = await PeerProcess.RunAsync(bash, [Path.Combine(Peers.RepositoryRoot, "scripts", "publish.sh"), "linux-x64", "--out", publishRoot],
            TimeSpan.FromMinutes(25), Peers.RepositoryRoot);
        Assert.True(published == 0, publishLog);
        var folder = Path.Combine(publishRoot, "linux-x64");
        var executable = Path.Combine(folder, "wearable-ingest");
        Assert.True(File.Exists(Path.Combine(folder, "deploy", "install.sh")), publishLog);
        Assert.True(File.Exists(Path.Combine(folder, "firmware-profiles", "polar-h10", "profile.json")), publishLog);
        // Self-contained: no dotnet host needed beside it.
        Assert.True(File.Exists(Path.Combine(folder, "libcoreclr.so")), publishLog);

        // The data directory as the installed version leaves it.
        var data = _directory.Combine("data");
        var outbox = Path.Combine(data, "outbox");
        var (first, firstOutput) = await GatewayProcess.RunAsync(["run", "--simulate", "1", "--duration", "3s", "--data-dir", data]);
        Assert.True(first == 0, firstOutput);
        var (enrolled, enrollOutput) = await GatewayProcess.RunAsync(["enroll", "--address", "C4:7C:8D:6A:12:34", "--participant", "P-0007", "--profile", "polar-h10",
            "--study", "S1", "--site", "site-1", "--reason", "baseline visit", "--actor", "nurse-upgrade", "--data-dir", data]);
        Assert.True(enrolled == 0, enrollOutput);
        var (verified, verifyOutput) = await GatewayProcess.RunAsync(["audit", "verify", "--data-dir", data]);
        Assert.True(verified == 0, verifyOutput);
        var head = HeadPattern().Match(verifyOutput);
        Assert.True(head.Success, verifyOutput);
        var (_, firstRows) = GatewayProcess.ReadOutbox(outbox);

        // The published executable, from a folder without firmware-profiles/: it must find the ones published beside it.
        var elsewhere = _directory.Combine("elsewhere");
        Directory.CreateDirectory(elsewhere);
        var (second, secondOutput) = await PeerProcess.RunAsync(executable, ["run", "--simulate", "1", "--duration", "5s", "--data-dir", data, "--web", "http://127.0.0.1:0", "--metrics", "off"], TimeSpan.FromMinutes(3), elsewhere);

        Assert.True(second == 0, secondOutput);
        Assert.Contains("nothing left unsent by the last run", secondOutput, StringComparison.Ordinal);
        var (files, totalRows) = GatewayProcess.ReadOutbox(outbox);
        Assert.True(files > 0, secondOutput);
        Assert.True(GatewayProcess.SummarySamples(secondOutput) > 0, secondOutput);
        Assert.Equal(firstRows + GatewayProcess.SummarySamples(secondOutput) + GatewayProcess.SummaryGaps(secondOutput), totalRows);

        var (anchored, anchoredOutput) = await PeerProcess.RunAsync(executable, ["audit", "verify", "--data-dir", data, "--anchor", $"{head.Groups[1].Value}:{head.Groups[2].Value}"],
            TimeSpan.FromMinutes(1), elsewhere);
        Assert.True(anchored == 0, anchoredOutput);
        var (devices, devicesOutput) = await PeerProcess.RunAsync(executable, ["devices", "--data-dir", data], TimeSpan.FromMinutes(1), elsewhere);
        Assert.True(devices == 0, devicesOutput);
        Assert.Contains("P-0007", devicesOutput, StringComparison.Ordinal);
        var (backedUp, backupOutput) = await PeerProcess.RunAsync(executable, ["backup", "--data-dir", data, "--out", _directory.Combine("registry.db"), "--actor", "technician"],
            TimeSpan.FromMinutes(1), elsewhere);
        Assert.True(backedUp == 0, backupOutput);
    }

    [GeneratedRegex(@"head seq (\d+), hash ([0-9a-f]{64})")]
    private static partial Regex HeadPattern();
}
