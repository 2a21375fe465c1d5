using System.Diagnostics;
using System.Globalization;
using Apache.Arrow;
using Apache.Arrow.Ipc;
using Apache.Arrow.Types;
using Ingest.Bench.Measurement;
using Ingest.Pipeline.Batching;
using Ingest.Pipeline.Columns;
using Ingest.Pipeline.Intake;
using Ingest.Pipeline.Profiles;
using Ingest.Pipeline.Publishing;
using Ingest.Pipeline.Publishing.Mqtt;
using Ingest.Pipeline.Service;
using Ingest.Pipeline.Simulation.Fleet;

namespace Ingest.Bench.Pipeline.Service;

/// <summary>
/// The naive reference of issue 9 "Performance": the same simulated fleet, read the same way, but every sample becomes an
/// object (its hub time and a boxed array of its values), sealed batches are built with Apache.Arrow's builders appending
/// one value at a time into a new schema and a new writer, and each batch is published at QoS 1 with one awaited
/// publish at a time, to the same mosquitto. To keep the comparison about that shape and not about parsing, it decodes
/// with the pipeline's own decoders (the fast part), and it has no spool (no fsync): both favour the naive path, so the
/// pipeline's ratio over it is a lower bound.
/// </summary>
internal static class NaivePath
{
    private static readonly TimestampType s_time = new(TimeUnit.Nanosecond, "UTC");

    /// <summary>Runs for <paramref name="warmUp"/> + <paramref name="window"/>; the figures are the window's.</summary>
    public static async Task<NaiveResult> RunAsync(IReadOnlyList<FirmwareProfile> profiles, SimulatedFleetOptions fleetOptions, MqttPublisher publisher,
        IngestOptions options, TimeSpan warmUp, TimeSpan window)
    {
        var fleet = new SimulatedFleet(profiles, fleetOptions with { Pacing = SimulationPacing.Unpaced });
        var devices = new Dictionary<DeviceHandle, NaiveStream[]>();
        var streams = new List<NaiveStream>();
        using var stop = new CancellationTokenSource();
        var run = fleet.RunAsync(stop.Token);
        var counts = new NaiveCounts();
        var clock = Stopwatch.StartNew();
        var lastSweep = TimeSpan.Zero;
        ProcessSample? start = null;
        var startCounts = counts.Snapshot();
        ProcessDelta delta = default;
        try
        {
            while (true)
            {
                while (fleet.DeviceEvents.TryRead(out var e))
                {
                    if (e.Kind == DeviceEventKind.Connected && e.ProfileId is { } profileId && !devices.ContainsKey(e.Device))
                    {
                        var profile = profiles.First(p => p.Id == profileId);
                        var pseudonym = SimulatedAdmission.Pseudonym(e.Device);
                        var created = profile.Streams.Select(d => new NaiveStream(d, profile, options, pseudonym)).ToArray();
                        devices[e.Device] = created;
                        streams.AddRange(created);
                    }
                }

                if (!fleet.Notifications.TryRead(out var notification))
                {
                    await fleet.Notifications.WaitToReadAsync().ConfigureAwait(false);
                    continue;
                }

                NaiveStream? target = null;
                try
                {
                    if (devices.TryGetValue(notification.Device, out var known))
                    {
                        target = Route(known, notification.Characteristic, notification.Payload);
                        target?.Decode(notification.Payload, notification.HubTimeNs, clock.Elapsed, counts);
                    }
                }
                finally
                {
                    notification.Release();
                }

                counts.Notifications++;
                if (target is not null && (target.Samples.Count >= options.BatchMaxRows || clock.Elapsed - target.OpenedAt >= options.BatchMaxAge))
                {
                    await target.SealAsync(publisher, clock.Elapsed, counts).ConfigureAwait(false);
                }

                if (clock.Elapsed - lastSweep >= TimeSpan.FromMilliseconds(250))
                {
                    lastSweep = clock.Elapsed;
                    foreach (var stream in streams)
                    {
                        if (stream.Samples.Count > 0 && lastSweep - stream.OpenedAt >= options.BatchMaxAge)
                        {
                            await stream.SealAsync(publisher, lastSweep, counts).ConfigureAwait(false);
                        }
                    }
                }

                if (start is null && clock.Elapsed >= warmUp)
                {
                    start = ProcessSample.Take();
                    startCounts = counts.Snapshot();
                }
                else if (start is { } s && clock.Elapsed >= warmUp + window)
                {
                    delta = ProcessSample.Take().Since(s);
                    break;
                }
            }
        }
        finally
        {
            await stop.CancelAsync().ConfigureAwait(false);
            while (fleet.Notifications.TryRead(out var left))
            {
                left.Release();
            }

            try
            {
                await run.ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
            }
        }

        var end = counts.Snapshot();
        return new NaiveResult(delta, end.Notifications - startCounts.Notifications, end.Samples - startCounts.Samples, end.Batches - startCounts.Batches,
            end.PayloadBytes - startCounts.PayloadBytes, counts.Failures, counts.Rejected);
    }

    private static NaiveStream? Route(NaiveStream[] streams, Guid characteristic, ReadOnlySpan<byte> payload)
    {
        NaiveStream? first = null;
        foreach (var stream in streams)
        {
            if (stream.Service.Accepts(characteristic, payload))
            {
                return stream;
            }

            if (first is null && stream.Service.Characteristic == characteristic)
            {
                first = stream;
            }
        }

        return first;
    }

    private static double? ValueAt(ColumnBuffer column, int row) => !column.IsValid(row) ? null : column switch
    {
        // A list (RR intervals): its first element, enough for a reference.
        ListColumnBuffer<ushort> l => l.Row(row) is { Length: > 0 } r ? r[0] : null,
        ListColumnBuffer<short> l => l.Row(row) is { Length: > 0 } r ? r[0] : null,
        ListColumnBuffer<int> l => l.Row(row) is { Length: > 0 } r ? r[0] : null,
        ListColumnBuffer<float> l => l.Row(row) is { Length: > 0 } r ? r[0] : null,
        _ => ColumnNumbers.StoredAt(column, row),
    };

    /// <summary>One sample as an object: what a straightforward implementation passes around.</summary>
    private sealed class NaiveSample(long hubTimeNs, double?[] values)
    {
        public long HubTimeNs { get; } = hubTimeNs;

        public double?[] Values { get; } = values;
    }

    private sealed class NaiveCounts
    {
        public long Notifications;
        public long Samples;
        public long Batches;
        public long PayloadBytes;
        public long Failures;
        public long Rejected;

        public (long Notifications, long Samples, long Batches, long PayloadBytes) Snapshot() => (Notifications, Samples, Batches, PayloadBytes);
    }

    private sealed class NaiveStream
    {
        private readonly string _hub;
        private readonly string _key;
        private readonly string _topic;
        private readonly IReadOnlyList<ColumnSpec> _columns;
        private long _sequence;

        public NaiveStream(StreamDefinition definition, FirmwareProfile profile, IngestOptions options, string pseudonym)
        {
            var origin = new StreamOrigin(options.Study, options.Site, pseudonym, pseudonym, definition.Id, definition.NominalRateHz);
            Service = ServiceStream.ForData(definition, profile, origin, null, BatchEncodingOptions.Default, 1024);
            _hub = options.HubId;
            _key = pseudonym + "." + definition.Id;
            _topic = new BatchAddress(options.Study, options.Site, pseudonym, definition.Id).Topic;
            _columns = Service.Decoder!.Schema.Columns;
        }

        public ServiceStream Service { get; }

        public List<NaiveSample> Samples { get; } = [];

        public TimeSpan OpenedAt { get; private set; }

        public void Decode(ReadOnlySpan<byte> payload, long hubTimeNs, TimeSpan now, NaiveCounts counts)
        {
            var result = Service.Decoder!.Decode(payload, hubTimeNs);
            if (!result.IsAccepted)
            {
                counts.Rejected++;
                return;
            }

            var columns = Service.Columns;
            if (Samples.Count == 0)
            {
                OpenedAt = now;
            }

            for (var row = 0; row < columns.RowCount; row++)
            {
                var values = new double?[columns.ValueColumnCount];
                for (var c = 0; c < values.Length; c++)
                {
                    values[c] = ValueAt(columns[c], row);
                }

                Samples.Add(new NaiveSample(columns.HubTime.Values[row], values));
            }

            counts.Samples += columns.RowCount;
            Service.ReturnColumns(Service.TakeOpenBatch());
        }

        /// <summary>Builders appending value by value, a new schema and writer per batch, then one awaited QoS 1 publish.</summary>
        public async Task SealAsync(MqttPublisher publisher, TimeSpan now, NaiveCounts counts)
        {
            _ = now;
            var time = new TimestampArray.Builder(s_time);
            var builders = new DoubleArray.Builder[_columns.Count];
            var fields = new List<Field>(_columns.Count + 1) { new(StreamSchema.HubTimeColumn, s_time, nullable: false) };
            for (var c = 0; c < builders.Length; c++)
            {
                builders[c] = new DoubleArray.Builder();
                fields.Add(new Field(_columns[c].Name, DoubleType.Default, nullable: true));
            }

            foreach (var sample in Samples)
            {
                time.Append(DateTimeOffset.UnixEpoch.AddTicks(sample.HubTimeNs / 100));
                for (var c = 0; c < builders.Length; c++)
                {
                    if (sample.Values[c] is { } value)
                    {
                        builders[c].Append(value);
                    }
                    else
                    {
                        builders[c].AppendNull();
                    }
                }
            }

            var metadata = new Dictionary<string, string>
            {
                [BatchMetadataKeys.Hub] = _hub,
                [BatchMetadataKeys.Stream] = _key,
                [BatchMetadataKeys.Sequence] = _sequence.ToString(CultureInfo.InvariantCulture),
            };
            var schema = new Schema(fields, metadata);
            var arrays = new List<IArrowArray>(builders.Length + 1) { time.Build() };
            arrays.AddRange(builders.Select(b => (IArrowArray)b.Build()));
            byte[] payload;
            using (var batch = new RecordBatch(schema, arrays, Samples.Count))
            using (var stream = new MemoryStream())
            {
                using (var writer = new ArrowStreamWriter(stream, schema))
                {
                    writer.WriteRecordBatch(batch);
                    writer.WriteEnd();
                }

                payload = stream.ToArray();
            }

            Samples.Clear();
            _sequence++;
            var result = await publisher.PublishAsync(_topic, payload).ConfigureAwait(false);
            if (result.IsSuccess)
            {
                counts.Batches++;
                counts.PayloadBytes += payload.Length;
            }
            else
            {
                counts.Failures++;
            }
        }
    }
}

/// <summary>What the naive path did in its measured window.</summary>
internal readonly record struct NaiveResult(ProcessDelta Delta, long Notifications, long Samples, long Batches, long PayloadBytes, long Failures, long Rejected);
