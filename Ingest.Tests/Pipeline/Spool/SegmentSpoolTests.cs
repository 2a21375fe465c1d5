using Ingest.Pipeline.Spool;
using static Ingest.Tests.Pipeline.Spool.SpoolTestSupport;

namespace Ingest.Tests.Pipeline.Spool;

public sealed class SegmentSpoolTests
{
    [Fact]
    public async Task AppendAsync_ThenReopen_RecordsReadBackInOrder()
    {
        var disk = new SimulatedDisk();
        await using (var spool = SegmentSpool.Open(Options(), disk))
        {
            for (var s = 0; s < 30; s++)
            {
                await spool.AppendAsync(Identity(s), Rows(s), Payload(s));
            }
        }

        // A power cut right after the appends returned: only what was synced survives.
        await using var reopened = SegmentSpool.Open(Options(), disk.Crash(new Random(1), tear: false));
        var records = await ReadPendingAsync(reopened);
        Assert.Equal(Enumerable.Range(0, 30).Select(i => (long)i), records.Select(r => r.Identity.Sequence));
        records.ForEach(AssertIntact);
        Assert.Equal(30, reopened.Recovery.RecordsRecovered);
        Assert.Equal(30, reopened.Recovery.NextSequences[("hub-7", "p-0042/ecg")]);
        Assert.True(reopened.Recovery.CheckpointValid);
    }

    [Fact]
    public async Task AppendAsync_ConcurrentAppenders_ShareOneSync()
    {
        var disk = new SimulatedDisk();
        await using var spool = SegmentSpool.Open(Options(segmentBytes: 1 << 20, commitBytes: 64 * 1024, commitWindow: TimeSpan.FromMilliseconds(200)), disk);
        var syncsBefore = disk.DataSyncCalls;
        var appends = Enumerable.Range(0, 40).Select(s => spool.AppendAsync(Identity(s), Rows(s), Payload(s)).AsTask()).ToArray();
        var positions = await Task.WhenAll(appends);

        Assert.Equal(40, positions.Select(p => p.RecordNumber).Distinct().Count());
        Assert.InRange(disk.DataSyncCalls - syncsBefore, 1, 3);
        Assert.InRange(spool.Statistics.CommitGroups, 1, 3);
    }

    [Fact]
    public async Task AppendAsync_Returns_OnlyAfterDataSync()
    {
        var disk = new SimulatedDisk();
        await using var spool = SegmentSpool.Open(Options(), disk);
        await spool.AppendAsync(Identity(0), Rows(0), Payload(0));

        // Every acknowledged record survives a power cut that discards all unsynced writes and names.
        await using var after = SegmentSpool.Open(Options(), disk.Crash(new Random(2), tear: false));
        Assert.Single(await ReadPendingAsync(after));
    }

    [Fact]
    public async Task Recover_TornTailAtEveryOffset_KeepsEarlierRecordsAndAppendsAfter()
    {
        var disk = new SimulatedDisk();
        await using (var spool = SegmentSpool.Open(Options(segmentBytes: 1 << 20), disk))
        {
            for (var s = 0; s < 3; s++)
            {
                await spool.AppendAsync(Identity(s), Rows(s), Payload(s, 100));
            }
        }

        var name = SegmentSpool.SegmentName(0);
        var whole = disk.ReadAll(name);
        var lastLength = SpoolRecordFormat.Measure(Identity(2), 100);
        for (var cut = 0; cut < lastLength; cut++)
        {
            var torn = disk.Crash(new Random(cut), tear: false);
            torn.WriteDurably(name, whole[..(whole.Length - lastLength + cut)]);
            await using (var spool = SegmentSpool.Open(Options(segmentBytes: 1 << 20), torn))
            {
                var records = await ReadPendingAsync(spool);
                Assert.Equal([0L, 1L], records.Select(r => r.Identity.Sequence));
                Assert.Equal(cut, spool.Recovery.TornTailBytes);
                Assert.Equal(0, spool.Recovery.QuarantinedRecords);
                await spool.AppendAsync(Identity(2), Rows(2), Payload(2, 100));
            }

            await using var again = SegmentSpool.Open(Options(segmentBytes: 1 << 20), torn);
            var all = await ReadPendingAsync(again);
            Assert.Equal([0L, 1L, 2L], all.Select(r => r.Identity.Sequence));
            all.ForEach(AssertIntact);
            Assert.Equal(0, again.Recovery.TornTailBytes);
        }
    }

    [Theory]
    [InlineData(200)] // in the payload: header intact, record quarantined with its samples counted
    [InlineData(20)] // in the header: extent unknown, region quarantined
    public async Task Recover_FlippedByteInMiddleRecord_QuarantinedAndLaterRecordsKept(int offsetInRecord)
    {
        var disk = new SimulatedDisk();
        var positions = new List<SpoolPosition>();
        await using (var spool = SegmentSpool.Open(Options(segmentBytes: 1 << 20), disk))
        {
            for (var s = 0; s < 5; s++)
            {
                positions.Add(await spool.AppendAsync(Identity(s), Rows(s), Payload(s)));
            }
        }

        var name = SegmentSpool.SegmentName(0);
        var bytes = disk.ReadAll(name);
        bytes[positions[2].Offset + offsetInRecord] ^= 0x40;
        disk.WriteDurably(name, bytes);

        await using var reopened = SegmentSpool.Open(Options(segmentBytes: 1 << 20), disk);
        var records = await ReadPendingAsync(reopened);
        Assert.Equal([0L, 1L, 3L, 4L], records.Select(r => r.Identity.Sequence));
        records.ForEach(AssertIntact);
        var report = reopened.Recovery;
        if (offsetInRecord >= SpoolRecordFormat.HeaderBytes)
        {
            Assert.Equal((1L, (long)Rows(2), 0L), (report.QuarantinedRecords, report.QuarantinedSamples, report.QuarantinedRegions));
        }
        else
        {
            Assert.Equal((0L, 1L), (report.QuarantinedRecords, report.QuarantinedRegions));
        }

        var quarantine = Assert.Single(report.QuarantineFiles);
        Assert.StartsWith("quarantine/", quarantine, StringComparison.Ordinal);
        Assert.Equal(bytes.AsSpan((int)positions[2].Offset, (int)(positions[3].Offset - positions[2].Offset)).ToArray(), disk.ReadAll(quarantine));
        Assert.Equal(1, report.RecordNumberGaps);
    }

    [Fact]
    public async Task AppendAsync_FailedDataSync_FaultsAndIsNeverRetried()
    {
        var disk = new SimulatedDisk();
        var spool = SegmentSpool.Open(Options(), disk);
        await spool.AppendAsync(Identity(0), Rows(0), Payload(0));
        disk.FailDataSyncs = 1;

        var error = await Assert.ThrowsAsync<SpoolFaultedException>(() => spool.AppendAsync(Identity(1), Rows(1), Payload(1)).AsTask());
        Assert.IsType<IOException>(error.InnerException);
        var syncsAfterFailure = disk.DataSyncCalls;
        await Assert.ThrowsAsync<SpoolFaultedException>(() => spool.AppendAsync(Identity(1), Rows(1), Payload(1)).AsTask());
        Assert.NotNull(spool.Fault);
        Assert.Equal(syncsAfterFailure, disk.DataSyncCalls);
        await spool.DisposeAsync();

        // Reopening runs recovery; the failed group's record is not on disk (its pages were dropped).
        await using var reopened = SegmentSpool.Open(Options(), disk.Crash(new Random(3), tear: false));
        Assert.Equal([0L], (await ReadPendingAsync(reopened)).Select(r => r.Identity.Sequence));
        await reopened.AppendAsync(Identity(1), Rows(1), Payload(1));
    }

    [Fact]
    public async Task AppendAsync_DiskFull_FaultsThenReopensAfterSpaceIsFreed()
    {
        var disk = new SimulatedDisk();
        var spool = SegmentSpool.Open(Options(), disk);
        await spool.AppendAsync(Identity(0), Rows(0), Payload(0));
        disk.CapacityBytes = disk.AllNames().Sum(n => (long)disk.ReadAll(n).Length) + 100;

        await Assert.ThrowsAsync<SpoolFaultedException>(() => spool.AppendAsync(Identity(1), Rows(1), Payload(1)).AsTask());
        await spool.DisposeAsync();

        disk.CapacityBytes = null;
        await using var reopened = SegmentSpool.Open(Options(), disk);
        Assert.Equal([0L], (await ReadPendingAsync(reopened)).Select(r => r.Identity.Sequence));
        await reopened.AppendAsync(Identity(1), Rows(1), Payload(1));
    }

    [Fact]
    public async Task AppendAsync_SpoolFull_WaitsVisiblyAndResumesAfterRelease()
    {
        var disk = new SimulatedDisk();
        await using var spool = SegmentSpool.Open(Options(segmentBytes: 4096, maxTotalBytes: 8192), disk);
        var positions = new List<SpoolPosition>();
        Task<SpoolPosition>? blocked = null;
        for (var s = 0; s < 100; s++)
        {
            var append = spool.AppendAsync(Identity(s), Rows(s), Payload(s, 900)).AsTask();
            while (!append.IsCompleted && !spool.IsFull)
            {
                await Task.Delay(5);
            }

            if (!append.IsCompleted)
            {
                blocked = append;
                break;
            }

            positions.Add(await append);
        }

        Assert.NotNull(blocked);
        Assert.True(spool.IsFull);
        Assert.Equal(1, spool.Statistics.FullEvents);
        Assert.InRange(spool.Statistics.UsedBytes, 0, 8192);

        foreach (var position in positions)
        {
            Assert.Equal(SpoolReleaseResult.Released, spool.Release(position, SpoolReleaseMode.PublishAcknowledged));
        }

        var resumed = await blocked.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(positions[^1].RecordNumber + 1, resumed.RecordNumber);
        Assert.False(spool.IsFull);
        Assert.True(spool.Statistics.Checkpoints >= 1);
    }

    [Fact]
    public async Task Release_AllRecords_CheckpointReclaimsAndRecyclesSegments()
    {
        var disk = new SimulatedDisk();
        var options = Options(segmentBytes: 4096) with { RecyclePoolSegments = 1 };
        await using (var spool = SegmentSpool.Open(options, disk))
        {
            for (var round = 0; round < 4; round++)
            {
                var positions = new List<SpoolPosition>();
                for (var s = 0; s < 20; s++)
                {
                    positions.Add(await spool.AppendAsync(Identity((round * 20) + s), Rows(s), Payload(s, 900)));
                }

                var read = await ReadPendingAsync(spool);
                Assert.Equal(20, read.Count);
                foreach (var record in read)
                {
                    Assert.Equal(SpoolReleaseResult.Released, spool.Release(record.Position, SpoolReleaseMode.PublishAcknowledged));
                }

                Assert.Equal(SpoolReleaseResult.AlreadyReleased, spool.Release(positions[0], SpoolReleaseMode.PublishAcknowledged));
                await spool.CheckpointNowAsync();
            }

            var stats = spool.Statistics;
            Assert.True(stats.SegmentsRecycled > 0, "released segments are reused");
            Assert.True(stats.SegmentsDeleted > 0, "beyond the pool they are deleted");
            Assert.InRange(disk.ListFiles().Count(n => n.EndsWith(".seg", StringComparison.Ordinal)), 1, 3);
            Assert.Equal(0, stats.UnreleasedRecords);
        }

        await using var reopened = SegmentSpool.Open(options, disk.Crash(new Random(4), tear: false));
        Assert.Empty(await ReadPendingAsync(reopened));
        Assert.Equal(80, reopened.Recovery.NextSequences[("hub-7", "p-0042/ecg")] > 0 ? 80 : 0);
        var next = await reopened.AppendAsync(Identity(80), Rows(80), Payload(80));
        Assert.Equal(80, next.RecordNumber);
    }

    [Fact]
    public async Task Release_PubAckInPlatformReceiptMode_Ignored()
    {
        var disk = new SimulatedDisk();
        await using var spool = SegmentSpool.Open(Options() with { ReleaseMode = SpoolReleaseMode.PlatformReceipt }, disk);
        var position = await spool.AppendAsync(Identity(0), Rows(0), Payload(0));

        Assert.Equal(SpoolReleaseResult.IgnoredByReleaseMode, spool.Release(position, SpoolReleaseMode.PublishAcknowledged));
        Assert.Single(await ReadPendingAsync(spool));
        Assert.Equal(SpoolReleaseResult.Released, spool.Release(position, SpoolReleaseMode.PlatformReceipt));
        Assert.Empty(await ReadPendingAsync(spool));
        Assert.Equal(SpoolReleaseResult.Unknown, spool.Release(position with { RecordNumber = 99 }, SpoolReleaseMode.PlatformReceipt));
    }

    [Fact]
    public async Task Release_OutOfOrder_CheckpointKeepsLowestUnreleased()
    {
        var disk = new SimulatedDisk();
        var positions = new List<SpoolPosition>();
        await using (var spool = SegmentSpool.Open(Options(), disk))
        {
            for (var s = 0; s < 4; s++)
            {
                positions.Add(await spool.AppendAsync(Identity(s), Rows(s), Payload(s)));
            }

            spool.Release(positions[0], SpoolReleaseMode.PublishAcknowledged);
            spool.Release(positions[2], SpoolReleaseMode.PublishAcknowledged);
            await spool.CheckpointNowAsync();
        }

        // Record 2 was released above the unreleased record 1: published again (a duplicate, never a loss).
        await using var reopened = SegmentSpool.Open(Options(), disk.Crash(new Random(5), tear: false));
        Assert.Equal([1L, 2L, 3L], (await ReadPendingAsync(reopened)).Select(r => r.Identity.Sequence));
    }

    [Fact]
    public async Task Recover_MissingMiddleSegmentAndExtraFiles_ReportedRestKept()
    {
        var disk = new SimulatedDisk();
        await using (var spool = SegmentSpool.Open(Options(segmentBytes: 4096), disk))
        {
            for (var s = 0; s < 12; s++)
            {
                await spool.AppendAsync(Identity(s), Rows(s), Payload(s, 900));
            }
        }

        var segments = disk.ListFiles().Where(n => n.EndsWith(".seg", StringComparison.Ordinal)).Order().ToList();
        Assert.True(segments.Count >= 3);
        disk.DeleteDurably(segments[1]);
        disk.WriteDurably("notes.txt", [1, 2, 3]);
        disk.WriteDurably("0000000000000099.seg.bak", [1]);
        disk.DeleteDurably(SegmentSpool.CheckpointName);

        await using var reopened = SegmentSpool.Open(Options(segmentBytes: 4096), disk);
        var report = reopened.Recovery;
        Assert.Equal([1L], report.MissingSegments);
        Assert.Equal(["0000000000000099.seg.bak", "notes.txt"], report.UnknownFiles.Order());
        Assert.False(report.CheckpointValid);
        Assert.Equal(1, report.RecordNumberGaps);
        var records = await ReadPendingAsync(reopened);
        records.ForEach(AssertIntact);
        Assert.Equal(12 - 4, records.Count); // a 4096-byte segment holds four 954-byte records
        Assert.True(disk.Exists("notes.txt"));
        Assert.True(disk.Exists(SegmentSpool.CheckpointName), "the checkpoint is created at open");
    }

    [Fact]
    public async Task Recover_SegmentWithTwoGigabyteLengthField_RefusedNotAllocated()
    {
        var disk = new SimulatedDisk();
        await using (var spool = SegmentSpool.Open(Options(segmentBytes: 1 << 20), disk))
        {
            await spool.AppendAsync(Identity(0), Rows(0), Payload(0));
        }

        var name = SegmentSpool.SegmentName(0);
        var bytes = disk.ReadAll(name).ToList();
        var bogus = new byte[SpoolRecordFormat.Measure(Identity(1), 8)];
        SpoolRecordFormat.Write(bogus, Identity(1), 1, new byte[8]);
        System.Buffers.Binary.BinaryPrimitives.WriteInt32LittleEndian(bogus.AsSpan(40), 0x7FFF_FFF0);
        SpoolRecordFormat.Patch(bogus, 0, 1);
        bytes.AddRange(bogus);
        disk.WriteDurably(name, [.. bytes]);

        await using var reopened = SegmentSpool.Open(Options(segmentBytes: 1 << 20), disk);
        Assert.Equal([0L], (await ReadPendingAsync(reopened)).Select(r => r.Identity.Sequence));
        Assert.Equal(bogus.Length, reopened.Recovery.TornTailBytes);
    }
}
