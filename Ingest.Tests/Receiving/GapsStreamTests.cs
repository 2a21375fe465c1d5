using Apache.Arrow;
using Apache.Arrow.Ipc;
using Apache.Arrow.Types;
using Ingest.Gateway.Receiving;
using Ingest.Pipeline.Batching;
using Ingest.Tests.Support;

namespace Ingest.Tests.Receiving;

/// <summary>Completeness against a device's gaps stream (<c>{device}.gaps</c>: hub_time = start, end, reason), read tolerantly.</summary>
public sealed class GapsStreamTests
{
    private const long Second = ReceivingTestBatches.SecondNs;

    /// <summary>
    /// A gaps batch shaped as main's service writes it (hub_time, end_time timestamp[ns, UTC], reason uint8);
    /// <paramref name="withEnd"/> false makes a schema without an end column.
    /// </summary>
    private static byte[] GapsPayload(long sequence, (long Start, long End, byte Reason)[] gaps, bool withEnd = true)
    {
        var utcNs = new TimestampType(TimeUnit.Nanosecond, "UTC");
        var start = new TimestampArray.Builder(utcNs);
        var end = new TimestampArray.Builder(utcNs);
        var reason = new UInt8Array.Builder();
        foreach (var gap in gaps)
        {
            start.Append(DateTimeOffset.UnixEpoch.AddTicks(gap.Start / 100));
            end.Append(DateTimeOffset.UnixEpoch.AddTicks(gap.End / 100));
            reason.Append(gap.Reason);
        }

        var fields = new List<Field> { new("hub_time", utcNs, false) };
        var arrays = new List<IArrowArray> { start.Build() };
        if (withEnd)
        {
            fields.Add(new Field("end_time", utcNs, false));
            arrays.Add(end.Build());
        }

        fields.Add(new Field("reason", UInt8Type.Default, false));
        arrays.Add(reason.Build());
        var schema = new Schema(fields,
        [
            new(BatchMetadataKeys.Hub, "hub-7"), new(BatchMetadataKeys.Stream, "sim-001.gaps"),
            new(BatchMetadataKeys.Sequence, sequence.ToString(System.Globalization.CultureInfo.InvariantCulture)),
            new(BatchMetadataKeys.Study, ReceivingTestBatches.Study), new(BatchMetadataKeys.Site, ReceivingTestBatches.Site),
            new(BatchMetadataKeys.Participant, ReceivingTestBatches.Participant), new(BatchMetadataKeys.Device, ReceivingTestBatches.Device),
            new(BatchMetadataKeys.StreamId, "gaps"),
        ]);
        using var batch = new RecordBatch(schema, arrays, gaps.Length);
        using var stream = new MemoryStream();
        using (var writer = new ArrowStreamWriter(stream, schema))
        {
            writer.WriteRecordBatch(batch);
            writer.WriteEnd();
        }

        return stream.ToArray();
    }

    private static void Land(BatchStore store, string topic, byte[] payload)
    {
        // No user properties: the MQTT 3.1.1 path, identity from the schema.
        var inspection = BatchInspector.Inspect(topic, payload, []);
        Assert.True(inspection.Outcome == BatchInspectionOutcome.Accepted, inspection.Reason);
        using (inspection.Batch!.Batch)
        {
            Assert.Equal(LandingOutcome.Stored, store.Land(inspection.Batch));
        }
    }

    private static void LandHeartRate(BatchStore store, long sequence, long firstNs)
    {
        var batch = ReceivingTestBatches.Make(sequence, firstNs: firstNs);
        var inspection = BatchInspector.Inspect(batch.Topic, batch.Payload, batch.Properties.UserProperties);
        using (inspection.Batch!.Batch)
        {
            store.Land(inspection.Batch);
        }
    }

    [Fact]
    public void Snapshot_DeviceReportedAGap_ConnectedTimeExcludesItAndCompletenessIsWhole()
    {
        var store = BatchStore.Open(Peers.NewScratchDirectory("receive-gaps"));
        var start = ReceivingTestBatches.StartNs;
        // Rows at 0..9 s and 20..29 s; the device says it was out of range from 10 s to 20 s (and a gap before the data, ignored).
        LandHeartRate(store, 0, start);
        LandHeartRate(store, 1, start + (20 * Second));
        Land(store, "wearables/cardio/site-04/P-0193/gaps", GapsPayload(0, [(start - (100 * Second), start - (50 * Second), 3), (start + (10 * Second), start + (20 * Second), 1)]));

        var reports = store.Snapshot();
        var heartRate = reports.Single(r => r.StreamId == "hr");
        Assert.Equal((30.0, 10.0, 20.0), (heartRate.SpanSeconds, heartRate.GapSeconds, heartRate.ConnectedSeconds));
        Assert.Equal(1.0, heartRate.Completeness!.Value, 9);
        var gaps = reports.Single(r => r.StreamId == "gaps");
        Assert.Null(gaps.Completeness);
        Assert.Equal(2L, gaps.Rows);
    }

    [Fact]
    public void GapsOf_ReasonCodes_BecomeTheirNames()
    {
        var start = ReceivingTestBatches.StartNs;
        var inspection = BatchInspector.Inspect("wearables/cardio/site-04/P-0193/gaps", GapsPayload(0, [(start, start + Second, 1), (start + Second, start + (2 * Second), 2), (start + (5 * Second), start + (9 * Second), 3)]), []);
        using var batch = inspection.Batch!.Batch;

        var gaps = BatchStore.GapsOf(batch);

        Assert.Equal(["disconnected", "intake-paused", "hub-down"], gaps.Select(g => g.Reason));
        Assert.Equal(start + (9 * Second), gaps[2].EndNs);
    }

    [Fact]
    public void Snapshot_GapsStreamWithoutAnEndColumn_IsLandedAndTheWholeSpanCounts()
    {
        var store = BatchStore.Open(Peers.NewScratchDirectory("receive-gaps-odd"));
        var start = ReceivingTestBatches.StartNs;
        LandHeartRate(store, 0, start);
        LandHeartRate(store, 1, start + (20 * Second));
        Land(store, "wearables/cardio/site-04/P-0193/gaps", GapsPayload(0, [(start + (10 * Second), start + (20 * Second), 1)], withEnd: false));

        var heartRate = store.Snapshot().Single(r => r.StreamId == "hr");
        Assert.Equal(0.0, heartRate.GapSeconds);
        Assert.Equal(20.0 / 30.0, heartRate.Completeness!.Value, 9);
    }
}
