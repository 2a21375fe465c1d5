using Ingest.Pipeline.Spool;
using static Ingest.Tests.Pipeline.Spool.SpoolTestSupport;

namespace Ingest.Tests.Pipeline.Spool;

public sealed class SegmentSpoolReadTests
{
    [Fact]
    public async Task ReadAllAsync_WaitingReader_GetsRecordsAsTheyBecomeDurable()
    {
        var disk = new SimulatedDisk();
        await using var spool = SegmentSpool.Open(Options(), disk);
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        var reader = Task.Run(async () =>
        {
            var got = new List<long>();
            await foreach (var record in spool.ReadAllAsync(cts.Token))
            {
                AssertIntact(record);
                got.Add(record.Identity.Sequence);
                if (got.Count == 5)
                {
                    break;
                }
            }

            return got;
        });

        for (var s = 0; s < 5; s++)
        {
            await Task.Delay(10);
            await spool.AppendAsync(Identity(s), Rows(s), Payload(s));
        }

        Assert.Equal([0L, 1L, 2L, 3L, 4L], await reader);
    }

    [Fact]
    public async Task DisposeAsync_QueuedAppends_AreWrittenFirst()
    {
        var disk = new SimulatedDisk();
        var spool = SegmentSpool.Open(Options(commitBytes: 1 << 20, commitWindow: TimeSpan.FromSeconds(5)), disk);
        var appends = Enumerable.Range(0, 5).Select(s => spool.AppendAsync(Identity(s), Rows(s), Payload(s)).AsTask()).ToArray();
        await spool.DisposeAsync();

        await Task.WhenAll(appends).WaitAsync(TimeSpan.FromSeconds(10));
        await using var reopened = SegmentSpool.Open(Options(), disk.Crash(new Random(6), tear: false));
        Assert.Equal(5, (await ReadPendingAsync(reopened)).Count);
        await Assert.ThrowsAsync<ObjectDisposedException>(() => spool.AppendAsync(Identity(9), 1, Payload(9)).AsTask());
    }

    [Fact]
    public async Task Recover_CorruptCheckpoint_QuarantinedAndEverythingRepublished()
    {
        var disk = new SimulatedDisk();
        await using (var spool = SegmentSpool.Open(Options(), disk))
        {
            var first = await spool.AppendAsync(Identity(0), Rows(0), Payload(0));
            await spool.AppendAsync(Identity(1), Rows(1), Payload(1));
            spool.Release(first, SpoolReleaseMode.PublishAcknowledged);
            await spool.CheckpointNowAsync();
        }

        var checkpoint = disk.ReadAll(SegmentSpool.CheckpointName);
        checkpoint[9] ^= 0xFF;
        disk.WriteDurably(SegmentSpool.CheckpointName, checkpoint);

        await using var reopened = SegmentSpool.Open(Options(), disk);
        Assert.False(reopened.Recovery.CheckpointValid);
        Assert.Contains(reopened.Recovery.QuarantineFiles, f => f.StartsWith("quarantine/checkpoint-", StringComparison.Ordinal));
        Assert.Equal([0L, 1L], (await ReadPendingAsync(reopened)).Select(r => r.Identity.Sequence));
    }

    [Fact]
    public async Task Checkpoint_FailedSync_NotTrustedAndNothingReclaimed()
    {
        var disk = new SimulatedDisk();
        // A long interval: checkpoints happen only when asked for, so the test sees each attempt.
        await using var spool = SegmentSpool.Open(Options(segmentBytes: 4096) with { CheckpointInterval = TimeSpan.FromMinutes(5) }, disk);
        var positions = new List<SpoolPosition>();
        for (var s = 0; s < 10; s++)
        {
            positions.Add(await spool.AppendAsync(Identity(s), Rows(s), Payload(s, 900)));
        }

        disk.FailDataSyncs = 1;
        positions.ForEach(p => spool.Release(p, SpoolReleaseMode.PublishAcknowledged));
        await spool.CheckpointNowAsync();

        var stats = spool.Statistics;
        Assert.Equal(1, stats.CheckpointFailures);
        Assert.Equal(0, stats.SegmentsDeleted + stats.SegmentsRecycled);
        Assert.Null(spool.Fault); // appends are unaffected: the checkpoint is rewritten from scratch next time

        var usedBefore = stats.UsedBytes;
        await spool.CheckpointNowAsync();
        Assert.Equal(1, spool.Statistics.Checkpoints);
        Assert.True(spool.Statistics.UsedBytes < usedBefore, "the next, successful checkpoint reclaims");
    }
}
