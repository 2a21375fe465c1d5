using Apache.Arrow;
using Apache.Arrow.Ipc;
using Ingest.Pipeline.Batching;
using Ingest.Pipeline.Clocks;
using Ingest.Pipeline.Decoding.Polar;
using Ingest.Pipeline.Intake;
using Ingest.Pipeline.Profiles;
using Ingest.Pipeline.Service;
using Ingest.Pipeline.Simulation.Fleet;
using Ingest.Pipeline.Simulation.Polar;
using Ingest.Pipeline.Spool;
using Ingest.Tests.Pipeline.Simulation.Fleet;
using Ingest.Tests.Support;

namespace Ingest.Tests.Pipeline.Service;

/// <summary>
/// The service end to end for Polar PMD: the per-device clock stream matches the simulator's device clock and reports its
/// resets; ECG, ACC and PPG frames interleaved on one PMD characteristic land in their own streams.
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class IngestServiceClockAndPmdTests : IDisposable
{
    private const string PmdData = "fb005c82-02e7-f387-1cad-8acd2d8df0c8";

    private readonly TemporaryDirectory _temporary = new("service-clock");

    public void Dispose() => _temporary.Dispose();

    private static IngestOptions Options => new() { HubId = "hub-test", Study = "study-1", Site = "site-1", BatchMaxAge = TimeSpan.FromMilliseconds(200) };

    [Fact]
    public async Task A_simulated_H10_run_yields_clock_rows_whose_offset_and_drift_match_the_simulators_clock()
    {
        // Device clock 90 s ahead of the hub and 50 ppm fast; deliveries 0–7.5 ms late.
        var fleet = new SimulatedFleetOptions
        {
            TrackerCount = 1, Seed = 21, ProfileIds = ["polar-h10"],
            ClockOffset = TimeSpan.FromSeconds(90), ClockOffsetSpread = TimeSpan.Zero, ClockDriftPpm = 50, ClockDriftSpreadPpm = 0,
        };
        var recording = await FleetHarness.CollectAsync(fleet, seconds: 300);

        await RunOnceAsync(recording, FleetHarness.Profiles);

        var rows = ReadClockRows();
        Assert.Equal((byte)DeviceClockEvent.ConnectionStart, rows[0].Event);
        Assert.DoesNotContain(rows, r => r.Event == (byte)DeviceClockEvent.Reset);

        // hub − device = −offset − drift·elapsed + delay: about −90 s, and falling by 50 µs per device second.
        var last = rows[^1];
        Assert.Equal((byte)DeviceClockEvent.Estimate, last.Event);
        var elapsedDevice = last.DeviceTime - rows[0].DeviceTime;
        var expected = -90_000_000_000L - (long)(elapsedDevice * 50e-6 / (1 + 50e-6));
        Assert.InRange(last.OffsetNs - expected, -1_000_000, 8_000_000);
        Assert.NotNull(last.DriftPpm);
        Assert.InRange(last.DriftPpm!.Value, -53, -47);

        // Tiny: about a row per 10 s of device time, not one per frame.
        Assert.InRange(rows.Count, 25, 45);
    }

    [Fact]
    public async Task An_injected_device_clock_reset_yields_a_reset_row_at_the_2019_epoch()
    {
        var fleet = new SimulatedFleetOptions
        {
            TrackerCount = 1, Seed = 5, ProfileIds = ["polar-h10"],
            Faults = new SimulatedFaultOptions { ClockResetsPerHour = 40 },
        };
        var recording = await FleetHarness.CollectAsync(fleet, seconds: 240);
        var epoch = DeviceClockLimits.ResetEpochNs;
        var resetFrames = recording.Count(r => !r.IsEvent && r.Payload.Length >= PmdFrameHeader.Size
            && (long)PmdFrameHeader.Timestamp(r.Payload) + Ingest.Pipeline.Decoding.SampleClock.UnixToY2000Ns - epoch is >= 0 and < 3_600_000_000_000);
        Assert.True(resetFrames > 0, "the simulator injected no clock reset into this recording");

        // Each injected reset is one backward jump of the ECG stream's frame timestamps.
        var ecgTimes = recording.Where(r => !r.IsEvent && r.Payload.Length >= PmdFrameHeader.Size && PmdFrameHeader.MeasurementType(r.Payload) == 0)
            .Select(r => PmdFrameHeader.Timestamp(r.Payload)).ToList();
        var injected = ecgTimes.Zip(ecgTimes.Skip(1)).Count(p => p.Second + 1_000_000_000 < p.First);

        await RunOnceAsync(recording, FleetHarness.Profiles);

        var rows = ReadClockRows();
        var resets = rows.Where(r => r.Event == (byte)DeviceClockEvent.Reset).ToList();
        Assert.Equal(injected, resets.Count);
        foreach (var reset in resets)
        {
            // At the 2019 epoch, a fresh fit; the rows after it (up to the next reset) map the new clock near its offset.
            Assert.InRange(reset.DeviceTime - epoch, 0, 3_600_000_000_000);
            Assert.Equal(1, reset.Samples);
            var next = resets.FirstOrDefault(r => r.HubTime > reset.HubTime)?.HubTime ?? long.MaxValue;
            var after = rows.Where(r => r.HubTime > reset.HubTime && r.HubTime < next).ToList();
            Assert.NotEmpty(after);
            Assert.All(after, r => Assert.Equal((byte)DeviceClockEvent.Estimate, r.Event));
            Assert.All(after, r => Assert.InRange(r.OffsetNs - reset.OffsetNs, -50_000_000, 50_000_000));
        }
    }

    [Fact]
    public async Task Ecg_acc_and_ppg_frames_interleaved_on_one_PMD_characteristic_land_in_their_own_streams()
    {
        var profile = WriteProfile("""
            { "id": "pmd-all", "version": "1.0.0", "name": "PMD all", "match": { "manufacturerId": 107 }, "streams": [
              { "id": "ecg", "service": "fb005c80-02e7-f387-1cad-8acd2d8df0c8", "characteristic": "fb005c82-02e7-f387-1cad-8acd2d8df0c8",
                "decoder": "polar-pmd", "nominalRateHz": 130,
                "settings": { "measurement": "ecg", "sampleRateHz": 130, "frameTypes": [ { "type": 0, "columns": ["ecg"] } ] },
                "columns": [ { "name": "ecg", "type": "int32", "unit": "uV" } ] },
              { "id": "acc", "service": "fb005c80-02e7-f387-1cad-8acd2d8df0c8", "characteristic": "fb005c82-02e7-f387-1cad-8acd2d8df0c8",
                "decoder": "polar-pmd", "nominalRateHz": 52,
                "settings": { "measurement": "acc", "sampleRateHz": 52, "frameTypes": [
                  { "type": 1, "columns": ["x", "y", "z"] }, { "type": 1, "compressed": true, "columns": ["x", "y", "z"] } ] },
                "columns": [ { "name": "x", "type": "int32", "unit": "mg" }, { "name": "y", "type": "int32", "unit": "mg" },
                  { "name": "z", "type": "int32", "unit": "mg" }, { "name": "frame_type", "type": "uint8" } ] },
              { "id": "ppg", "service": "fb005c80-02e7-f387-1cad-8acd2d8df0c8", "characteristic": "fb005c82-02e7-f387-1cad-8acd2d8df0c8",
                "decoder": "polar-pmd", "nominalRateHz": 55,
                "settings": { "measurement": "ppg", "sampleRateHz": 55, "resolutionBits": 22, "frameTypes": [ { "type": 0, "compressed": true, "columns": ["ppg0", "ppg1", "ppg2", "ambient"] } ] },
                "columns": [ { "name": "ppg0", "type": "int32" }, { "name": "ppg1", "type": "int32" }, { "name": "ppg2", "type": "int32" }, { "name": "ambient", "type": "int32" } ] } ] }
            """);
        var device = new DeviceHandle(1);
        var characteristic = Guid.Parse(PmdData);
        const long hub = 1_796_000_000_000_000_000;
        var recording = new List<Received> { new(true, device, Guid.Empty, hub, [], new DeviceEvent(DeviceEventKind.Connected, device, hub, "pmd-all", default)) };
        var expected = new Dictionary<string, int>(StringComparer.Ordinal) { ["ecg"] = 0, ["acc"] = 0, ["ppg"] = 0 };
        var accTypes = new List<byte>();
        ulong ts = 800_000_000_000_000_000;
        for (var i = 0; i < 30; i++)
        {
            var frame = new byte[1024];
            int length;
            ts += 100_000_000;
            switch (i % 3)
            {
                case 0:
                    length = PmdFrameEncoder.EncodeEcgRaw0(frame, ts, [.. Enumerable.Range(i, 13)]);
                    expected["ecg"] += 13;
                    break;
                case 1 when i % 2 == 0:
                    length = PmdFrameEncoder.EncodeAccRaw(frame, ts, 1, [1, 2, 3, 4, 5], [-1, -2, -3, -4, -5], [i, i, i, i, i]);
                    expected["acc"] += 5;
                    accTypes.AddRange(Enumerable.Repeat((byte)0x01, 5));
                    break;
                case 1:
                    length = PmdFrameEncoder.EncodeDelta(frame, PmdMeasurementType.Acc, ts, 1, 3, 16, [0, 0, 0, 1, 1, 1, 2, 2, 2, 3, 3, 3]);
                    expected["acc"] += 4;
                    accTypes.AddRange(Enumerable.Repeat((byte)0x81, 4));
                    break;
                default:
                    length = PmdFrameEncoder.EncodeDelta(frame, PmdMeasurementType.Ppg, ts, 0, 4, 24, [100, 200, 300, 400, 101, 201, 301, 401]);
                    expected["ppg"] += 2;
                    break;
            }

            recording.Add(new Received(false, device, characteristic, hub + ((i + 1) * 100_000_000L), frame[..length], default));
        }

        var status = await RunOnceAsync(recording, [profile]);

        Assert.Equal(0, status.FramesRejected);
        var landed = ReadRows();
        foreach (var (stream, rows) in expected)
        {
            Assert.Equal(rows, landed.GetValueOrDefault("sim-001." + stream, []).Sum(b => b.Length));
        }

        var frameTypes = landed["sim-001.acc"].SelectMany(b => ((UInt8Array)b.Column("frame_type")).Values.ToArray()).ToList();
        Assert.Equal(accTypes, frameTypes);
        Assert.True(landed.ContainsKey("sim-001.clock"), "a PMD device gets a clock stream");
    }

    private FirmwareProfile WriteProfile(string json)
    {
        var folder = Path.Combine(_temporary.Path, "profiles", "pmd-all");
        Directory.CreateDirectory(folder);
        File.WriteAllText(Path.Combine(folder, "profile.json"), json);
        return ProfileLoader.Load(folder);
    }

    private sealed record ClockRow(long HubTime, long DeviceTime, long OffsetNs, double? DriftPpm, int Samples, byte Event);

    private List<ClockRow> ReadClockRows()
    {
        var rows = new List<ClockRow>();
        foreach (var (key, batches) in ReadRows())
        {
            if (!key.EndsWith(".clock", StringComparison.Ordinal))
            {
                continue;
            }

            foreach (var batch in batches)
            {
                var hub = (TimestampArray)batch.Column("hub_time");
                var device = (TimestampArray)batch.Column("device_time");
                var offset = (Int64Array)batch.Column("offset_ns");
                var drift = (DoubleArray)batch.Column("drift_ppm");
                var samples = (Int32Array)batch.Column("samples");
                var kind = (UInt8Array)batch.Column("event");
                for (var i = 0; i < batch.Length; i++)
                {
                    rows.Add(new ClockRow(hub.GetValue(i)!.Value, device.GetValue(i)!.Value, offset.GetValue(i)!.Value, drift.GetValue(i), samples.GetValue(i)!.Value, kind.GetValue(i)!.Value));
                }
            }
        }

        return rows;
    }

    private Dictionary<string, List<RecordBatch>> ReadRows()
    {
        var result = new Dictionary<string, List<(long, RecordBatch)>>(StringComparer.Ordinal);
        foreach (var file in Directory.EnumerateFiles(Path.Combine(_temporary.Path, "outbox"), "*" + OutboxPublisher.Extension, SearchOption.AllDirectories))
        {
            using var reader = new ArrowStreamReader(File.OpenRead(file));
            var batch = reader.ReadNextRecordBatch();
            var key = reader.Schema.Metadata[BatchMetadataKeys.Stream];
            var sequence = long.Parse(reader.Schema.Metadata[BatchMetadataKeys.Sequence], System.Globalization.CultureInfo.InvariantCulture);
            if (!result.TryGetValue(key, out var list))
            {
                result[key] = list = [];
            }

            list.Add((sequence, batch));
        }

        return result.ToDictionary(p => p.Key, p => p.Value.OrderBy(b => b.Item1).Select(b => b.Item2).ToList(), StringComparer.Ordinal);
    }

    private async Task<IngestStatus> RunOnceAsync(IReadOnlyList<Received> recording, IEnumerable<FirmwareProfile> profiles)
    {
        var source = new ReplaySource(recording);
        var service = IngestService.Start(Options, source, new SimulatedAdmission(profiles),
            new SpoolOptions { Directory = Path.Combine(_temporary.Path, "spool") }, new OutboxPublisher(Path.Combine(_temporary.Path, "outbox")));
        await source.AllSent.Task.WaitAsync(TimeSpan.FromSeconds(60));
        await service.StopAsync();
        await service.Completion;
        var status = service.Status;
        await service.DisposeAsync();
        return status;
    }
}
