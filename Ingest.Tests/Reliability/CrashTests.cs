using Ingest.Bench.Crash;
using Ingest.Reliability;
using Ingest.Tests.Mqtt.Support;
using Ingest.Tests.Support;
using Xunit.Abstractions;

namespace Ingest.Tests.Reliability;

/// <summary>
/// kill -9 the gateway (<c>wearable-ingest run --simulate 4 --broker URL</c>) at seeded random moments, 10 times, restart
/// it on the same data dir against the same mosquitto, stop it cleanly, and check that every sequence of every stream from
/// 0 to the last durable one arrived (lost = 0, no sequence used for two different payloads). The long mode is
/// <c>Ingest.Bench crash --kills 200</c> (scripts/bench-crash.sh).
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class CrashTests(ITestOutputHelper output) : IDisposable
{
    private readonly string _work = Peers.NewScratchDirectory("faults-crash");

    public void Dispose()
    {
        if (Directory.Exists(_work))
        {
            Directory.Delete(_work, recursive: true);
        }
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Ten_kill_9s_at_random_moments_lose_no_durable_sequence(bool receipts)
    {
        var configuration = Path.GetFileName(Path.GetDirectoryName(AppContext.BaseDirectory.TrimEnd('/')))!; // bin/{configuration}/net10.0
        var gateway = Path.Combine(Peers.RepositoryRoot, "Ingest.Gateway", "bin", configuration, "net10.0", "wearable-ingest.dll");
        Assert.True(File.Exists(gateway), $"the gateway is not built at {gateway}: dotnet build WearableIngest.sln");
        Peers.Require("dotnet", "https://learn.microsoft.com/dotnet/core/install/linux");
        Peers.Require("kill", "apt-get install procps");

        await using var broker = await MosquittoBroker.StartAsync("faults-crash");
        await using var subscriber = await VerifyingSubscriber.StartAsync(broker.Port);
        var options = new CrashHarnessOptions(
            Kills: 10,
            Seed: receipts ? 2 : 1,
            MinUp: TimeSpan.FromSeconds(1),
            MaxUp: TimeSpan.FromSeconds(5),
            EarlyKillShare: 0.2,
            ChildCommand: CrashBench.GatewayCommand(gateway, Path.Combine(Peers.RepositoryRoot, "firmware-profiles"), trackers: 4, seed: 5, receipts),
            BrokerUrl: $"mqtt://127.0.0.1:{broker.Port}",
            DataDir: Path.Combine(_work, "data"),
            FinalUp: TimeSpan.FromSeconds(3));
        using var log = new StringWriter();
        var figures = await CrashHarness.RunAsync(options, subscriber, CrashBench.HubId, log);
        output.WriteLine(log.ToString());
        output.WriteLine(figures.Report.Describe());
        output.WriteLine(figures.Describe());
        output.WriteLine("last child:\n" + figures.LastChildOutput);

        Assert.Equal(10, figures.Kills);
        Assert.True(figures.Report.Batches > 50, "too little went through to prove anything: " + figures.Describe());
        Assert.True(figures.Report.Lost == 0, "durable batches were lost: " + figures.Report.Describe());
        Assert.Equal(0, figures.Report.Unexpected);
        Assert.Equal(0, figures.Report.Conflicts);
        Assert.Equal(0, figures.Report.HashMismatches);
        Assert.Equal(0, figures.QuarantinedRecords + figures.QuarantinedRegions); // a process kill never corrupts what was fsynced
    }
}
