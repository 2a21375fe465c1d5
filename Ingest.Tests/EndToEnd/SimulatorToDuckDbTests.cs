using Ingest.Gateway.Receiving;
using Ingest.Pipeline.Publishing.Mqtt;
using Ingest.Pipeline.Service;
using Ingest.Pipeline.Simulation.Fleet;
using Ingest.Pipeline.Spool;
using Ingest.Tests.Mqtt.Support;
using Ingest.Tests.Pipeline.Service;
using Ingest.Tests.Pipeline.Simulation.Fleet;
using Ingest.Tests.Receiving;
using Ingest.Tests.Support;
using Xunit.Abstractions;

namespace Ingest.Tests.EndToEnd;

/// <summary>
/// Issue 9's end-to-end proof: simulated trackers → the service → a real mosquitto → <c>receive</c> → Parquet → DuckDB.
/// The simulator's recording is decoded independently, so the test knows every sample that went in; DuckDB must find
/// each of them exactly once (lost = 0, unexpected = 0), with duplicates reported by the receiver, not landed twice.
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class SimulatorToDuckDbTests(ITestOutputHelper output) : IDisposable
{
    private readonly TemporaryDirectory _temporary = new("e2e");

    public void Dispose() => _temporary.Dispose();

    [Fact]
    public async Task Every_generated_sample_reaches_DuckDB_exactly_once_and_the_receiver_reports_no_missing_sequence()
    {
        var fleet = new SimulatedFleetOptions
        {
            TrackerCount = 9,
            Seed = 2026,
            Faults = new SimulatedFaultOptions { DisconnectsPerHour = 600, ReconnectDelay = TimeSpan.FromSeconds(1) },
        };
        var recording = await FleetHarness.CollectAsync(fleet, seconds: 6);
        var expected = FleetHarness.Decode(FleetHarness.Trackers(fleet), recording);
        Assert.Empty(expected.Rejected);

        await using var broker = await MosquittoBroker.StartAsync("e2e");
        var landing = _temporary.Combine("platform");
        var receiver = new BatchReceiver(new ReceiverOptions
        {
            Broker = MqttBrokerUrl.TryParse($"mqtt://127.0.0.1:{broker.Port}", out var url, out var error) ? url : throw new InvalidOperationException(error),
            ClientId = "platform-1",
            OutputDirectory = landing,
            SessionExpirySeconds = 0,
        }, BatchStore.Open(landing));
        await using (receiver)
        {
            await receiver.ConnectAsync();
            var receiving = receiver.RunAsync(duration: TimeSpan.FromSeconds(120), untilIdle: TimeSpan.FromSeconds(3));

            var options = new IngestOptions { HubId = "hub-e2e", Study = "study-e2e", Site = "site-1", BatchMaxAge = TimeSpan.FromMilliseconds(250), RequireReceipts = true };
            await using var hub = new MqttPublisher(MqttTestClients.Options(broker, "hub-e2e"));
            await hub.ConnectAsync();
            var publisher = await MqttBatchPublisher.CreateAsync(hub, options);
            var source = new ReplaySource(recording);
            var service = IngestService.Start(options, source, new SimulatedAdmission(FleetHarness.Profiles),
                new SpoolOptions { Directory = _temporary.Combine("hub", "spool") }, publisher);
            await source.AllSent.Task.WaitAsync(TimeSpan.FromSeconds(60));
            await service.StopAsync();
            await service.Completion;
            var status = service.Status;
            await service.DisposeAsync();
            await publisher.DisposeAsync();
            output.WriteLine($"hub: {status.Samples} samples, {status.BatchesSpooled} batches spooled, {status.BatchesReleased} released on receipts, {status.Gaps} gaps");

            // Receipts released everything: the platform stored every batch before the hub let go of it.
            Assert.Equal(0, status.Backlog);
            Assert.Equal(status.BatchesSpooled, status.BatchesReleased);

            await receiving;
            var report = receiver.Report();
            output.WriteLine($"receiver: {report.Batches} batches, {report.Rows} rows, {report.Duplicates} duplicates, {report.Conflicts} conflicts, {report.Rejected} rejected");
            Assert.Equal(0, report.Conflicts);
            Assert.Equal(0, report.Rejected);
            Assert.All(report.Streams, s => Assert.True(s.MissingSequences == 0, $"{s.Stream} misses {string.Join(",", s.MissingRanges)}"));

            // DuckDB over the Parquet partitions: every decoded sample once, per stream key, and nothing else.
            using var duck = DuckDb.Open();
            var glob = Path.Combine(landing, "parquet").Replace("'", "''", StringComparison.Ordinal) + "/**/*.parquet";
            var landed = DuckDb.Rows(duck,
                    $"SELECT wearable_stream, count(*), count(DISTINCT (wearable_sequence, hub_time)) FROM read_parquet('{glob}', hive_partitioning=true, union_by_name=true) GROUP BY 1")
                .ToDictionary(r => (string)r[0]!, r => (Rows: Convert.ToInt64(r[1]), Distinct: Convert.ToInt64(r[2])));
            long lost = 0;
            foreach (var ((device, stream), decoder) in expected.Streams)
            {
                var key = SimulatedAdmission.Pseudonym(device) + "." + stream;
                var rows = landed.GetValueOrDefault(key).Rows;
                lost += Math.Max(0, decoder.Counters.Samples - rows);
                Assert.Equal(decoder.Counters.Samples, rows);
            }

            var unexpected = landed.Keys.Where(k => !k.EndsWith(".gaps", StringComparison.Ordinal) && !k.EndsWith(".clock", StringComparison.Ordinal)
                && !expected.Streams.Keys.Any(e => SimulatedAdmission.Pseudonym(e.Device) + "." + e.Stream == k)).ToList();
            output.WriteLine($"lost {lost}, unexpected streams {unexpected.Count}, gap rows {landed.Where(l => l.Key.EndsWith(".gaps", StringComparison.Ordinal)).Sum(l => l.Value.Rows)}");
            Assert.Empty(unexpected);
            Assert.Equal(status.Samples + status.Gaps + status.ClockRows, landed.Values.Sum(v => v.Rows));
            Assert.True(status.Gaps > 0, "the fleet's disconnects should have been recorded as gaps");
        }
    }
}
