using Apache.Arrow;
using Apache.Arrow.Ipc;
using Ingest.Pipeline.Batching;
using Ingest.Pipeline.Service;
using Ingest.Pipeline.Simulation.Fleet;
using Ingest.Pipeline.Spool;
using Ingest.Tests.Pipeline.Simulation.Fleet;
using Ingest.Tests.Support;

namespace Ingest.Tests.Pipeline.Service;

/// <summary>The service end to end on the embedded destination: a recorded fleet → pipeline → spool → outbox files.</summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class IngestServiceOutboxTests : IDisposable
{
    private readonly TemporaryDirectory _temporary = new("service");

    private string _dataDir => _temporary.Path;

    public void Dispose() => _temporary.Dispose();

    private static IngestOptions Options => new() { HubId = "hub-test", Study = "study-1", Site = "site-1", BatchMaxAge = TimeSpan.FromMilliseconds(200) };

    [Fact]
    public async Task Every_decoded_sample_lands_in_the_outbox_once_with_gapless_sequences_and_a_restart_continues_them()
    {
        var fleet = new SimulatedFleetOptions { TrackerCount = 6, Seed = 7 };
        var recording = await FleetHarness.CollectAsync(fleet, seconds: 3);
        var expected = FleetHarness.Decode(FleetHarness.Trackers(fleet), recording);
        Assert.Empty(expected.Rejected);

        await RunOnceAsync(recording);
        var first = ReadOutbox();

        // Every sample the decoders produce from the recording is in the outbox, per stream key, exactly once.
        foreach (var ((device, stream), decoder) in expected.Streams)
        {
            var key = SimulatedAdmission.Pseudonym(device) + "." + stream;
            Assert.True(first.TryGetValue(key, out var batches), $"no batches for {key}");
            Assert.Equal(decoder.Counters.Samples, batches.Sum(b => b.Rows));
            Assert.Equal(Enumerable.Range(0, batches.Count).Select(i => (long)i), batches.Select(b => b.Sequence));
        }

        // A second run on the same data dir continues each stream's sequence and records the hub's downtime as gaps.
        await RunOnceAsync(recording);
        var second = ReadOutbox();
        foreach (var (key, batches) in first)
        {
            if (key.EndsWith(".gaps", StringComparison.Ordinal))
            {
                continue;
            }

            var all = second[key];
            Assert.Equal(Enumerable.Range(0, all.Count).Select(i => (long)i), all.Select(b => b.Sequence));
            Assert.True(all.Count > batches.Count, $"{key}: the second run added no batches");
        }

        var gaps = second.Where(s => s.Key.EndsWith(".gaps", StringComparison.Ordinal)).SelectMany(s => s.Value).ToList();
        Assert.NotEmpty(gaps);
        Assert.Contains(gaps, g => g.Reasons.Contains((byte)GapReason.HubDown));
    }

    [Fact]
    public async Task Rejected_frames_are_quarantined_with_their_bytes_and_disconnects_become_gap_rows_with_the_link_down_interval()
    {
        var fleet = new SimulatedFleetOptions
        {
            TrackerCount = 4,
            Seed = 3,
            Faults = new SimulatedFaultOptions { GarbageProbability = 0.05, DisconnectsPerHour = 1800, ReconnectDelay = TimeSpan.FromSeconds(1) },
        };
        var recording = await FleetHarness.CollectAsync(fleet, seconds: 8);
        var expected = FleetHarness.Decode(FleetHarness.Trackers(fleet), recording);
        var rejected = expected.Rejected.Count();
        Assert.True(rejected > 0, "the recording should hold garbage frames");

        await RunOnceAsync(recording);

        var quarantine = File.ReadAllLines(Path.Combine(_dataDir, "quarantine", "frames.jsonl"));
        Assert.Equal(rejected, quarantine.Length);
        Assert.All(quarantine, line => Assert.Contains("\"hex\":", line, StringComparison.Ordinal));

        // Each reconnect of the recording closes one disconnect gap, from the disconnect's hub time to the reconnect's.
        var links = recording.Where(r => r.IsEvent).Select(r => r.Event).ToList();
        var expectedGaps = new List<(string Device, long Start, long End)>();
        foreach (var group in links.GroupBy(e => e.Device))
        {
            long? down = null;
            foreach (var e in group.OrderBy(e => e.HubTimeNs))
            {
                if (e.Kind == Ingest.Pipeline.Intake.DeviceEventKind.Disconnected)
                {
                    down = e.HubTimeNs;
                }
                else if (down is { } since)
                {
                    expectedGaps.Add((SimulatedAdmission.Pseudonym(group.Key), since, e.HubTimeNs));
                    down = null;
                }
            }
        }

        Assert.NotEmpty(expectedGaps);
        var landedGaps = ReadGapRows();
        foreach (var gap in expectedGaps)
        {
            Assert.Contains((gap.Device + ".gaps", gap.Start, gap.End, (byte)GapReason.Disconnected), landedGaps);
        }
    }

    private List<(string Stream, long Start, long End, byte Reason)> ReadGapRows()
    {
        var rows = new List<(string, long, long, byte)>();
        foreach (var file in Directory.EnumerateFiles(Path.Combine(_dataDir, "outbox"), "*" + OutboxPublisher.Extension, SearchOption.AllDirectories))
        {
            using var reader = new ArrowStreamReader(File.OpenRead(file));
            using var batch = reader.ReadNextRecordBatch();
            var key = reader.Schema.Metadata[BatchMetadataKeys.Stream];
            if (!key.EndsWith(".gaps", StringComparison.Ordinal))
            {
                continue;
            }

            var start = (TimestampArray)batch.Column("hub_time");
            var end = (TimestampArray)batch.Column("end_time");
            var reason = (UInt8Array)batch.Column("reason");
            for (var i = 0; i < batch.Length; i++)
            {
                rows.Add((key, start.GetValue(i)!.Value, end.GetValue(i)!.Value, reason.GetValue(i)!.Value));
            }
        }

        return rows;
    }

    [Fact]
    public async Task A_batch_is_sealed_before_it_outgrows_a_spool_segment_even_with_a_huge_row_limit()
    {
        var fleet = new SimulatedFleetOptions { TrackerCount = 9, Seed = 13 };
        var recording = await FleetHarness.CollectAsync(fleet, seconds: 4);
        var expected = FleetHarness.Decode(FleetHarness.Trackers(fleet), recording);

        await RunOnceAsync(recording, options: Options with { BatchMaxRows = 100_000, BatchMaxAge = TimeSpan.FromMinutes(1) },
            spool: new SpoolOptions { Directory = _dataDir + "/spool", SegmentBytes = 16 * 1024 });

        var landed = ReadOutbox();
        foreach (var ((device, stream), decoder) in expected.Streams)
        {
            Assert.Equal(decoder.Counters.Samples, landed[SimulatedAdmission.Pseudonym(device) + "." + stream].Sum(b => b.Rows));
        }

        Assert.Contains(landed, s => s.Value.Count > 1);
    }

    [Fact]
    public async Task Frames_lost_inside_a_connection_become_gap_rows_covering_the_hole_by_the_trackers_clock()
    {
        // One Polar H10 (ECG and ACC by PMD frames with the sensor's clock): drop 3 ECG notifications in a row, twice.
        var fleet = new SimulatedFleetOptions { TrackerCount = 1, Seed = 17, ProfileIds = ["polar-h10"] };
        var recording = await FleetHarness.CollectAsync(fleet, seconds: 15);
        var profile = FleetHarness.Profiles.Single(p => p.Id == "polar-h10");
        var ecg = recording.Select((r, i) => (r, i))
            .Where(x => !x.r.IsEvent && FleetHarness.Route(profile, x.r.Characteristic, x.r.Payload).Id == "ecg").Select(x => x.i).ToList();
        Assert.True(ecg.Count > 16, $"only {ecg.Count} ECG frames");
        var dropped = new HashSet<int> { ecg[3], ecg[4], ecg[5], ecg[12], ecg[13], ecg[14] };
        (long After, long Before)[] holes = [(recording[ecg[2]].HubTimeNs, recording[ecg[6]].HubTimeNs), (recording[ecg[11]].HubTimeNs, recording[ecg[15]].HubTimeNs)];

        await RunOnceAsync([.. recording.Where((_, i) => !dropped.Contains(i))]);

        var lost = ReadGapRows().Where(g => g.Reason == (byte)GapReason.FramesLost).ToList();
        Assert.Equal(2, lost.Count);
        foreach (var (after, before) in holes)
        {
            // The hole lies between the last frame received before it and the first one after, and is about 3 frames long.
            var gap = Assert.Single(lost, g => g.Start > after - 50_000_000 && g.End < before);
            var frameNs = (before - after) / 4.0;
            Assert.InRange(gap.End - gap.Start, 2.5 * frameNs, 3.5 * frameNs);
        }
    }

    [Fact]
    public async Task A_failing_source_stops_the_service_on_its_own_and_Completion_faults_with_the_cause()
    {
        var source = new FailingSource();
        var service = IngestService.Start(Options, source, new SimulatedAdmission(FleetHarness.Profiles),
            new SpoolOptions { Directory = _dataDir + "/spool" }, new OutboxPublisher(_dataDir + "/outbox"));
        var failure = await Record.ExceptionAsync(() => service.Completion.WaitAsync(TimeSpan.FromSeconds(30)));
        var failed = Assert.IsType<IngestFailedException>(failure);
        Assert.Contains("radio adapter vanished", failed.Message, StringComparison.Ordinal);
        Assert.Contains("radio adapter vanished", service.Status.Failure, StringComparison.Ordinal);
        await service.DisposeAsync();
    }

    private sealed class FailingSource : Ingest.Pipeline.Intake.INotificationSource
    {
        private readonly System.Threading.Channels.Channel<Ingest.Pipeline.Intake.Notification> _notifications =
            System.Threading.Channels.Channel.CreateBounded<Ingest.Pipeline.Intake.Notification>(4);

        private readonly System.Threading.Channels.Channel<Ingest.Pipeline.Intake.DeviceEvent> _events =
            System.Threading.Channels.Channel.CreateBounded<Ingest.Pipeline.Intake.DeviceEvent>(4);

        public System.Threading.Channels.ChannelReader<Ingest.Pipeline.Intake.Notification> Notifications => _notifications.Reader;

        public System.Threading.Channels.ChannelReader<Ingest.Pipeline.Intake.DeviceEvent> DeviceEvents => _events.Reader;

        public async Task RunAsync(CancellationToken cancellationToken = default)
        {
            await Task.Delay(200, cancellationToken);
            var failure = new IOException("radio adapter vanished");
            _notifications.Writer.TryComplete(failure);
            _events.Writer.TryComplete(failure);
            throw failure;
        }
    }

    [Fact]
    public async Task Status_streams_count_each_streams_samples_and_rejections_and_its_last_sample()
    {
        var fleet = new SimulatedFleetOptions { TrackerCount = 3, Seed = 11, Faults = new SimulatedFaultOptions { GarbageProbability = 0.05 } };
        var recording = await FleetHarness.CollectAsync(fleet, seconds: 2);
        var expected = FleetHarness.Decode(FleetHarness.Trackers(fleet), recording);

        var status = await RunOnceAsync(recording);

        Assert.Equal(status.Samples, status.Streams.Sum(s => s.Samples));
        Assert.Equal(expected.Streams.Count, status.Streams.Count(s => s.Samples > 0));
        foreach (var ((device, streamId), decoder) in expected.Streams)
        {
            var row = Assert.Single(status.Streams, s => s.Device == SimulatedAdmission.Pseudonym(device) && s.StreamId == streamId);
            Assert.Equal(decoder.Counters.Samples, row.Samples);
            if (decoder.Counters.Samples > 0)
            {
                Assert.NotNull(row.LastSample);
            }

            if (row.NominalRateHz is null)
            {
                Assert.Null(row.ExpectedSamples);
                Assert.Null(row.Completeness);
            }
            else
            {
                Assert.NotNull(row.ExpectedSamples);
                Assert.InRange(row.Completeness!.Value, 0, 1);
            }
        }

        // Every garbage frame of the simulator goes to a stream of its characteristic, whose decoder rejects it.
        Assert.True(status.FramesRejected > 0);
        Assert.Equal(status.FramesRejected, status.Streams.Sum(s => s.FramesRejected));
    }

    [Fact]
    public async Task The_meter_reports_what_the_status_says()
    {
        var fleet = new SimulatedFleetOptions { TrackerCount = 3, Seed = 5, Faults = new SimulatedFaultOptions { GarbageProbability = 0.05 } };
        var recording = await FleetHarness.CollectAsync(fleet, seconds: 2);
        var measured = new Dictionary<string, long>(StringComparer.Ordinal);
        using var listener = new System.Diagnostics.Metrics.MeterListener();
        listener.SetMeasurementEventCallback<long>((instrument, value, _, _) =>
            measured[instrument.Name] = measured.GetValueOrDefault(instrument.Name) + value);

        var status = await RunOnceAsync(recording, beforeStop: service =>
        {
            // Only this service's meter: other tests run services (with meters of the same name) in parallel.
            listener.InstrumentPublished = (instrument, l) =>
            {
                if (ReferenceEquals(instrument.Meter, service.Metrics.Meter))
                {
                    l.EnableMeasurementEvents(instrument);
                }
            };
            listener.Start();
            listener.RecordObservableInstruments();
        });

        Assert.Equal(status.Notifications, measured["wearable_ingest.notifications"]);
        Assert.Equal(status.Samples, measured["wearable_ingest.samples"]);
        Assert.Equal(status.FramesRejected, measured["wearable_ingest.frames.rejected"]);
        Assert.True(status.FramesRejected > 0);
    }

    private async Task<IngestStatus> RunOnceAsync(IReadOnlyList<Received> recording, Action<IngestService>? beforeStop = null,
        IngestOptions? options = null, SpoolOptions? spool = null)
    {
        var source = new ReplaySource(recording);
        var outbox = new OutboxPublisher(Path.Combine(_dataDir, "outbox"));
        var service = IngestService.Start(options ?? Options, source, new SimulatedAdmission(FleetHarness.Profiles),
            spool ?? new SpoolOptions { Directory = Path.Combine(_dataDir, "spool") }, outbox);
        await source.AllSent.Task.WaitAsync(TimeSpan.FromSeconds(30));
        if (beforeStop is not null)
        {
            // Everything sent has been read once the source's channel is empty and the decoders' counts stand still.
            while (source.Notifications.Count > 0)
            {
                await Task.Delay(20);
            }

            await Task.Delay(200);
            beforeStop(service);
        }

        await service.StopAsync();
        await service.Completion;
        var status = service.Status;
        Assert.Equal(status.BatchesSealed, status.BatchesSpooled);
        Assert.Equal(0, status.Backlog);
        Assert.Equal(0, source.Pool.Outstanding);
        await service.DisposeAsync();
        return status;
    }

    private sealed record Landed(long Sequence, int Rows, byte[] Reasons);

    private Dictionary<string, List<Landed>> ReadOutbox()
    {
        var result = new Dictionary<string, List<Landed>>(StringComparer.Ordinal);
        foreach (var file in Directory.EnumerateFiles(Path.Combine(_dataDir, "outbox"), "*" + OutboxPublisher.Extension, SearchOption.AllDirectories))
        {
            using var reader = new ArrowStreamReader(File.OpenRead(file));
            using var batch = reader.ReadNextRecordBatch();
            var metadata = reader.Schema.Metadata;
            var key = metadata[BatchMetadataKeys.Stream];
            var reasons = key.EndsWith(".gaps", StringComparison.Ordinal)
                ? ((UInt8Array)batch.Column("reason")).Values.ToArray()
                : [];
            if (!result.TryGetValue(key, out var list))
            {
                result[key] = list = [];
            }

            list.Add(new Landed(long.Parse(metadata[BatchMetadataKeys.Sequence], System.Globalization.CultureInfo.InvariantCulture), batch.Length, reasons));
        }

        foreach (var list in result.Values)
        {
            list.Sort((a, b) => a.Sequence.CompareTo(b.Sequence));
        }

        return result;
    }
}
