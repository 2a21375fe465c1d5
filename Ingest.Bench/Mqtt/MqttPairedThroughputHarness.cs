using System.Diagnostics;
using System.Globalization;

namespace Ingest.Bench.Mqtt;

/// <summary>
/// performance.md G3 measured as paired rounds: on this shared 2-core box the machine drifts by more than the gaps being
/// measured, and BenchmarkDotNet runs the cases minutes apart. Here every publisher sends QoS 1 to the same mosquitto
/// with the same in-flight window in rotating rounds (the order rotates and reverses each round, so none always goes
/// first), each round's rate is taken against the raw-socket reference of the same round, and medians and quartiles are
/// reported. Run pinned, publishers and broker a core each: <c>scripts/bench-mqtt.sh</c>.
/// </summary>
internal static class MqttPairedThroughputHarness
{
    private const string Topic = "bench/publish";

    private const string ReferenceName = "raw reference";

    private const string LayerName = "MQTTnet layer";

    /// <summary>
    /// G3.4 after the switch to MQTTnet: at most 4 KB allocated per publish (MQTTnet allocates ≈ 1.4–2.2 KB itself;
    /// allocation is steady on any box, so this one fails the run).
    /// </summary>
    private const double AllocationBudget = 4096;

    /// <summary>G3 after the switch: at most 60 µs of CPU per publish (reported, not failed: CPU time moves with the box).</summary>
    private const double CpuBudgetMicroseconds = 60;

    /// <summary>Bytes sent per publisher and round when --messages is not given: enough for a steady state, little enough for the shared box.</summary>
    private const long BytesPerRound = 256L * 1024 * 1024;

    public static async Task<int> RunAsync(string[] args)
    {
        Settings settings;
        try
        {
            settings = Settings.Parse(args);
        }
        catch (FormatException ex)
        {
            Console.Error.WriteLine($"mqtt-paired: {ex.Message}");
            Console.Error.WriteLine("usage: mqtt-paired [--rounds N] [--messages N] [--window N] [--sizes 1024,16384,131072] [--broker-cpu N] [--socket-buffer BYTES]");
            return 2;
        }

        Console.WriteLine($"MQTT QoS 1 paired harness: {settings.Rounds} rounds per size, window {settings.Window}, " +
            $"broker CPU {(settings.BrokerCpu?.ToString(CultureInfo.InvariantCulture) ?? "unpinned")}, layer socket buffers {settings.SocketBuffer / 1024} KiB, {Environment.ProcessorCount} CPU(s) available to this process");
        Console.WriteLine();
        Console.WriteLine("| Payload | Publisher | messages per round | rate (median) | rate / reference: median [P25–P75] | CPU per publish, this process (median) | allocated per publish (median) |");
        Console.WriteLine("|---|---|---|---|---|---|---|");
        var overBudget = 0;
        var overCpu = 0;
        foreach (var size in settings.Sizes)
        {
            var messages = settings.Messages ?? (int)Math.Clamp(BytesPerRound / size, 2_000, 30_000);
            foreach (var row in await MeasureAsync(settings, size, messages).ConfigureAwait(false))
            {
                Console.WriteLine(row.Format(size, messages));
                if (row.Name == LayerName)
                {
                    overBudget += row.Allocated > AllocationBudget ? 1 : 0;
                    overCpu += row.CpuMicroseconds > CpuBudgetMicroseconds ? 1 : 0;
                }
            }
        }

        Console.WriteLine();
        Console.WriteLine(overCpu == 0
            ? $"G3 CPU met: the MQTTnet layer used at most {CpuBudgetMicroseconds} µs of CPU per publish at every size."
            : $"G3 CPU not met at {overCpu} size(s): more than {CpuBudgetMicroseconds} µs per publish (reported, not failed: CPU time moves with the shared box).");
        Console.WriteLine(overBudget == 0
            ? $"G3.4 met: the MQTTnet layer allocated at most {AllocationBudget} B per publish at every size."
            : $"G3.4 FAILED at {overBudget} size(s): the MQTTnet layer allocated more than {AllocationBudget} B per publish.");
        return overBudget == 0 ? 0 : 1;
    }

    private static async Task<Row[]> MeasureAsync(Settings settings, int size, int messages)
    {
        using var broker = new BenchMosquitto(settings.Window, settings.BrokerCpu);
        var payload = new byte[size];
        using var reference = new RawSocketPublisher(broker.Port, size, settings.Window, Topic);
        await using var layer = await LayerPublishLoop.ConnectAsync(broker.Port, "paired-layer", settings.Window, settings.SocketBuffer).ConfigureAwait(false);
        var layerRing = new ValueTask<Ingest.Pipeline.Publishing.Mqtt.PublishResult>[settings.Window];
        var contenders = new List<(string Name, Func<Task> Run)>
        {
            (ReferenceName, () => reference.RunAsync(messages, gather: true)),
            (LayerName, () => LayerPublishLoop.RunAsync(layer, Topic, payload, layerRing, messages)),
        };

        using var bare = await BareMqttnetPublishLoop.ConnectAsync(broker.Port, "paired-bare", settings.SocketBuffer).ConfigureAwait(false);
        var bareRing = new Task<MQTTnet.MqttClientPublishResult>[settings.Window];
        contenders.Add(("MQTTnet alone", () => BareMqttnetPublishLoop.RunAsync(bare, Topic, payload, bareRing, messages)));

        // Warm-up: JIT tiers, pooled buffers, the broker's per-client state.
        for (var i = 0; i < 3; i++)
        {
            foreach (var (_, run) in contenders)
            {
                await run().ConfigureAwait(false);
            }
        }

        var measured = contenders.Select(_ => new Measurement[settings.Rounds]).ToArray();
        for (var round = 0; round < settings.Rounds; round++)
        {
            // Rotate the order every round and reverse it every other round: nobody always runs first or after the same neighbour.
            var order = Enumerable.Range(0, contenders.Count).Select(i => (i + round) % contenders.Count).ToArray();
            if (round % 2 == 1)
            {
                Array.Reverse(order);
            }

            foreach (var index in order)
            {
                measured[index][round] = await MeasureRoundAsync(contenders[index].Run).ConfigureAwait(false);
            }
        }

        var perMessage = 1e6 / messages;
        return contenders.Select((contender, c) =>
        {
            double[] PerRound(Func<int, double> value) => Enumerable.Range(0, settings.Rounds).Select(value).ToArray();
            var ratios = PerRound(r => measured[0][r].Seconds / measured[c][r].Seconds);
            return new Row(contender.Name,
                Rate: messages / Median(PerRound(r => measured[c][r].Seconds)),
                MedianRatio: Median(ratios), P25: Quantile(ratios, 0.25), P75: Quantile(ratios, 0.75),
                CpuMicroseconds: Median(PerRound(r => measured[c][r].CpuSeconds)) * perMessage,
                Allocated: Median(PerRound(r => (double)measured[c][r].AllocatedBytes / messages)));
        }).ToArray();
    }

    /// <summary>
    /// Runs one round: wall time, this process's CPU time (user + kernel, all threads; the broker is another process) and
    /// bytes allocated (all threads). The allocation counter is read innermost, so reading the clocks is not counted.
    /// </summary>
    private static async Task<Measurement> MeasureRoundAsync(Func<Task> run)
    {
        var cpuBefore = Environment.CpuUsage.TotalTime;
        var start = Stopwatch.GetTimestamp();
        var allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);
        await run().ConfigureAwait(false);
        var allocated = GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore;
        var seconds = Stopwatch.GetElapsedTime(start).TotalSeconds;
        var cpu = (Environment.CpuUsage.TotalTime - cpuBefore).TotalSeconds;
        return new Measurement(seconds, cpu, allocated);
    }

    private readonly record struct Measurement(double Seconds, double CpuSeconds, long AllocatedBytes);

    private static double Median(double[] values) => Quantile(values, 0.5);

    private static double Quantile(double[] values, double q)
    {
        var sorted = values.Order().ToArray();
        var position = q * (sorted.Length - 1);
        var lower = (int)Math.Floor(position);
        var upper = (int)Math.Ceiling(position);
        return sorted[lower] + ((sorted[upper] - sorted[lower]) * (position - lower));
    }

    private sealed record Row(string Name, double Rate, double MedianRatio, double P25, double P75, double CpuMicroseconds, double Allocated)
    {
        public string Format(int size, int messages) => string.Create(CultureInfo.InvariantCulture,
            $"| {FormatSize(size)} | {Name} | {messages:N0} | {Rate / 1000:0.0} k msg/s ({Rate * size / 1e6:0} MB/s) | " +
            $"**{MedianRatio:0.000}** [{P25:0.000}–{P75:0.000}] | {CpuMicroseconds:0.0} µs | {Allocated:0} B |");

        private static string FormatSize(int size) => size % 1024 == 0 ? $"{size / 1024} KiB" : $"{size} B";
    }

    private sealed record Settings(int Rounds, int? Messages, int Window, int[] Sizes, int? BrokerCpu, int SocketBuffer)
    {
        /// <summary>Parses <c>--name value</c> pairs; throws <see cref="FormatException"/> naming the bad option.</summary>
        public static Settings Parse(string[] args)
        {
            var settings = new Settings(Rounds: 15, Messages: null, Window: 64, Sizes: [1024, 16384, 131072], BrokerCpu: null,
                SocketBuffer: Ingest.Pipeline.Publishing.Mqtt.MqttPublisherOptions.DefaultSocketBufferBytes);
            for (var i = 0; i < args.Length; i += 2)
            {
                var option = args[i];
                var value = i + 1 < args.Length ? args[i + 1] : throw new FormatException($"{option} needs a value");
                settings = option switch
                {
                    "--rounds" => settings with { Rounds = PositiveInt(option, value) },
                    "--messages" => settings with { Messages = PositiveInt(option, value) },
                    "--window" => settings with { Window = PositiveInt(option, value) <= ushort.MaxValue ? PositiveInt(option, value) : throw new FormatException($"--window {value}: at most 65535") },
                    "--sizes" => settings with { Sizes = value.Split(',').Select(v => PositiveInt(option, v)).ToArray() },
                    "--broker-cpu" => settings with { BrokerCpu = CpuIndex(value) },
                    "--socket-buffer" => settings with { SocketBuffer = PositiveInt(option, value) },
                    _ => throw new FormatException($"unknown option {option}"),
                };
            }

            return settings;
        }

        private static int CpuIndex(string text) =>
            int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value < 63
                ? value
                : throw new FormatException($"--broker-cpu {text}: expected a CPU number (0, 1, …)");

        private static int PositiveInt(string option, string text) =>
            int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value > 0
                ? value
                : throw new FormatException($"{option} {text}: expected a positive whole number");
    }
}
