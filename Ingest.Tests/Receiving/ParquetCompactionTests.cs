using Ingest.Gateway.Receiving;
using Ingest.Tests.Support;

namespace Ingest.Tests.Receiving;

/// <summary>Compaction of closed days: one file per stream and date, same rows for DuckDB, re-runs idempotent, late batches merged.</summary>
public sealed class ParquetCompactionTests
{
    private static void Land(BatchStore store, long sequence, long? firstNs = null)
    {
        var batch = ReceivingTestBatches.Make(sequence, firstNs: firstNs);
        var inspection = BatchInspector.Inspect(batch.Topic, batch.Payload, batch.Properties.UserProperties);
        using (inspection.Batch!.Batch)
        {
            store.Land(inspection.Batch);
        }
    }

    private static string[] ParquetFiles(string directory) =>
        [.. Directory.GetFiles(Path.Combine(directory, "parquet"), "*.parquet", SearchOption.AllDirectories).Select(Path.GetFileName).Order()!];

    [Fact]
    public async Task Compact_ClosedDay_OneFilePerStreamWithTheSameRowsAndReRunsAreNoOps()
    {
        var directory = Peers.NewScratchDirectory("receive-compact");
        var store = BatchStore.Open(directory);
        for (var sequence = 0; sequence < 5; sequence++)
        {
            Land(store, sequence);
        }

        // Sequence 5 starts 4 s before midnight: 4 rows on the 30th (compacted), 6 on the 1st (still open, left alone).
        Land(store, 5, firstNs: ReceivingTestBatches.StartNs + (86_400 * ReceivingTestBatches.SecondNs) - (4 * ReceivingTestBatches.SecondNs));
        using var duck = DuckDb.Open();
        var query = $"SELECT CAST(date AS VARCHAR), count(*), CAST(sum(heart_rate) AS BIGINT), count(DISTINCT wearable_sequence) FROM {DuckDb.Parquet(directory)} GROUP BY ALL ORDER BY 1";
        var before = DuckDb.Rows(duck, query).Select(r => string.Join(',', r)).ToArray();

        var (written, removed) = await ParquetCompaction.CompactAsync(directory, new DateOnly(2025, 12, 1));

        Assert.Equal((1, 6), (written, removed));
        Assert.Equal(["hub-7_sim-001.hr_2025-11-30.parquet", "hub-7_sim-001.hr_5_1.parquet"], ParquetFiles(directory));
        Assert.Equal(before, DuckDb.Rows(duck, query).Select(r => string.Join(',', r)).ToArray());
        var compacted = Directory.GetFiles(Path.Combine(directory, "parquet"), "*_2025-11-30.parquet", SearchOption.AllDirectories).Single();
        var metadata = DuckDb.Rows(duck, $"SELECT decode(key), decode(value) FROM parquet_kv_metadata('{compacted}')").ToDictionary(r => (string)r[0]!, r => (string)r[1]!);
        Assert.Equal(("true", "0", "5"), (metadata[ParquetCompaction.CompactedKey], metadata[ParquetCompaction.FirstSequenceKey], metadata[ParquetCompaction.LastSequenceKey]));
        Assert.Equal("/min", metadata["heart_rate.unit"]);
        Assert.False(metadata.ContainsKey("wearable.sequence"));

        Assert.Equal((0, 0), await ParquetCompaction.CompactAsync(directory, new DateOnly(2025, 12, 1)));

        // A late batch for the closed day, and a per-batch copy of one already compacted (a ledger rebuilt after a crash).
        Land(store, 6, firstNs: ReceivingTestBatches.StartNs + (3_600 * ReceivingTestBatches.SecondNs));
        File.Copy(Path.Combine(directory, BatchStore.StagingFolder, "hub-7", "sim-001.hr", "2.arrows"), Path.Combine(directory, "scratch-2.arrows"));
        var again = BatchInspector.InspectStaged(await File.ReadAllBytesAsync(Path.Combine(directory, "scratch-2.arrows")));
        using (again.Batch!.Batch)
        {
            ParquetLanding.Write(directory, again.Batch);
        }

        Assert.Equal((1, 2), await ParquetCompaction.CompactAsync(directory, new DateOnly(2025, 12, 1)));
        var row = Assert.Single(DuckDb.Rows(duck, $"SELECT count(*), count(DISTINCT wearable_sequence) FROM {DuckDb.Parquet(directory)} WHERE date = '2025-11-30'"));
        Assert.Equal([64L, 7L], row.Select(Convert.ToInt64));
    }
}
