using System.Text;
using Ingest.Gateway.Receiving;
using Ingest.Pipeline.Publishing;
using Ingest.Pipeline.Publishing.Mqtt;
using Ingest.Pipeline.Service;
using Ingest.Tests.Mqtt.Support;
using Ingest.Tests.Support;
using MQTTnet.Formatter;
using static Ingest.Tests.Mqtt.Support.MqttTestClients;

namespace Ingest.Tests.Receiving;

/// <summary>The receiver against a real mosquitto: batches published the hub's way, landed, answered, and read back with DuckDB.</summary>
public sealed class BatchReceiverTests
{
    private static readonly TimeSpan s_idle = TimeSpan.FromSeconds(1.5);

    private static ReceiverOptions ReceiverOptionsFor(MosquittoBroker broker, string directory, string clientId, string group = "test-receivers") =>
        new()
        {
            Broker = MqttBrokerUrl.TryParse($"mqtt://127.0.0.1:{broker.Port}", out var url, out var error) ? url : throw new InvalidOperationException(error),
            ClientId = clientId,
            OutputDirectory = directory,
            Group = group,
            SessionExpirySeconds = 0,
            ConnectTimeout = TimeSpan.FromSeconds(5),
        };

    private static async Task<(BatchReceiver Receiver, Task Run)> StartReceiverAsync(MosquittoBroker broker, string directory, string clientId, string group = "test-receivers")
    {
        var receiver = new BatchReceiver(ReceiverOptionsFor(broker, directory, clientId, group), BatchStore.Open(directory));
        await receiver.ConnectAsync();
        return (receiver, receiver.RunAsync(duration: TimeSpan.FromSeconds(60), untilIdle: s_idle));
    }

    private static async Task PublishAsync(MqttPublisher publisher, TestBatch batch, MqttPublishProperties? properties = null)
    {
        var result = await publisher.PublishAsync(batch.Topic, batch.Payload, properties ?? batch.Properties);
        Assert.True(result.IsSuccess, result.ToString());
    }

    [Fact]
    public async Task Receive_BatchesADuplicateAndAHole_LandsEachOnceAndReportsTheMissingSequence()
    {
        await using var broker = await MosquittoBroker.StartAsync("receive-basic");
        var directory = Peers.NewScratchDirectory("receive-basic");
        var (receiver, run) = await StartReceiverAsync(broker, directory, "recv-basic");
        await using (receiver)
        {
            await using var hub = new MqttPublisher(Options(broker, "hub-basic"));
            await hub.ConnectAsync();
            foreach (var sequence in new[] { 0, 1, 3, 4 })
            {
                await PublishAsync(hub, ReceivingTestBatches.Make(sequence));
            }

            await PublishAsync(hub, ReceivingTestBatches.Make(1));
            await run;

            var report = receiver.Report();
            Assert.Equal((4L, 40L, 1L, 0L, 0L), (report.Batches, report.Rows, report.Duplicates, report.Conflicts, report.Rejected));
            var stream = Assert.Single(report.Streams);
            Assert.Equal(["2"], stream.MissingRanges);
            Assert.Equal(4L, stream.HighestSequence);
            // Rows at 0..19 s and 30..49 s at 1 Hz: 40 of the 50 the span expects.
            Assert.Equal(0.8, stream.Completeness!.Value, 6);
        }

        using var duck = DuckDb.Open();
        var rows = DuckDb.Rows(duck, $"SELECT wearable_sequence, count(*) FROM {DuckDb.Parquet(directory)} GROUP BY ALL ORDER BY 1")
            .Select(r => (Convert.ToInt64(r[0]), Convert.ToInt64(r[1]))).ToArray();
        Assert.Equal([(0L, 10L), (1L, 10L), (3L, 10L), (4L, 10L)], rows);
    }

    [Fact]
    public async Task Receive_BatchAskingForAReceipt_AnswersStoredWithTheCorrelationDataOnlyAfterStaging()
    {
        await using var broker = await MosquittoBroker.StartAsync("receive-receipt");
        var directory = Peers.NewScratchDirectory("receive-receipt");
        var receiptTopic = MqttBatchPublisher.ReceiptTopicOf(ReceivingTestBatches.Study, "hub-7");
        var (receiver, run) = await StartReceiverAsync(broker, directory, "recv-receipt");
        await using (receiver)
        {
            await using var hub = await SubscriberAsync(Options(broker, "hub-receipt"), receiptTopic);
            var batch = ReceivingTestBatches.Make(5);
            await PublishAsync(hub, batch, ReceivingTestBatches.WithReceipt(batch, receiptTopic));

            var receipt = await ReceiveAsync(hub);
            // The receipt's arrival proves the batch was durable before it: staged bytes and Parquet are there already.
            var staged = Path.Combine(directory, BatchStore.StagingFolder, "hub-7", "sim-001.hr", "5.arrows");
            Assert.True(File.Exists(staged), "a receipt came before the batch was staged");
            Assert.Equal(batch.Payload, await File.ReadAllBytesAsync(staged));
            Assert.Single(Directory.GetFiles(Path.Combine(directory, "parquet"), "*_5.parquet", SearchOption.AllDirectories));

            Assert.Equal(receiptTopic, receipt.Topic);
            Assert.Equal(MqttBatchPublisher.CorrelationOf(batch.Identity), receipt.CorrelationData!.Value.ToArray());
            Assert.Equal(0, receipt.Payload.Length);
            Assert.Contains(KeyValuePair.Create(MqttBatchPublisher.ReceiptProperty, "stored"), receipt.UserProperties);

            // The same batch again (a lost PUBACK on the hub's side): a duplicate, and answered "stored" again.
            await PublishAsync(hub, batch, ReceivingTestBatches.WithReceipt(batch, receiptTopic));
            var second = await ReceiveAsync(hub);
            Assert.Contains(KeyValuePair.Create(MqttBatchPublisher.ReceiptProperty, "stored"), second.UserProperties);
            await run;
            Assert.Equal((1L, 1L, 2L), (receiver.Batches, receiver.Duplicates, receiver.ReceiptsSent));
        }
    }

    [Fact]
    public async Task Receive_TamperedPayload_IsQuarantinedCountedAndRejectedInTheReceipt()
    {
        await using var broker = await MosquittoBroker.StartAsync("receive-tampered");
        var directory = Peers.NewScratchDirectory("receive-tampered");
        var receiptTopic = MqttBatchPublisher.ReceiptTopicOf(ReceivingTestBatches.Study, "hub-7");
        var (receiver, run) = await StartReceiverAsync(broker, directory, "recv-tampered");
        await using (receiver)
        {
            await using var hub = await SubscriberAsync(Options(broker, "hub-tampered"), receiptTopic);
            var batch = ReceivingTestBatches.Make(0);
            var tampered = (byte[])batch.Payload.Clone();
            tampered[^20] ^= 0x01; // a value byte: still a readable stream, but not the bytes the hub hashed
            var result = await hub.PublishAsync(batch.Topic, tampered, ReceivingTestBatches.WithReceipt(batch, receiptTopic));
            Assert.True(result.IsSuccess);

            var receipt = await ReceiveAsync(hub);
            Assert.Contains(KeyValuePair.Create(MqttBatchPublisher.ReceiptProperty, "rejected"), receipt.UserProperties);
            var reason = receipt.UserProperties.Single(p => p.Key == MqttBatchPublisher.ReceiptReasonProperty).Value;
            Assert.StartsWith("SHA-256 mismatch", reason, StringComparison.Ordinal);
            await run;

            Assert.Equal((0L, 1L), (receiver.Batches, receiver.Rejected));
        }

        var quarantine = Path.Combine(directory, BatchStore.QuarantineFolder);
        var payload = Assert.Single(Directory.GetFiles(quarantine, "*.payload"));
        Assert.Contains("SHA-256 mismatch", await File.ReadAllTextAsync(Path.ChangeExtension(payload, ".reason.txt")), StringComparison.Ordinal);
        Assert.False(Directory.Exists(Path.Combine(directory, "parquet")));
    }

    [Fact]
    public async Task Receive_TwoReceiversInOneGroup_SplitTheBatchesAndTogetherHaveEachExactlyOnce()
    {
        await using var broker = await MosquittoBroker.StartAsync("receive-shared");
        var first = Peers.NewScratchDirectory("receive-shared-a");
        var second = Peers.NewScratchDirectory("receive-shared-b");
        var (a, runA) = await StartReceiverAsync(broker, first, "recv-shared-a", group: "split");
        var (b, runB) = await StartReceiverAsync(broker, second, "recv-shared-b", group: "split");
        await using (a)
        await using (b)
        {
            await using var hub = new MqttPublisher(Options(broker, "hub-shared"));
            await hub.ConnectAsync();
            for (var sequence = 0; sequence < 40; sequence++)
            {
                await PublishAsync(hub, ReceivingTestBatches.Make(sequence, rows: 4));
            }

            await Task.WhenAll(runA, runB);
            Assert.True(a.Batches > 0 && b.Batches > 0, $"one receiver got everything: {a.Batches} and {b.Batches}");
            Assert.Equal(40L, a.Batches + b.Batches);
            Assert.Equal(0L, a.Duplicates + b.Duplicates);
        }

        using var duck = DuckDb.Open();
        var union = $"(SELECT * FROM {DuckDb.Parquet(first)} UNION ALL SELECT * FROM {DuckDb.Parquet(second)})";
        var row = Assert.Single(DuckDb.Rows(duck, $"SELECT count(*), count(DISTINCT wearable_sequence), min(wearable_sequence), max(wearable_sequence) FROM {union}"));
        Assert.Equal([160L, 40L, 0L, 39L], row.Select(Convert.ToInt64));
    }

    [Fact]
    public async Task Receive_FromAnMqtt311Hub_ReadsTheIdentityFromTheSchemaAndCountsItUnverified()
    {
        await using var broker = await MosquittoBroker.StartAsync("receive-v311");
        var directory = Peers.NewScratchDirectory("receive-v311");
        var (receiver, run) = await StartReceiverAsync(broker, directory, "recv-v311");
        await using (receiver)
        {
            await using var hub = new MqttPublisher(Options(broker, "hub-v311", MqttProtocolVersion.V311));
            await hub.ConnectAsync();
            await PublishAsync(hub, ReceivingTestBatches.Make(0));
            await run;

            var report = receiver.Report();
            Assert.Equal((1L, 1L, 0L), (report.Batches, report.Unverified, report.Rejected));
            Assert.Equal("sim-001.hr", Assert.Single(report.Streams).Stream);
        }
    }

    [Fact]
    public async Task Receive_HubStatusOnTheSameFilter_IsTakenAsStatus_NeitherRejectedNorIgnored()
    {
        await using var broker = await MosquittoBroker.StartAsync("receive-status");
        var directory = Peers.NewScratchDirectory("receive-status");
        var (receiver, run) = await StartReceiverAsync(broker, directory, "recv-status");
        await using (receiver)
        {
            await using var hub = new MqttPublisher(Options(broker, "hub-status"));
            await hub.ConnectAsync();
            var result = await hub.PublishAsync("wearables/cardio/hubs/hub-7/status", Encoding.UTF8.GetBytes("{\"state\":\"online\"}"));
            Assert.True(result.IsSuccess);
            await run;

            var report = receiver.Report();
            Assert.Equal((0L, 0L), (report.Rejected, report.Ignored));
            Assert.True(report.StatusMessages + report.StatusMessagesMalformed >= 1, "the hub's status reached the fleet report");
        }
    }
}
