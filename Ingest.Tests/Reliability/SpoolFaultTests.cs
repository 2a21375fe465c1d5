using Apache.Arrow;
using Apache.Arrow.Ipc;
using Ingest.Pipeline.Service;
using Ingest.Reliability;
using Ingest.Tests.Mqtt.Support;
using Ingest.Tests.Reliability.Support;
using Ingest.Tests.Support;
using Xunit.Abstractions;

namespace Ingest.Tests.Reliability;

/// <summary>
/// The service's disk going wrong under it: the spool's bound reached, the file system full, and files in the spool
/// folder and the ledger damaged between runs (docs/reliability.md).
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class SpoolFaultTests(ITestOutputHelper output) : IDisposable
{
    private readonly string _dataDir = Peers.NewScratchDirectory("faults-spool");
    private string? _mounted;

    public void Dispose()
    {
        if (_mounted is not null)
        {
            PeerProcess.RunAsync("/bin/umount", ["-l", _mounted], TimeSpan.FromSeconds(20)).GetAwaiter().GetResult();
        }

        if (Directory.Exists(_dataDir))
        {
            Directory.Delete(_dataDir, recursive: true);
        }
    }

    private static IngestOptions QuickStop => ServiceRig.Options() with { ShutdownGrace = TimeSpan.FromSeconds(1) };

    [Fact]
    public async Task Spool_full_pauses_intake_visibly_with_a_gap_row_and_loses_nothing_accepted_then_recovers()
    {
        await using var broker = await MosquittoBroker.StartAsync("faults-full", persistence: true);
        await using var subscriber = await VerifyingSubscriber.StartAsync(broker.Port);
        await using var rig = await ServiceRig.StartAsync(broker.Port, _dataDir, ServiceRig.Fleet(trackers: 6),
            spool: s => s with { SegmentBytes = 128 * 1024, MaxTotalBytes = 256 * 1024 });
        await rig.WaitUntilAsync(s => s.BatchesReleased > 10, TimeSpan.FromSeconds(30), "first releases");

        await broker.StopAsync();
        await rig.WaitUntilAsync(s => s.IntakePaused, TimeSpan.FromSeconds(60), "intake to pause on a full spool");
        var paused = rig.Status;
        output.WriteLine($"paused: spool {paused.SpoolBytes} of {paused.SpoolLimitBytes} bytes, backlog {paused.Backlog}, sealed {paused.BatchesSealed}, spooled {paused.BatchesSpooled}");
        Assert.Null(paused.Failure);

        // The spool's full flag shows first; intake itself stops once the sealed batches waiting for spool space fill the
        // bounded queue in front of it (256): from then on the source waits, and that wait becomes an IntakePaused gap.
        await rig.WaitUntilAsync(s => s.BatchesSealed - s.BatchesSpooled >= 256, TimeSpan.FromSeconds(60), "the queue in front of the full spool to fill");
        await Task.Delay(TimeSpan.FromSeconds(2));
        Assert.True(rig.Status.IntakePaused, "intake resumed while the spool was still full");

        await broker.StartAgainAsync();
        await subscriber.WaitConnectedAsync(TimeSpan.FromSeconds(10));
        await rig.WaitUntilAsync(s => !s.IntakePaused && s.Backlog < 20 && s.Gaps > 0, TimeSpan.FromSeconds(60), "intake to resume and the backlog to drain");
        var final = await rig.StopAsync();

        var report = await subscriber.WaitForAllAsync(ServiceRig.LedgerNextSequences(_dataDir), TimeSpan.FromSeconds(30));
        output.WriteLine(report.Describe());
        Assert.True(report.Lost == 0 && report.Conflicts == 0 && report.Unexpected == 0, report.Describe());
        Assert.Equal(final.Samples, report.Streams.Where(s => !s.Key.EndsWith(".gaps", StringComparison.Ordinal) && !s.Key.EndsWith(".clock", StringComparison.Ordinal)).Sum(s => s.Rows));
        var reasons = subscriber.GapPayloads().SelectMany(GapReasons).ToList();
        Assert.Contains((byte)GapReason.IntakePaused, reasons);
    }

    [Fact]
    public async Task File_system_full_stops_the_service_loudly_nothing_accepted_is_lost_and_a_restart_after_freeing_space_delivers_it()
    {
        var spoolDir = Path.Combine(_dataDir, "spool");
        Directory.CreateDirectory(spoolDir);
        var mount = await PeerProcess.RunAsync("/bin/mount", ["-t", "tmpfs", "-o", "size=1m", "tmpfs", spoolDir], TimeSpan.FromSeconds(20));
        Assert.True(mount.ExitCode == 0, "this test makes a 1 MiB tmpfs for the spool and needs root (mount -t tmpfs): " + mount.Output);
        _mounted = spoolDir;

        await using var broker = await MosquittoBroker.StartAsync("faults-enospc", persistence: true);
        await using var subscriber = await VerifyingSubscriber.StartAsync(broker.Port);
        IngestStatus failed;
        await using (var rig = await ServiceRig.StartAsync(broker.Port, _dataDir, ServiceRig.Fleet(trackers: 6), QuickStop,
            spool: s => s with { SegmentBytes = 64 * 1024 }))
        {
            await rig.WaitUntilAsync(s => s.BatchesReleased > 10, TimeSpan.FromSeconds(30), "first releases");
            await broker.StopAsync();
            await rig.WaitUntilFailedAsync(TimeSpan.FromSeconds(90));
            failed = rig.Status;
            output.WriteLine($"stopped: {failed.Failure}; spooled {failed.BatchesSpooled}, backlog {failed.Backlog}, spool bytes {failed.SpoolBytes}");

            // A host awaits Completion to exit (and be restarted by systemd): it must end, faulted, not hang.
            var completion = await Record.ExceptionAsync(() => rig.Service.Completion.WaitAsync(TimeSpan.FromSeconds(60)));
            Assert.IsType<IngestFailedException>(completion);
        }

        Assert.Contains("disk", failed.Failure, StringComparison.Ordinal);
        var durableBefore = ServiceRig.LedgerNextSequences(_dataDir);

        // Space is freed (the operator grows the file system); the service starts again and delivers everything durable.
        var remount = await PeerProcess.RunAsync("/bin/mount", ["-o", "remount,size=64m", spoolDir], TimeSpan.FromSeconds(20));
        Assert.True(remount.ExitCode == 0, remount.Output);
        await broker.StartAgainAsync();
        await subscriber.WaitConnectedAsync(TimeSpan.FromSeconds(10));
        await using (var rig = await ServiceRig.StartAsync(broker.Port, _dataDir, ServiceRig.Fleet(trackers: 6)))
        {
            output.WriteLine($"recovery: {rig.Service.Recovery.RecordsRecovered} records, torn tail {rig.Service.Recovery.TornTailBytes} bytes, quarantined {rig.Service.Recovery.QuarantinedRecords}");
            await rig.WaitUntilAsync(s => s.BatchesReleased > failed.Backlog, TimeSpan.FromSeconds(60), "the backlog to be published");
            await rig.StopAsync();
        }

        var expected = ServiceRig.LedgerNextSequences(_dataDir);
        var report = await subscriber.WaitForAllAsync(expected, TimeSpan.FromSeconds(30));
        output.WriteLine(report.Describe());
        Assert.True(report.Lost == 0 && report.Conflicts == 0, report.Describe());
        Assert.All(durableBefore, p => Assert.True(expected[p.Key] >= p.Value, $"{p.Key}: sequence went back from {p.Value} to {expected[p.Key]}"));
    }

    [Fact]
    public async Task Corrupted_truncated_and_foreign_spool_files_and_a_damaged_ledger_are_quarantined_and_reported_and_sequences_are_not_reused()
    {
        await using var broker = await MosquittoBroker.StartAsync("faults-corrupt", persistence: true);
        await using var subscriber = await VerifyingSubscriber.StartAsync(broker.Port);

        // A first run whose broker goes away, so the spool holds unpublished records when it stops.
        await using (var rig = await ServiceRig.StartAsync(broker.Port, _dataDir, options: QuickStop))
        {
            await rig.WaitUntilAsync(s => s.BatchesReleased > 10, TimeSpan.FromSeconds(30), "first releases");
            await broker.StopAsync();
            await rig.WaitUntilAsync(s => s.Backlog > 60, TimeSpan.FromSeconds(60), "a backlog");
            await rig.StopAsync();
        }

        var before = ServiceRig.LedgerNextSequences(_dataDir);
        var spool = Path.Combine(_dataDir, "spool");
        var segments = Directory.GetFiles(spool, "*.seg").Order(StringComparer.Ordinal).ToArray();
        Assert.NotEmpty(segments);

        // Bit rot in the middle of the last segment, a torn end, a stray segment of garbage, foreign files, a broken ledger.
        var last = segments[^1];
        var bytes = File.ReadAllBytes(last);
        for (var i = bytes.Length / 2; i < (bytes.Length / 2) + 64; i++)
        {
            bytes[i] ^= 0xA5;
        }

        File.WriteAllBytes(last, bytes.AsSpan(0, bytes.Length - 37).ToArray());
        File.WriteAllBytes(Path.Combine(spool, "0000000000000099.seg"), Enumerable.Range(0, 5000).Select(i => (byte)(i * 31)).ToArray());
        File.WriteAllText(Path.Combine(spool, "notes.txt"), "someone's notes");
        File.WriteAllText(Path.Combine(_dataDir, "state", ServiceLedger.FileName), "{\"version\":1,\"alive_ns\":");

        await broker.StartAgainAsync();
        await subscriber.WaitConnectedAsync(TimeSpan.FromSeconds(10));
        await using (var rig = await ServiceRig.StartAsync(broker.Port, _dataDir))
        {
            var recovery = rig.Service.Recovery;
            output.WriteLine($"recovery: {recovery.RecordsRecovered} recovered, quarantined {recovery.QuarantinedRecords} records ({recovery.QuarantinedSamples} samples) and {recovery.QuarantinedRegions} regions, torn tail {recovery.TornTailBytes} bytes, unknown [{string.Join(", ", recovery.UnknownFiles)}], missing segments [{string.Join(", ", recovery.MissingSegments)}]; ledger: {rig.Service.LedgerProblem}");
            Assert.True(recovery.QuarantinedRecords + recovery.QuarantinedRegions >= 1, "the flipped bytes were not quarantined");
            Assert.True(recovery.TornTailBytes > 0, "the cut end was not reported");
            Assert.Contains("notes.txt", recovery.UnknownFiles);
            Assert.NotEmpty(Directory.GetFiles(Path.Combine(spool, "quarantine")));
            Assert.True(File.Exists(Path.Combine(spool, "notes.txt")), "a foreign file was removed");
            Assert.Contains("damaged", rig.Service.LedgerProblem, StringComparison.Ordinal);
            Assert.NotEmpty(Directory.GetFiles(Path.Combine(_dataDir, "state"), ServiceLedger.FileName + ".damaged-*"));

            await rig.WaitUntilAsync(s => s.BatchesReleased > 40 && s.Backlog < 10, TimeSpan.FromSeconds(60), "the second run to publish");
            var status = await rig.StopAsync();
            Assert.Null(status.Failure);
        }

        var after = ServiceRig.LedgerNextSequences(_dataDir);
        var report = await subscriber.WaitForAllAsync(after, TimeSpan.FromSeconds(20));
        output.WriteLine(report.Describe());

        // What the damage destroyed is missing, and only that: nothing the second run made, and no sequence used twice.
        Assert.Equal(0, report.Conflicts);
        Assert.Equal(0, report.HashMismatches);
        foreach (var stream in report.Streams)
        {
            var firstRunNext = before.GetValueOrDefault(stream.Key);
            Assert.All(stream.Missing, s => Assert.True(s < firstRunNext, $"{stream.Key}#{s} from the second run is missing"));
        }
    }

    [Fact]
    public async Task A_damaged_ledger_after_segments_were_reclaimed_does_not_reuse_published_sequences()
    {
        await using var broker = await MosquittoBroker.StartAsync("faults-ledger", persistence: true);
        await using var subscriber = await VerifyingSubscriber.StartAsync(broker.Port);
        Func<Ingest.Pipeline.Spool.SpoolOptions, Ingest.Pipeline.Spool.SpoolOptions> small = s => s with { SegmentBytes = 8 * 1024, RecyclePoolSegments = 0 };
        await using (var rig = await ServiceRig.StartAsync(broker.Port, _dataDir, spool: small))
        {
            await rig.WaitUntilAsync(s => s.BatchesReleased > 80, TimeSpan.FromSeconds(60), "releases and reclaimed segments");
            await rig.StopAsync();
        }

        var before = ServiceRig.LedgerNextSequences(_dataDir);
        File.WriteAllText(Path.Combine(_dataDir, "state", ServiceLedger.FileName), "not json at all");
        await using (var rig = await ServiceRig.StartAsync(broker.Port, _dataDir, spool: small))
        {
            Assert.NotNull(rig.Service.LedgerProblem);
            await rig.WaitUntilAsync(s => s.BatchesReleased > 30, TimeSpan.FromSeconds(60), "the second run to publish");
            await rig.StopAsync();
        }

        var after = ServiceRig.LedgerNextSequences(_dataDir);
        await Task.Delay(TimeSpan.FromSeconds(1));
        var report = subscriber.Report(after);
        output.WriteLine(report.Describe());
        Assert.True(report.Conflicts == 0, "a sequence was used twice for different bytes after the ledger was damaged: " + report.Describe());
        Assert.All(before, p => Assert.True(after[p.Key] >= p.Value, $"{p.Key}: next sequence went back from {p.Value} to {after[p.Key]}"));
    }

    private static IEnumerable<byte> GapReasons(byte[] payload)
    {
        using var reader = new ArrowStreamReader(new MemoryStream(payload));
        using var batch = reader.ReadNextRecordBatch();
        return ((UInt8Array)batch.Column("reason")).Values.ToArray();
    }
}
