using Ingest.Pipeline.Batching;
using Ingest.Pipeline.Decoding;
using Ingest.Pipeline.Decoding.Sig;
using Ingest.Pipeline.Publishing;
using Ingest.Pipeline.Publishing.Mqtt;
using Ingest.Pipeline.Simulation.Sig;

namespace Ingest.Tests.Receiving;

/// <summary>One batch as a hub publishes it: topic, payload and MQTT 5 properties (docs/wire/mqtt-contract.md).</summary>
internal sealed record TestBatch(BatchIdentity Identity, string Topic, byte[] Payload, MqttPublishProperties Properties, int Rows, long FirstNs);

/// <summary>
/// Heart-rate batches made the hub's way: genuine notifications through the HR decoder, sealed by <see cref="ArrowBatchEncoder"/>
/// with an origin, properties from <c>BatchMessage.Properties</c>. One row per second, so expected values are exact.
/// </summary>
internal static class ReceivingTestBatches
{
    public const string Study = "cardio";
    public const string Site = "site-04";
    public const string Participant = "P-0193";
    public const string Device = "sim-001";
    public const string StreamId = "hr";
    public const double RateHz = 1.0;

    /// <summary>2025-11-30T00:00:00Z: a round hour to make partition dates obvious.</summary>
    public const long StartNs = 1_764_460_800_000_000_000;

    public const long SecondNs = 1_000_000_000;

    public static StreamOrigin Origin(string participant = Participant, string device = Device) => new(Study, Site, participant, device, StreamId, RateHz);

    /// <summary>Batch <paramref name="sequence"/> of <paramref name="rows"/> rows starting at <paramref name="firstNs"/>; heart rate = 60 + row index in the stream.</summary>
    public static TestBatch Make(long sequence, int rows = 10, long? firstNs = null, string hub = "hub-7", string device = Device, string participant = Participant)
    {
        var description = new StreamDescription("generic-heart-rate-strap", "1.0.0", HeartRateMeasurementDecoder.Name) { Origin = Origin(participant, device) };
        var decoder = new StreamDecoder(new HeartRateMeasurementDecoder());
        var frame = new byte[32];
        var start = firstNs ?? StartNs + (sequence * rows * SecondNs);
        for (var i = 0; i < rows; i++)
        {
            var heartRate = (ushort)(60 + ((sequence * rows) + i) % 100);
            var length = HeartRateMeasurementEncoder.Encode(new HeartRateMeasurement(heartRate, false, 3, null, new ushort[] { 800 }), frame);
            Assert.Equal(1, decoder.Decode(frame.AsSpan(0, length), start + (i * SecondNs)).Rows);
        }

        using var encoder = new ArrowBatchEncoder(decoder.Schema, description);
        var identity = new BatchIdentity(hub, device + "." + StreamId, sequence);
        var payload = encoder.EncodeStream(decoder.Columns, identity).ToArray();
        var (first, last) = ArrowBatchEncoder.TimeRange(decoder.Columns);
        var address = new BatchAddress(Study, Site, participant, StreamId);
        return new TestBatch(identity, address.Topic, payload, BatchMessage.Properties(identity, description, rows, first, last, payload), rows, start);
    }

    /// <summary>The same properties asking for a receipt on <paramref name="receiptTopic"/> with the hub's correlation data.</summary>
    public static MqttPublishProperties WithReceipt(TestBatch batch, string receiptTopic) => new()
    {
        ContentType = batch.Properties.ContentType,
        UserProperties = batch.Properties.UserProperties,
        ResponseTopic = receiptTopic,
        CorrelationData = Ingest.Pipeline.Service.MqttBatchPublisher.CorrelationOf(batch.Identity),
    };
}
