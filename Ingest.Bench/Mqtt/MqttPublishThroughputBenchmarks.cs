using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Toolchains.InProcess.Emit;
using Ingest.Mqtt;

namespace Ingest.Bench.Mqtt;

/// <summary>
/// performance.md G3: QoS 1 publishes to a loopback mosquitto started by the harness, our client against the raw
/// socket reference, same broker, same in-flight window (the broker's Receive Maximum). The baseline gathers every
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
    private MqttClient? _client;
    private RawSocketPublisher? _raw;
    private byte[] _payload = [];
    private ValueTask<PublishResult>[] _ring = [];

    [Params(244, 4096, 65536)]
    public int PayloadSize { get; set; }

    /// <summary>Publishes per invocation: enough for a steady state, little enough for a shared 2-core box.</summary>
    public const int Messages = 10_000;

    [GlobalSetup]
    public void Setup()
    {
        _broker = new BenchMosquitto(Window);
        _payload = new byte[PayloadSize];
        _ring = new ValueTask<PublishResult>[Window];
        _client = new MqttClient(new MqttClientOptions { Host = "127.0.0.1", Port = _broker.Port, ClientId = "bench-client", KeepAliveSeconds = 60 });
        var connected = _client.ConnectAsync().GetAwaiter().GetResult();
        if (connected.Limits.ReceiveMaximum != Window)
        {
            throw new InvalidOperationException($"broker Receive Maximum {connected.Limits.ReceiveMaximum}, expected {Window}");
        }

        _raw = new RawSocketPublisher(_broker.Port, PayloadSize, Window, Topic);
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _client?.DisposeAsync().AsTask().GetAwaiter().GetResult();
        _raw?.Dispose();
        _broker?.Dispose();
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = Messages, Description = "raw socket reference (gathered sends)")]
    public Task RawSocket() => _raw!.RunAsync(Messages, gather: true);

    [Benchmark(OperationsPerInvoke = Messages, Description = "raw socket, one send per packet")]
    public Task RawSocketOneSendPerPacket() => _raw!.RunAsync(Messages, gather: false);

    [Benchmark(OperationsPerInvoke = Messages, Description = "MqttClient QoS 1")]
    public Task Client() => ClientPublishLoop.RunAsync(_client!, Topic, _payload, _ring, Messages);

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
