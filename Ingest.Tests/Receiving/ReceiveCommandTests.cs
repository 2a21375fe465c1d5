using System.Globalization;
using System.Text.Json;
using Ingest.Pipeline.Publishing.Mqtt;
using Ingest.Tests.Mqtt.Support;
using Ingest.Tests.Support;
using static Ingest.Tests.Mqtt.Support.MqttTestClients;

namespace Ingest.Tests.Receiving;

/// <summary><c>wearable-ingest receive</c> as a data engineer runs it: the real executable, a real mosquitto, DuckDB over the output.</summary>
public sealed class ReceiveCommandTests
{
    private static PeerProcess StartCli(params string[] arguments)
    {
        var dotnet = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet";
        return PeerProcess.Start(dotnet, new[] { Cli.Assembly, "receive" }.Concat(arguments), Peers.RepositoryRoot);
    }

    private static async Task PublishAsync(MosquittoBroker broker, string clientId, params long[] sequences)
    {
        await using var hub = new MqttPublisher(Options(broker, clientId));
        await hub.ConnectAsync();
        foreach (var sequence in sequences)
        {
            var batch = ReceivingTestBatches.Make(sequence);
            var result = await hub.PublishAsync(batch.Topic, batch.Payload, batch.Properties);
            Assert.True(result.IsSuccess, result.ToString());
        }
    }

    [Fact]
    public async Task Receive_TwoRunsOnOneFolder_LandEveryBatchAndTheSecondRunFillsTheHoleTheFirstReported()
    {
        await using var broker = await MosquittoBroker.StartAsync("receive-cli");
        var directory = Peers.NewScratchDirectory("receive-cli");
        string[] arguments = ["--broker", $"mqtt://127.0.0.1:{broker.Port}", "--out", directory, "--client-id", "recv-cli", "--session-expiry", "0", "--until-idle", "2"];

        using (var first = StartCli(arguments))
        {
            await first.WaitForOutputAsync("Receiving $share/wearable-receivers/wearables/+/+/+/+", TimeSpan.FromSeconds(30));
            await PublishAsync(broker, "hub-cli-1", 0, 1, 3);
            Assert.Equal(0, await first.WaitForExitAsync(TimeSpan.FromSeconds(30)));
            Assert.Contains("3 batch(es), 30 rows", first.Output, StringComparison.Ordinal);
        }

        using (var report = JsonDocument.Parse(await File.ReadAllBytesAsync(Path.Combine(directory, "report.json"))))
        {
            var stream = report.RootElement.GetProperty("streams").EnumerateArray().Single();
            Assert.Equal(1, stream.GetProperty("missing_sequences").GetInt64());
            Assert.Equal("2", stream.GetProperty("missing_ranges")[0].GetString());
        }

        // A restart keeps the ledger: sequence 2 closes the hole, 1 again is a duplicate, and the totals span both runs.
        using (var second = StartCli(arguments))
        {
            await second.WaitForOutputAsync("Receiving ", TimeSpan.FromSeconds(30));
            await PublishAsync(broker, "hub-cli-2", 2, 1);
            Assert.Equal(0, await second.WaitForExitAsync(TimeSpan.FromSeconds(30)));
            Assert.Contains("1 batch(es), 10 rows", second.Output, StringComparison.Ordinal);
            Assert.Contains("1 duplicate(s)", second.Output, StringComparison.Ordinal);
        }

        using (var report = JsonDocument.Parse(await File.ReadAllBytesAsync(Path.Combine(directory, "report.json"))))
        {
            var stream = report.RootElement.GetProperty("streams").EnumerateArray().Single();
            Assert.Equal((4L, 40L, 0L), (stream.GetProperty("batches").GetInt64(), stream.GetProperty("rows").GetInt64(), stream.GetProperty("missing_sequences").GetInt64()));
            Assert.Equal(1.0, stream.GetProperty("completeness").GetDouble(), 6);
        }

        using var duck = DuckDb.Open();
        var row = Assert.Single(DuckDb.Rows(duck, $"SELECT count(*), count(DISTINCT wearable_sequence) FROM {DuckDb.Parquet(directory)}"));
        Assert.Equal([40L, 4L], row.Select(v => Convert.ToInt64(v, CultureInfo.InvariantCulture)));
    }

    [Fact]
    public async Task Receive_Sigterm_FinishesAndExitsZeroWithASummaryAndReport()
    {
        await using var broker = await MosquittoBroker.StartAsync("receive-sigterm");
        var directory = Peers.NewScratchDirectory("receive-sigterm");
        using var receiver = StartCli("--broker", $"mqtt://127.0.0.1:{broker.Port}", "--out", directory, "--client-id", "recv-term", "--session-expiry", "0");
        await receiver.WaitForOutputAsync("Receiving ", TimeSpan.FromSeconds(30));
        await PublishAsync(broker, "hub-term", 0);
        await Task.Delay(500);

        var kill = await PeerProcess.RunAsync(Peers.Require("kill", "apt-get install procps"), ["-TERM", receiver.Pid.ToString(CultureInfo.InvariantCulture)], TimeSpan.FromSeconds(10));
        Assert.Equal(0, kill.ExitCode);

        Assert.Equal(0, await receiver.WaitForExitAsync(TimeSpan.FromSeconds(30)));
        Assert.Contains("Received in", receiver.Output, StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(directory, "report.json")));
    }

    [Fact]
    public async Task Receive_KilledWhileLanding_RestartWithTheSameClientIdLandsEveryBatchExactlyOnce()
    {
        await using var broker = await MosquittoBroker.StartAsync("receive-kill");
        var directory = Peers.NewScratchDirectory("receive-kill");
        var staging = Path.Combine(directory, Ingest.Gateway.Receiving.BatchStore.StagingFolder);
        // A kept session (the default expiry): what the broker had in flight or queued for this client id comes back after the crash.
        string[] arguments = ["--broker", $"mqtt://127.0.0.1:{broker.Port}", "--out", directory, "--client-id", "recv-kill", "--receive-maximum", "8"];
        const int Batches = 120;

        using (var first = StartCli(arguments))
        {
            await first.WaitForOutputAsync("Receiving ", TimeSpan.FromSeconds(30));
            var publishing = PublishAsync(broker, "hub-kill", [.. Enumerable.Range(0, Batches).Select(i => (long)i)]);
            var deadline = DateTime.UtcNow.AddSeconds(60);
            while ((!Directory.Exists(staging) || Directory.GetFiles(staging, "*.arrows", SearchOption.AllDirectories).Length < 10) && DateTime.UtcNow < deadline)
            {
                await Task.Delay(10);
            }

            first.Kill(); // SIGKILL mid-stream: batches in hand are neither acknowledged nor (all) landed
            var stagedBeforeRestart = Directory.GetFiles(staging, "*.arrows", SearchOption.AllDirectories).Length;
            await publishing;
            Assert.InRange(stagedBeforeRestart, 10, Batches - 1);
        }

        using (var second = StartCli([.. arguments, "--until-idle", "3"]))
        {
            Assert.Equal(0, await second.WaitForExitAsync(TimeSpan.FromSeconds(90)));
        }

        using var duck = DuckDb.Open();
        var row = Assert.Single(DuckDb.Rows(duck, $"SELECT count(*), count(DISTINCT wearable_sequence) FROM {DuckDb.Parquet(directory)}"));
        Assert.Equal([Batches * 10L, (long)Batches], row.Select(v => Convert.ToInt64(v, CultureInfo.InvariantCulture)));
        using var report = JsonDocument.Parse(await File.ReadAllBytesAsync(Path.Combine(directory, "report.json")));
        var stream = report.RootElement.GetProperty("streams").EnumerateArray().Single();
        Assert.Equal(((long)Batches, 0L), (stream.GetProperty("batches").GetInt64(), stream.GetProperty("missing_sequences").GetInt64()));
    }

    [Fact]
    public async Task ReceiveCompact_ClosedDay_MergesThePerBatchFiles()
    {
        var directory = Peers.NewScratchDirectory("receive-compact-cli");
        var store = Ingest.Gateway.Receiving.BatchStore.Open(directory);
        for (var sequence = 0; sequence < 3; sequence++)
        {
            var batch = ReceivingTestBatches.Make(sequence);
            var inspection = Ingest.Gateway.Receiving.BatchInspector.Inspect(batch.Topic, batch.Payload, batch.Properties.UserProperties);
            using (inspection.Batch!.Batch)
            {
                store.Land(inspection.Batch);
            }
        }

        var (exitCode, output) = await Cli.RunAsync(["receive", "compact", "--out", directory, "--before", "2025-12-01"]);

        Assert.True(exitCode == 0, output);
        Assert.Contains("1 file(s) written, 3 per-batch file(s) merged", output, StringComparison.Ordinal);
        using var duck = DuckDb.Open();
        Assert.Equal(30L, Convert.ToInt64(DuckDb.Scalar(duck, $"SELECT count(*) FROM {DuckDb.Parquet(directory)}"), CultureInfo.InvariantCulture));
    }

    [Theory]
    [InlineData("--broker", "ftp://example.org", "--broker")]
    [InlineData("--group", "a/b", "--group 'a/b'")]
    [InlineData("--until-idle", "-1", "--until-idle")]
    public async Task Receive_BadOption_ExitsTwoNamingTheOption(string option, string value, string named)
    {
        var directory = Peers.NewScratchDirectory("receive-usage");
        List<string> arguments = ["receive", "--broker", "mqtt://127.0.0.1:1", "--out", directory];
        var index = arguments.IndexOf(option);
        if (index >= 0)
        {
            arguments[index + 1] = value;
        }
        else
        {
            arguments.AddRange([option, value]);
        }

        var (exitCode, output) = await Cli.RunAsync(arguments);

        Assert.Equal(2, exitCode);
        Assert.Contains(named, output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Receive_NothingListening_ExitsThree()
    {
        var directory = Peers.NewScratchDirectory("receive-refused");

        var (exitCode, output) = await Cli.RunAsync(["receive", "--broker", $"mqtt://127.0.0.1:{Peers.FreeTcpPort()}", "--out", directory]);

        Assert.Equal(3, exitCode);
        Assert.Contains("cannot connect", output, StringComparison.Ordinal);
    }
}
