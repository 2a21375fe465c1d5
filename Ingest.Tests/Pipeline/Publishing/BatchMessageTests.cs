using System.Globalization;
using Apache.Arrow.Ipc;
using Ingest.Pipeline.Batching;
using Ingest.Pipeline.Columns;
using Ingest.Pipeline.Decoding;
using Ingest.Pipeline.Decoding.Sig;
using Ingest.Pipeline.Publishing;
using Ingest.Pipeline.Publishing.Mqtt;
using Ingest.Pipeline.Simulation.Sig;
using Ingest.Tests.Mqtt.Support;
using static Ingest.Tests.Mqtt.Support.MqttTestClients;

namespace Ingest.Tests.Pipeline.Publishing;

/// <summary>The MQTT contract of a batch (docs/wire/mqtt-contract.md): topic levels, and the properties a receiver gets.</summary>
public sealed class BatchMessageTests
{
    [Fact]
    public void BatchAddress_ValidLevels_BuildTheDataTopic()
    {
        var address = new BatchAddress("cardio-2026", "site-04", "P-0193", "ecg");

        Assert.Equal("wearables/cardio-2026/site-04/P-0193/ecg", address.Topic);
    }

    [Theory]
    [InlineData("", "is empty")]
    [InlineData("a/b", "contains '/'")]
    [InlineData("a+", "contains '+'")]
    [InlineData("#", "contains '#'")]
    [InlineData("P 0193", "contains ' '")]
    [InlineData("P\u00000193", "contains 'U+0000'")]
    public void BatchAddress_BadParticipant_IsRefusedNamingTheLevelAndTheProblem(string participant, string problem)
    {
        var error = Assert.Throws<ArgumentException>(() => new BatchAddress("study", "site", participant, "ecg"));

        Assert.Contains("participant", error.Message, StringComparison.Ordinal);
        Assert.Contains(problem, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void BatchAddress_LevelLongerThanTheLimit_IsRefused()
    {
        var error = Assert.Throws<ArgumentException>(() => new BatchAddress(new string('s', BatchAddress.MaximumLevelBytes + 1), "site", "p", "ecg"));

        Assert.Contains($"at most {BatchAddress.MaximumLevelBytes}", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Properties_OfAnEncodedBatch_ArriveThroughMosquittoAndAgreeWithThePayload()
    {
        var description = new StreamDescription("generic-heart-rate-strap", "1.0.0", HeartRateMeasurementDecoder.Name);
        var decoder = new StreamDecoder(new HeartRateMeasurementDecoder());
        var frame = new byte[32];
        for (var i = 0; i < 5; i++)
        {
            var length = HeartRateMeasurementEncoder.Encode(new HeartRateMeasurement((ushort)(70 + i), false, 3, null, new ushort[] { (ushort)(800 + i) }), frame);
            Assert.Equal(1, decoder.Decode(frame.AsSpan(0, length), 1_764_500_000_000_000_000 + (i * 1_000_000_000L)).Rows);
        }

        using var encoder = new ArrowBatchEncoder(decoder.Schema, description);
        var identity = new BatchIdentity("hub-7", "P-0193/hr", 42);
        var payload = encoder.EncodeStream(decoder.Columns, identity).ToArray();
        var (first, last) = ArrowBatchEncoder.TimeRange(decoder.Columns);
        var address = new BatchAddress("cardio", "site-04", "P-0193", "hr");

        await using var broker = await MosquittoBroker.StartAsync("batch-contract");
        await using var subscriber = await SubscriberAsync(Options(broker, "contract-sub"), "wearables/#");
        await using var publisher = new MqttPublisher(Options(broker, "contract-pub"));
        await publisher.ConnectAsync();
        var result = await publisher.PublishAsync(address.Topic, payload,
            BatchMessage.Properties(identity, description, decoder.Columns.RowCount, first, last, payload));
        Assert.True(result.IsSuccess, result.ToString());

        var received = await ReceiveAsync(subscriber);
        Assert.Equal("wearables/cardio/site-04/P-0193/hr", received.Topic);
        Assert.Equal(BatchMessage.ContentType, received.ContentType);
        Assert.Equal(payload, received.Payload.ToArray());
        var properties = received.UserProperties.ToDictionary(p => p.Key, p => p.Value);
        Assert.Equal(BatchMessage.Sha256Hex(received.Payload.Span), properties[BatchMessage.Sha256Property]);
        Assert.Equal("5", properties[BatchMessage.RowsProperty]);

        // Every identity and provenance property equals the schema metadata a 3.1.1 receiver would read instead.
        using var reader = new ArrowStreamReader(received.Payload);
        var batch = reader.ReadNextRecordBatch();
        Assert.Equal(5, batch.Length);
        var metadata = reader.Schema.Metadata;
        foreach (var key in new[]
        {
            BatchMetadataKeys.Hub, BatchMetadataKeys.Stream, BatchMetadataKeys.Sequence, BatchMetadataKeys.FirstHubTime,
            BatchMetadataKeys.LastHubTime, BatchMetadataKeys.ProfileId, BatchMetadataKeys.ProfileVersion,
        })
        {
            Assert.Equal(metadata[key], properties[key]);
        }

        Assert.Equal(identity.Sequence.ToString(CultureInfo.InvariantCulture), properties[BatchMetadataKeys.Sequence]);
    }
}
