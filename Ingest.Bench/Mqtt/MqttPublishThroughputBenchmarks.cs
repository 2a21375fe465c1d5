using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Toolchains.InProcess.Emit;
using Ingest.Pipeline.Publishing.Mqtt;

namespace Ingest.Bench.Mqtt;

/// <summary>
/// performance.md G3: QoS 1 publishes to a loopback mosquitto started by the harness, the raw
/// socket reference and our MQTTnet layer, same broker, same in-flight window (the broker's Receive Maximum). The baseline gathers every
/// packet the window allows into one send (the strongest client-side reference); the one-send-per-packet variant is
/// the naive blaster, shown for scale. One operation = one publish,
/// so Mean is the time per publish (msg/s = 1 / Mean) and Allocated is bytes per publish (all threads).
/// Run: dotnet run -c Release --project Ingest.Bench -- --filter '*MqttPublishThroughput*'
/// </summary>
[MemoryDiagnoser]
[Config(typeof(Config))]
public class MqttPublishThroughputBenchmarks
{
    /// <summary>In-flight window: the broker's Receive Maximum, used by both publishers.</summary>
    public const int Window = 64;

    /// <summary>Both publishers use the same topic, so their PUBLISH packets differ only in what the client adds.</summary>
    private const string Topic = "bench/publish";

    private BenchMosquitto? _broker;
    private MqttPublisher? _publisher;
    private RawSocketPublisher? _raw;
    private byte[] _payload = [];
    private ValueTask<PublishResult>[] _ring = [];

    [Params(1024, 16384, 131072)]
    public int PayloadSize { get; set; }

    /// <summary>Publishes per invocation: enough for a steady state, little enough for a shared 2-core box.</summary>
    public const int Messages = 10_000;

    [GlobalSetup]
    public void Setup()
    {
        _broker = new BenchMosquitto(Window);
        _payload = new byte[PayloadSize];
        _ring = new ValueTask<PublishResult>[Window];
#pragma warning disable CA2000 // Owned by the field and disposed in Cleanup.
        _publisher = LayerPublishLoop.ConnectAsync(_broker.Port, "bench-layer", Window).GetAwaiter().GetResult();
#pragma warning restore CA2000
        _raw = new RawSocketPublisher(_broker.Port, PayloadSize, Window, Topic);
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _publisher?.DisposeAsync().AsTask().GetAwaiter().GetResult();
        _raw?.Dispose();
        _broker?.Dispose();
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = Messages, Description = "raw socket reference (gathered sends)")]
    public Task RawSocket() => _raw!.RunAsync(Messages, gather: true);

    [Benchmark(OperationsPerInvoke = Messages, Description = "raw socket, one send per packet")]
    public Task RawSocketOneSendPerPacket() => _raw!.RunAsync(Messages, gather: false);

    [Benchmark(OperationsPerInvoke = Messages, Description = "MQTTnet layer QoS 1")]
    public Task Client() => LayerPublishLoop.RunAsync(_publisher!, Topic, _payload, _ring, Messages);

    private sealed class Config : ManualConfig
    {
        public Config()
        {
            // In-process: no per-case rebuild on the shared box; the broker is a separate process anyway.
            AddJob(Job.Default.WithToolchain(InProcessEmitToolchain.Instance).WithWarmupCount(2).WithIterationCount(15).WithInvocationCount(1)
                .WithUnrollFactor(1));
            WithOptions(ConfigOptions.DisableOptimizationsValidator);
        }
    }
}
