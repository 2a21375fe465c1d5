using System.Globalization;
using Apache.Arrow.Ipc;
using Ingest.Pipeline.Batching;
using Ingest.Pipeline.Publishing;
using Ingest.Pipeline.Publishing.Mqtt;
using Ingest.Pipeline.Service;
using Ingest.Pipeline.Simulation.Fleet;
using Ingest.Pipeline.Spool;
using Ingest.Tests.Mqtt.Support;
using Ingest.Tests.Pipeline.Simulation.Fleet;
using Ingest.Tests.Support;

namespace Ingest.Tests.Pipeline.Service;

/// <summary>The service end to end through a real mosquitto: recorded fleet → pipeline → spool → MQTT 5 → a subscriber.</summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class IngestServiceMqttTests : IDisposable
{
    private readonly TemporaryDirectory _temporary = new("service-mqtt");

    private string _dataDir => _temporary.Path;

    public void Dispose() => _temporary.Dispose();

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Every_sample_arrives_once_per_identity_with_the_contracts_properties_and_receipts_release_the_spool(bool requireReceipts)
    {
        var fleet = new SimulatedFleetOptions { TrackerCount = 4, Seed = 11 };
        var recording = await FleetHarness.CollectAsync(fleet, seconds: 2);
        var expected = FleetHarness.Decode(FleetHarness.Trackers(fleet), recording);

        await using var broker = await MosquittoBroker.StartAsync("service-e2e");
        await using var platform = await MqttTestClients.SubscriberAsync(MqttTestClients.Options(broker, "platform"), "wearables/study-1/site-1/#");
        var options = new IngestOptions
        {
            HubId = "hub-e2e", Study = "study-1", Site = "site-1", BatchMaxAge = TimeSpan.FromMilliseconds(200), RequireReceipts = requireReceipts,
        };

        await using var hub = new MqttPublisher(MqttTestClients.Options(broker, "hub-e2e"));
        await hub.ConnectAsync();
        var publisher = await MqttBatchPublisher.CreateAsync(hub, options);
        var source = new ReplaySource(recording);
        var service = IngestService.Start(options, source, new SimulatedAdmission(FleetHarness.Profiles),
            new SpoolOptions { Directory = Path.Combine(_dataDir, "spool") }, publisher);
        await source.AllSent.Task.WaitAsync(TimeSpan.FromSeconds(30));

        // The platform side: verify, count rows per identity, answer receipts after "storing".
        var landed = new Dictionary<(string Stream, long Sequence), int>();
        var duplicates = 0;
        var receiveUntil = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        var stopRequested = false;
        Task? stopping = null;
        while (DateTime.UtcNow < receiveUntil)
        {
            if (!stopRequested && landed.Count > 0 && service.Status.Backlog == 0 && service.Status.BatchesSealed == service.Status.BatchesSpooled)
            {
                stopping = service.StopAsync();
                stopRequested = true;
            }

            using var wait = new CancellationTokenSource(TimeSpan.FromSeconds(2));
            MqttReceivedMessage message;
            try
            {
                message = await platform.ReceivedMessages.ReadAsync(wait.Token);
            }
            catch (OperationCanceledException)
            {
                if (stopping is { IsCompleted: true })
                {
                    break;
                }

                continue;
            }

            var properties = message.UserProperties.ToDictionary(p => p.Key, p => p.Value);
            Assert.Equal(BatchMessage.ContentType, message.ContentType);
            Assert.Equal(BatchMessage.Sha256Hex(message.Payload.Span), properties[BatchMessage.Sha256Property]);
            using var reader = new ArrowStreamReader(message.Payload);
            using var batch = reader.ReadNextRecordBatch();
            var schema = reader.Schema.Metadata;
            Assert.Equal(properties[BatchMetadataKeys.Stream], schema[BatchMetadataKeys.Stream]);
            Assert.Equal(properties[BatchMetadataKeys.Sequence], schema[BatchMetadataKeys.Sequence]);
            Assert.Equal($"wearables/study-1/site-1/{schema[BatchMetadataKeys.Participant]}/{schema[BatchMetadataKeys.StreamId]}", message.Topic);
            Assert.Equal(batch.Length.ToString(CultureInfo.InvariantCulture), properties[BatchMessage.RowsProperty]);
            var identity = (properties[BatchMetadataKeys.Stream], long.Parse(properties[BatchMetadataKeys.Sequence], CultureInfo.InvariantCulture));
            if (!landed.TryAdd(identity, batch.Length))
            {
                duplicates++;
            }

            Assert.Equal(requireReceipts, message.ResponseTopic is not null);
            if (message.ResponseTopic is { } responseTopic)
            {
                Assert.Equal(MqttBatchPublisher.ReceiptTopicOf("study-1", "hub-e2e"), responseTopic);
                var result = await platform.PublishAsync(responseTopic, ReadOnlyMemory<byte>.Empty, new MqttPublishProperties
                {
                    CorrelationData = message.CorrelationData,
                    UserProperties = [new(MqttBatchPublisher.ReceiptProperty, "stored")],
                });
                Assert.True(result.IsSuccess, result.ToString());
            }
        }

        Assert.NotNull(stopping);
        await stopping;
        await service.Completion;
        var status = service.Status;
        await service.DisposeAsync();
        await publisher.DisposeAsync();

        foreach (var ((device, stream), decoder) in expected.Streams)
        {
            var key = SimulatedAdmission.Pseudonym(device) + "." + stream;
            var batches = landed.Where(l => l.Key.Stream == key).OrderBy(l => l.Key.Sequence).ToList();
            Assert.Equal(decoder.Counters.Samples, batches.Sum(b => b.Value));
            Assert.Equal(Enumerable.Range(0, batches.Count).Select(i => (long)i), batches.Select(b => b.Key.Sequence));
        }

        Assert.Equal(status.BatchesPublished, landed.Count + duplicates);
        Assert.Equal(status.BatchesSpooled, status.BatchesReleased);
        Assert.Equal(0, status.Backlog);
    }
}
