using Ingest.Gateway.Receiving;
using Ingest.Tests.Support;

namespace Ingest.Tests.Receiving;

/// <summary>Landing without a broker: staging by identity, Parquet partitions read back by DuckDB, the ledger across restarts.</summary>
public sealed class BatchStoreTests
{
    private static ReceivedBatch Inspect(TestBatch batch)
    {
        var inspection = BatchInspector.Inspect(batch.Topic, batch.Payload, batch.Properties.UserProperties);
        Assert.True(inspection.Outcome == BatchInspectionOutcome.Accepted, inspection.Reason);
        return inspection.Batch!;
    }

    private static LandingOutcome Land(BatchStore store, TestBatch batch)
    {
        var received = Inspect(batch);
        using (received.Batch)
        {
            return store.Land(received);
        }
    }

    [Fact]
    public void Land_ThreeBatches_DuckDbReadsEveryRowWithExactValuesAndPartitions()
    {
        var directory = Peers.NewScratchDirectory("receive-land");
        var store = BatchStore.Open(directory);
        for (var sequence = 0; sequence < 3; sequence++)
        {
            Assert.Equal(LandingOutcome.Stored, Land(store, ReceivingTestBatches.Make(sequence)));
        }

        using var duck = DuckDb.Open();
        var rows = DuckDb.Rows(duck, $"""
            SELECT count(*), CAST(sum(heart_rate) AS BIGINT), count(DISTINCT wearable_sequence), min(study), min(participant), min(stream), min(CAST(date AS VARCHAR)),
                   min(hub_time), max(hub_time), min(wearable_hub), min(wearable_stream)
            FROM {DuckDb.Parquet(directory)}
            """);
        var row = Assert.Single(rows);
        Assert.Equal(30L, Convert.ToInt64(row[0]));
        Assert.Equal(Enumerable.Range(0, 30).Sum(i => 60 + i), Convert.ToInt64(row[1]));
        Assert.Equal(3L, Convert.ToInt64(row[2]));
        Assert.Equal(["cardio", "P-0193", "hr", "2025-11-30"], row[3..7].Select(v => v?.ToString()));
        // DuckDB reads UTC ns as µs TIMESTAMPTZ (libraries.md): compare at µs.
        Assert.Equal(DateTime.UnixEpoch.AddTicks(ReceivingTestBatches.StartNs / 100), ToUtc(row[7]));
        Assert.Equal(DateTime.UnixEpoch.AddTicks((ReceivingTestBatches.StartNs + (29 * ReceivingTestBatches.SecondNs)) / 100), ToUtc(row[8]));
        Assert.Equal("hub-7", row[9]);
        Assert.Equal("sim-001.hr", row[10]);

        // Field metadata flattened beside the batch's identity in the file's key-value metadata.
        var file = Directory.GetFiles(Path.Combine(directory, "parquet"), "*_0.parquet", SearchOption.AllDirectories).Single();
        Assert.Equal(Path.Combine(directory, "parquet", "study=cardio", "participant=P-0193", "stream=hr", "date=2025-11-30", "hub-7_sim-001.hr_0.parquet"), file);
        var metadata = DuckDb.Rows(duck, $"SELECT decode(key), decode(value) FROM parquet_kv_metadata('{file}')")
            .ToDictionary(r => (string)r[0]!, r => (string)r[1]!);
        Assert.Equal("/min", metadata["heart_rate.unit"]);
        Assert.Equal("0.0009765625", metadata["rr_interval.scale"]);
        Assert.Equal("hub-7", metadata["wearable.hub"]);
        Assert.Equal("0", metadata["wearable.sequence"]);
        Assert.Equal("1", metadata["wearable.stream.nominal_rate_hz"]);
        Assert.Equal(64, metadata["wearable.sha256"].Length);
    }

    private static DateTime ToUtc(object? value) => value switch
    {
        DateTimeOffset offset => offset.UtcDateTime,
        DateTime time => time.ToUniversalTime(),
        _ => throw new InvalidOperationException($"not a time: {value?.GetType()}"),
    };

    [Fact]
    public void Land_SameBatchTwice_SecondIsADuplicateAndNothingIsWrittenAgain()
    {
        var directory = Peers.NewScratchDirectory("receive-duplicate");
        var store = BatchStore.Open(directory);
        var batch = ReceivingTestBatches.Make(0);

        Assert.Equal(LandingOutcome.Stored, Land(store, batch));
        var written = File.GetLastWriteTimeUtc(Directory.GetFiles(Path.Combine(directory, "parquet"), "*.parquet", SearchOption.AllDirectories).Single());
        Assert.Equal(LandingOutcome.Duplicate, Land(store, batch));

        Assert.Equal(written, File.GetLastWriteTimeUtc(Directory.GetFiles(Path.Combine(directory, "parquet"), "*.parquet", SearchOption.AllDirectories).Single()));
        var stream = Assert.Single(store.Snapshot());
        Assert.Equal((1L, 1L, 10L), (stream.Batches, stream.Duplicates, stream.Rows));
    }

    [Fact]
    public void Land_SameIdentityDifferentBytes_IsAConflictAndBothAreKept()
    {
        var directory = Peers.NewScratchDirectory("receive-conflict");
        var store = BatchStore.Open(directory);

        Assert.Equal(LandingOutcome.Stored, Land(store, ReceivingTestBatches.Make(0, rows: 10)));
        Assert.Equal(LandingOutcome.Conflict, Land(store, ReceivingTestBatches.Make(0, rows: 5)));

        var staged = Directory.GetFiles(Path.Combine(directory, BatchStore.StagingFolder), "*.arrows", SearchOption.AllDirectories);
        Assert.Equal(2, staged.Length);
        Assert.Contains(staged, path => Path.GetFileName(path).StartsWith("0.conflict-", StringComparison.Ordinal));
        using var duck = DuckDb.Open();
        Assert.Equal(10L, Convert.ToInt64(DuckDb.Scalar(duck, $"SELECT count(*) FROM {DuckDb.Parquet(directory)}")));
        Assert.Equal(1L, Assert.Single(store.Snapshot()).Conflicts);
    }

    [Fact]
    public void Land_BatchCrossingMidnightUtc_IsSplitIntoTheTwoDatePartitions()
    {
        var directory = Peers.NewScratchDirectory("receive-midnight");
        var store = BatchStore.Open(directory);
        // 4 rows before midnight (23:59:56..59), 6 after.
        Assert.Equal(LandingOutcome.Stored, Land(store, ReceivingTestBatches.Make(0, rows: 10, firstNs: ReceivingTestBatches.StartNs - (4 * ReceivingTestBatches.SecondNs))));

        using var duck = DuckDb.Open();
        var perDate = DuckDb.Rows(duck, $"SELECT CAST(date AS VARCHAR), count(*), min(hub_time) FROM {DuckDb.Parquet(directory)} GROUP BY ALL ORDER BY 1")
            .Select(r => ((string)r[0]!, Convert.ToInt64(r[1]))).ToArray();
        Assert.Equal([("2025-11-29", 4L), ("2025-11-30", 6L)], perDate);
        Assert.Equal(2, Directory.GetFiles(Path.Combine(directory, "parquet"), "hub-7_sim-001.hr_0_*.parquet", SearchOption.AllDirectories).Length);
    }

    [Fact]
    public void Open_AfterARestart_TheLedgerKeepsMissingSequencesAndCounts()
    {
        var directory = Peers.NewScratchDirectory("receive-ledger");
        var store = BatchStore.Open(directory);
        foreach (var sequence in new[] { 0, 1, 3, 6 })
        {
            Land(store, ReceivingTestBatches.Make(sequence));
        }

        Land(store, ReceivingTestBatches.Make(1));
        store.SaveLedger();

        var reopened = BatchStore.Open(directory);
        var stream = Assert.Single(reopened.Snapshot());
        Assert.Equal((4L, 40L, 1L, 3L), (stream.Batches, stream.Rows, stream.Duplicates, stream.MissingSequences));
        Assert.Equal(["2", "4-5"], stream.MissingRanges);

        Assert.Equal(LandingOutcome.Duplicate, Land(reopened, ReceivingTestBatches.Make(3)));
        Assert.Equal(LandingOutcome.Stored, Land(reopened, ReceivingTestBatches.Make(2)));
        Assert.Equal(["4-5"], Assert.Single(reopened.Snapshot()).MissingRanges);
    }

    [Fact]
    public void Open_StagedBatchesTheLedgerNeverSaw_AreLandedAgainFromStaging()
    {
        var directory = Peers.NewScratchDirectory("receive-reconcile");
        var store = BatchStore.Open(directory);
        Land(store, ReceivingTestBatches.Make(0));
        Land(store, ReceivingTestBatches.Make(1));
        // A crash before the ledger was saved and before one Parquet file was renamed into place.
        Directory.Delete(Path.Combine(directory, "parquet"), recursive: true);

        var reopened = BatchStore.Open(directory);

        Assert.Equal(2, reopened.RecoveredOnOpen);
        Assert.Equal((2L, 20L), (Assert.Single(reopened.Snapshot()).Batches, Assert.Single(reopened.Snapshot()).Rows));
        using var duck = DuckDb.Open();
        Assert.Equal(20L, Convert.ToInt64(DuckDb.Scalar(duck, $"SELECT count(*) FROM {DuckDb.Parquet(directory)}")));
    }

    [Fact]
    public void Snapshot_CompletenessIsRowsOverRateTimesSpanMinusTheDevicesGaps()
    {
        var directory = Peers.NewScratchDirectory("receive-completeness");
        var store = BatchStore.Open(directory);
        // Sequences 0 and 2 of 10 rows at 1 Hz: rows at 0..9 s and 20..29 s, span 30 s (29 s + one period), 20 rows.
        Land(store, ReceivingTestBatches.Make(0));
        Land(store, ReceivingTestBatches.Make(2));

        var stream = Assert.Single(store.Snapshot());

        Assert.Equal(30.0, stream.SpanSeconds, 6);
        Assert.Equal(30.0, stream.ConnectedSeconds, 6);
        Assert.Equal(20.0 / 30.0, stream.Completeness!.Value, 6);
        Assert.Equal(["1"], stream.MissingRanges);
    }

    [Fact]
    public void Overlap_OverlappingAndClippedGaps_CountOnce()
    {
        var gaps = new[] { new GapInterval(0, 10, null), new GapInterval(5, 20, null), new GapInterval(30, 40, null), new GapInterval(95, 200, null) };

        Assert.Equal(20 + 10 + 5, Completeness.Overlap(gaps, 0, 100));
    }
}
