using System.Diagnostics;
using System.Globalization;
using Ingest.Bench.Arrow;
using Ingest.Bench.Measurement;
using Ingest.Bench.Mqtt;
using Ingest.Pipeline.Batching;
using Ingest.Pipeline.Columns;
using Ingest.Pipeline.Decoding;
using Ingest.Pipeline.Publishing;
using Ingest.Pipeline.Publishing.Mqtt;

namespace Ingest.Bench.Hub;

/// <summary>
/// Issue 8's whole-path budget: what a hub with 20 busy trackers costs in CPU, from notification bytes to PUBACK, on the
/// card's libraries. Half the trackers are chest straps (ECG 130 Hz, ACC 200 Hz, heart rate), half are optical arm bands
/// (PPG 55 Hz, ACC 200 Hz, heart rate), about 200 notifications/s together; every stream seals one batch per second,
/// which is encoded by Apache.Arrow, hashed (SHA-256, as the MQTT contract carries it) and published at QoS 1 through our
/// MQTTnet layer to a private mosquitto. Measured two ways in one run:
/// <list type="bullet">
/// <item>paced: the hub's real rate, one simulated second per wall-clock second, against an idle baseline (the same process
/// connected and doing nothing for as long): the figure for "% of one core";</item>
/// <item>unpaced: the same work as fast as it goes, in three cumulative phases (decode; + encode and hash; + publish),
/// which splits the cost by stage.</item>
/// </list>
/// CPU is this process's total (all threads, MQTTnet's included) from <see cref="Environment.CpuUsage"/>; the broker is
/// a separate process and not counted. The figure is reported, not gated: CPU time moves with this shared box.
/// </summary>
internal static class HubPathHarness
{
    /// <summary>The budget from issue 8: the whole path of a 20-tracker hub under 1 % of one core.</summary>
    private const double CorePercentBudget = 1.0;

    /// <summary>
    /// Paced seconds before anything is measured: long enough on one CPU for tiered JIT to finish recompiling the hot
    /// methods in the background (measured: with 5 s, JIT still ran through most of a 30 s window).
    /// </summary>
    private const int WarmUpSeconds = 20;

    /// <summary>JIT time in a measured window above which the figure is flagged as not yet steady.</summary>
    private static readonly TimeSpan s_steadyJitLimit = TimeSpan.FromMilliseconds(100);

    private const string Usage = "usage: hub-path [--trackers N] [--seconds N] [--paced-seconds N] [--compression none|lz4|zstd] [--broker-cpu N]";

    private static readonly string[] s_chestStrap = ["ecg", "acc", "hr"];
    private static readonly string[] s_armBand = ["ppg", "acc", "hr"];

    public static async Task<int> RunAsync(string[] args)
    {
        if (!HarnessArguments.TryParse("hub-path", Usage, () => Settings.Parse(args), out var settings))
        {
            return 2;
        }

        var frames = SimulatedFrames.Create(Math.Max(settings.Seconds, Math.Max(settings.PacedSeconds, WarmUpSeconds)));
        using var broker = new BenchMosquitto(receiveMaximum: 64, settings.BrokerCpu);
        await using var publisher = await LayerPublishLoop.ConnectAsync(broker.Port, "hub-path", window: 64).ConfigureAwait(false);
        var hub = new SimulatedHub(settings, frames, publisher);

        Console.WriteLine($"Hub path: {settings.Trackers} trackers, {hub.StreamCount} streams, {frames.NotificationsPerSecond(settings.Trackers):0} notifications/s, " +
            $"one batch per stream per second, compression {settings.Compression.ToString().ToLowerInvariant()}, QoS 1 to mosquitto on loopback; " +
            $"{Environment.ProcessorCount} CPU(s) available to this process");
        Console.WriteLine();

        // Warm up: unpaced, so every per-batch method is called often enough for tiered JIT to promote it, then at the real
        // rate, which gives the background compiler the quiet spells it waits for. JIT time that still falls in a measured
        // window is reported (as the JIT's own wall-clock count, which on a busy CPU exceeds its CPU time, so it is not
        // subtracted) and the figure is flagged when it is more than a trace.
        await hub.RunSecondsAsync(Phase.Publish, settings.Seconds, paced: false).ConfigureAwait(false);
        await hub.RunSecondsAsync(Phase.Publish, WarmUpSeconds, paced: true).ConfigureAwait(false);

        Console.WriteLine("| Paced at the real rate | wall s | CPU | JIT compiling in the window (wall) | % of one core |");
        Console.WriteLine("|---|---|---|---|---|");
        var paced = await ProcessDelta.MeasureAsync(() => hub.RunSecondsAsync(Phase.Publish, settings.PacedSeconds, paced: true)).ConfigureAwait(false);
        var idle = await ProcessDelta.MeasureAsync(() => Task.Delay(TimeSpan.FromSeconds(settings.PacedSeconds))).ConfigureAwait(false);
        Console.WriteLine(Row("whole path", paced));
        Console.WriteLine(Row("idle baseline (connected, no data)", idle));
        var pathPercent = CorePercent(paced) - CorePercent(idle);
        Console.WriteLine();

        Console.WriteLine("| Phase (cumulative, unpaced) | simulated seconds | wall s | CPU per simulated second | % of one core at the real rate | allocated per notification |");
        Console.WriteLine("|---|---|---|---|---|---|");
        foreach (var phase in new[] { Phase.Decode, Phase.Encode, Phase.Publish })
        {
            var measurement = await ProcessDelta.MeasureAsync(() => hub.RunSecondsAsync(phase, settings.Seconds, paced: false)).ConfigureAwait(false);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| {Describe(phase)} | {settings.Seconds} | {measurement.Wall.TotalSeconds:0.00} | {measurement.CpuMicroseconds / settings.Seconds:0} µs | " +
                $"{100 * measurement.CpuMicroseconds / settings.Seconds / 1e6:0.000} % | {measurement.AllocatedBytes / (double)hub.NotificationsSent(settings.Seconds):0} B |"));
        }

        Console.WriteLine();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"Whole path at the real rate, above idle: {pathPercent:0.000} % of one core ({CorePercent(paced):0.000} % including the idle process's own {CorePercent(idle):0.000} %); " +
            $"budget {CorePercentBudget} % (reported, not failed). Batches published: {hub.Published}, failed: {hub.Failed}; notifications rejected: {hub.FramesRejected}."));
        if (TimeSpan.FromMicroseconds(paced.JitMicroseconds) > s_steadyJitLimit)
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"Not yet steady: the JIT was still compiling for {paced.JitMicroseconds / 1e3:0} ms in the measured window, so the whole-path figure includes part of that one-off cost; run with a longer --seconds warm-up."));
        }
        // A failed publish or a rejected simulated notification means the figures are not of the path they claim to be.
        return hub.Failed == 0 && hub.FramesRejected == 0 ? 0 : 1;
    }

    private static string Describe(Phase phase) => phase switch
    {
        Phase.Decode => "decode into columns",
        Phase.Encode => "+ seal, Arrow encode, SHA-256 and MQTT properties",
        _ => "+ QoS 1 publish to PUBACK",
    };

    private static string Row(string name, ProcessDelta measurement) => string.Create(CultureInfo.InvariantCulture,
        $"| {name} | {measurement.Wall.TotalSeconds:0.00} | {measurement.CpuMicroseconds / 1e3:0.0} ms | {measurement.JitMicroseconds / 1e3:0.0} ms | {CorePercent(measurement):0.000} % |");

    private static double CorePercent(ProcessDelta measurement) =>
        100 * measurement.CpuMicroseconds / 1e6 / measurement.Wall.TotalSeconds;

    private enum Phase
    {
        Decode,
        Encode,
        Publish,
    }

    /// <summary>Notifications of each simulated stream kind, grouped by the simulated second they arrive in (made before measuring).</summary>
    private sealed class SimulatedFrames
    {
        private readonly Dictionary<string, List<(byte[] Frame, long HubTimeNs)>[]> _bySecond = [];

        private SimulatedFrames()
        {
        }

        public static SimulatedFrames Create(int seconds)
        {
            var frames = new SimulatedFrames();
            foreach (var kind in CompressionStreams.Simulated)
            {
                var perSecond = new List<(byte[], long)>[seconds];
                for (var s = 0; s < seconds; s++)
                {
                    perSecond[s] = [];
                }

                // 200 Hz is the fastest simulated stream: enough samples for every second of every kind.
                foreach (var (frame, hubTime) in CompressionStreams.Frames(kind, (seconds + 1) * 200))
                {
                    var second = (hubTime - CompressionStreams.StartNs) / 1_000_000_000;
                    if (second < seconds)
                    {
                        perSecond[second].Add((frame, hubTime));
                    }
                }

                frames._bySecond[kind] = perSecond;
            }

            return frames;
        }

        public List<(byte[] Frame, long HubTimeNs)> In(string kind, int second) => _bySecond[kind][second];

        public double NotificationsPerSecond(int trackers)
        {
            double total = 0;
            for (var tracker = 0; tracker < trackers; tracker++)
            {
                foreach (var kind in tracker % 2 == 0 ? s_chestStrap : s_armBand)
                {
                    foreach (var second in _bySecond[kind])
                    {
                        total += second.Count;
                    }
                }
            }

            return total / _bySecond["hr"].Length;
        }
    }

    /// <summary>Every stream of the simulated trackers, each with its decoder, encoder, spare columns and sequence.</summary>
    private sealed class SimulatedHub
    {
        private const string HubId = "hub-bench";

        private readonly SimulatedFrames _frames;
        private readonly MqttPublisher _publisher;
        private readonly HubStream[] _streams;
        private readonly ValueTask<PublishResult>[] _pending;

        public SimulatedHub(Settings settings, SimulatedFrames frames, MqttPublisher publisher)
        {
            _frames = frames;
            _publisher = publisher;
            var streams = new List<HubStream>();
            for (var tracker = 0; tracker < settings.Trackers; tracker++)
            {
                foreach (var kind in tracker % 2 == 0 ? s_chestStrap : s_armBand)
                {
                    streams.Add(new HubStream(kind, $"p{tracker:000}-{kind}", settings.Compression));
                }
            }

            _streams = [.. streams];
            _pending = new ValueTask<PublishResult>[_streams.Length];
        }

        public int StreamCount => _streams.Length;

        public long Published { get; private set; }

        public long Failed { get; private set; }

        public long FramesRejected
        {
            get
            {
                long total = 0;
                foreach (var stream in _streams)
                {
                    total += stream.Decoder.Counters.FramesRejected;
                }

                return total;
            }
        }

        public long NotificationsSent(int seconds)
        {
            long total = 0;
            foreach (var stream in _streams)
            {
                for (var s = 0; s < seconds; s++)
                {
                    total += _frames.In(stream.Kind, s).Count;
                }
            }

            return total;
        }

        public async Task RunSecondsAsync(Phase phase, int seconds, bool paced)
        {
            // Every run replays the same notifications from the start: forget each decoder's last device timestamp, as
            // after a reconnect, or Polar frames would be rejected as going back in time.
            foreach (var stream in _streams)
            {
                stream.Decoder.Reset();
            }

            var start = Stopwatch.GetTimestamp();
            for (var second = 0; second < seconds; second++)
            {
                await RunSecondAsync(phase, second).ConfigureAwait(false);
                if (paced)
                {
                    var due = TimeSpan.FromSeconds(second + 1) - Stopwatch.GetElapsedTime(start);
                    if (due > TimeSpan.Zero)
                    {
                        await Task.Delay(due).ConfigureAwait(false);
                    }
                }
            }
        }

        private async Task RunSecondAsync(Phase phase, int second)
        {
            foreach (var stream in _streams)
            {
                foreach (var (frame, hubTime) in _frames.In(stream.Kind, second))
                {
                    stream.Decoder.Decode(frame, hubTime);
                }
            }

            for (var i = 0; i < _streams.Length; i++)
            {
                var stream = _streams[i];
                var sealedColumns = stream.Decoder.SwapColumns(stream.Spare);
                if (phase != Phase.Decode && sealedColumns.RowCount > 0)
                {
                    var identity = new BatchIdentity(HubId, stream.Name, stream.NextSequence++);
                    var payload = stream.Encoder.EncodeStream(sealedColumns, identity);
                    var (first, last) = ArrowBatchEncoder.TimeRange(sealedColumns);
                    // The SHA-256 the contract carries is computed in Properties, in every phase that encodes.
                    var properties = BatchMessage.Properties(identity, stream.Description, sealedColumns.RowCount, first, last, payload.Span);
                    if (phase == Phase.Publish)
                    {
#pragma warning disable CA2012 // Each ValueTask is stored once and awaited exactly once below.
                        _pending[i] = _publisher.PublishAsync(stream.Address.Topic, payload, properties);
#pragma warning restore CA2012
                    }
                }

                sealedColumns.Clear();
                stream.Spare = sealedColumns;
            }

            if (phase != Phase.Publish)
            {
                return;
            }

            // Each encoder's payload buffer is reused by its next batch: every PUBACK is in before the next second.
            for (var i = 0; i < _pending.Length; i++)
            {
                if (_pending[i] == default)
                {
                    continue;
                }

                var result = await _pending[i].ConfigureAwait(false);
                _pending[i] = default;
                if (result.IsSuccess)
                {
                    Published++;
                }
                else
                {
                    Failed++;
                    Console.Error.WriteLine($"hub-path: publish failed: {result}");
                }
            }
        }
    }

    private sealed class HubStream
    {
        public HubStream(string kind, string name, BatchCompression compression)
        {
            Kind = kind;
            Name = name;
            Address = new BatchAddress("bench-study", "site-1", name[..4], kind);
            Description = CompressionStreams.Describe(kind);
            Decoder = CompressionStreams.CreateDecoder(kind, initialRows: 256);
            Spare = new StreamColumns(Decoder.Schema, 256);
            Encoder = new ArrowBatchEncoder(Decoder.Schema, Description, new BatchEncodingOptions { Compression = compression });
        }

        public string Kind { get; }

        public string Name { get; }

        public BatchAddress Address { get; }

        public StreamDescription Description { get; }

        public StreamDecoder Decoder { get; }

        public ArrowBatchEncoder Encoder { get; }

        public StreamColumns Spare { get; set; }

        public long NextSequence { get; set; }
    }

    private sealed record Settings(int Trackers, int Seconds, int PacedSeconds, BatchCompression Compression, int? BrokerCpu)
    {
        public static Settings Parse(string[] args)
        {
            var settings = new Settings(Trackers: 20, Seconds: 60, PacedSeconds: 30, BatchEncodingOptions.DefaultCompression, BrokerCpu: null);
            for (var i = 0; i < args.Length; i++)
            {
                var name = args[i];
                if (i + 1 >= args.Length)
                {
                    throw new FormatException($"option '{name}' needs a value");
                }

                var value = args[++i];
                settings = name switch
                {
                    "--trackers" => settings with { Trackers = HarnessArguments.Positive(name, value, 1000) },
                    "--seconds" => settings with { Seconds = HarnessArguments.Positive(name, value, 3600) },
                    "--paced-seconds" => settings with { PacedSeconds = HarnessArguments.Positive(name, value, 3600) },
                    "--compression" => settings with { Compression = ParseCompression(value) },
                    "--broker-cpu" => settings with { BrokerCpu = HarnessArguments.Cpu(value) },
                    _ => throw new FormatException($"unknown option '{name}'"),
                };
            }

            return settings;
        }

        private static BatchCompression ParseCompression(string text) =>
            BatchEncodingOptions.TryParseCompression(text, out var compression)
                ? compression.Value
                : throw new FormatException($"--compression '{text}' is not one of: {BatchEncodingOptions.CompressionNames}");
    }
}
