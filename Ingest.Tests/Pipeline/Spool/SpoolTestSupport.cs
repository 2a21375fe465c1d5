using Ingest.Pipeline.Batching;
using Ingest.Pipeline.Spool;

namespace Ingest.Tests.Pipeline.Spool;

internal static class SpoolTestSupport
{
    public static SpoolOptions Options(long segmentBytes = 4096, long maxTotalBytes = 16 * 1024 * 1024, int commitBytes = 1, TimeSpan? commitWindow = null) => new()
    {
        Directory = "sim",
        SegmentBytes = segmentBytes,
        MaxTotalBytes = maxTotalBytes,
        CommitBytes = commitBytes,
        CommitWindow = commitWindow ?? TimeSpan.Zero,
        CheckpointInterval = TimeSpan.Zero,
    };

    public static BatchIdentity Identity(long sequence, string stream = "p-0042/ecg") => new("hub-7", stream, sequence);

    /// <summary>A payload that names its sequence, so a record returned with wrong bytes is caught.</summary>
    public static byte[] Payload(long sequence, int length = 300)
    {
        var bytes = new byte[length];
        var random = new Random((int)sequence * 7919 + length);
        random.NextBytes(bytes);
        return bytes;
    }

    public static int Rows(long sequence) => 10 + (int)(sequence % 50);

    /// <summary>Reads every unreleased record present now (stops when none arrives for a moment).</summary>
    public static async Task<List<SpoolRecord>> ReadPendingAsync(SegmentSpool spool)
    {
        var records = new List<SpoolRecord>();
        // Committed records are indexed before their append returns, so they come at once; the quiet period only ends the read.
        using var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(60));
        try
        {
            await foreach (var record in spool.ReadAllAsync(cts.Token))
            {
                records.Add(record);
                cts.CancelAfter(TimeSpan.FromMilliseconds(60));
            }
        }
        catch (OperationCanceledException)
        {
        }

        return records;
    }

    public static void AssertIntact(SpoolRecord record)
    {
        Assert.Equal(Payload(record.Identity.Sequence, record.Payload.Length), record.Payload.ToArray());
        Assert.Equal(Rows(record.Identity.Sequence), record.RowCount);
    }
}
