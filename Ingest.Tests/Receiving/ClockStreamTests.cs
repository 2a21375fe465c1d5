using Ingest.Gateway.Receiving;
using Ingest.Pipeline.Batching;
using Ingest.Pipeline.Clocks;
using Ingest.Pipeline.Columns;
using Ingest.Pipeline.Publishing;
using Ingest.Pipeline.Publishing.Mqtt;
using Ingest.Pipeline.Service;
using Ingest.Tests.Support;

namespace Ingest.Tests.Receiving;

/// <summary>The receiver lands a device's clock stream (<c>{device}.clock</c>) as the hub's service seals it, like the gaps stream.</summary>
public sealed class ClockStreamTests
{
    private const long Second = ReceivingTestBatches.SecondNs;

    [Fact]
    public void Land_ClockBatchAsTheServiceSealsIt_IsStoredAsParquetWithoutCompletenessAndLeavesDataCompletenessAlone()
    {
        var output = Peers.NewScratchDirectory("receive-clock");
        var store = BatchStore.Open(output);
        var start = ReceivingTestBatches.StartNs;
        var heartRate = ReceivingTestBatches.Make(0, rows: 10, firstNs: start);
        var inspected = BatchInspector.Inspect(heartRate.Topic, heartRate.Payload, heartRate.Properties.UserProperties);
        using (inspected.Batch!.Batch)
        {
            Assert.Equal(LandingOutcome.Stored, store.Land(inspected.Batch));
        }

        var clock = ClockBatch(start);
        var inspection = BatchInspector.Inspect(clock.Topic, clock.Payload, clock.Properties);
        Assert.True(inspection.Outcome == BatchInspectionOutcome.Accepted, inspection.Reason);
        using (inspection.Batch!.Batch)
        {
            Assert.Equal(LandingOutcome.Stored, store.Land(inspection.Batch));
        }

        var reports = store.Snapshot();
        var report = reports.Single(r => r.StreamId == ClockRows.StreamId);
        Assert.Equal(3L, report.Rows);
        Assert.Null(report.Completeness);
        Assert.Equal(1.0, reports.Single(r => r.StreamId == "hr").Completeness!.Value, 9);
        var parquet = Directory.EnumerateFiles(Path.Combine(output, ParquetLanding.Folder), "*.parquet", SearchOption.AllDirectories).ToList();
        Assert.Contains(parquet, path => path.Contains(ClockRows.StreamId, StringComparison.Ordinal));
    }

    private static (string Topic, byte[] Payload, IReadOnlyList<KeyValuePair<string, string>> Properties) ClockBatch(long start)
    {
        var origin = new StreamOrigin(ReceivingTestBatches.Study, ReceivingTestBatches.Site, ReceivingTestBatches.Participant,
            ReceivingTestBatches.Device, ClockRows.StreamId, null);
        var description = ClockRows.Describe("1.0.0", origin);
        var columns = new StreamColumns(ClockRows.Schema, 4);
        ClockRows.Append(columns, DeviceClockEvent.ConnectionStart, new DeviceClockEstimate(start, start - (90 * Second), 90 * Second, double.NaN, 1, -1));
        ClockRows.Append(columns, DeviceClockEvent.Estimate, new DeviceClockEstimate(start + (70 * Second), start - (20 * Second), 90 * Second - 3_500_000, -50.1, 480, 800_000));
        ClockRows.Append(columns, DeviceClockEvent.Reset, new DeviceClockEstimate(start + (80 * Second), DeviceClockLimits.ResetEpochNs, start + (80 * Second) - DeviceClockLimits.ResetEpochNs, double.NaN, 1, -1));
        using var encoder = new ArrowBatchEncoder(ClockRows.Schema, description);
        var identity = new BatchIdentity("hub-7", ReceivingTestBatches.Device + "." + ClockRows.StreamId, 0);
        var payload = encoder.EncodeStream(columns, identity).ToArray();
        var (first, last) = ArrowBatchEncoder.TimeRange(columns);
        var address = new BatchAddress(ReceivingTestBatches.Study, ReceivingTestBatches.Site, ReceivingTestBatches.Participant, ClockRows.StreamId);
        return (address.Topic, payload, BatchMessage.Properties(identity, description, 3, first, last, payload).UserProperties);
    }
}
