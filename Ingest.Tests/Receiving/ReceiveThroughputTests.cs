using System.Diagnostics;
using Ingest.Gateway.Receiving;
using Ingest.Pipeline.Publishing.Mqtt;
using Ingest.Tests.Mqtt.Support;
using Ingest.Tests.Support;
using Xunit.Abstractions;
using static Ingest.Tests.Mqtt.Support.MqttTestClients;

namespace Ingest.Tests.Receiving;

/// <summary>
/// Receiver throughput on this machine (stress: run with WEARABLE_STRESS=1): batches pre-published into a waiting session, then
/// landed with every fsync. Prints the figures docs/receiver.md quotes; asserts only that everything landed.
/// </summary>
public sealed class ReceiveThroughputTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Receive_ManyBatches_FiguresAndEveryRowLanded()
    {
        if (Environment.GetEnvironmentVariable("WEARABLE_STRESS") != "1")
        {
            output.WriteLine("stress test: set WEARABLE_STRESS=1 to run it");
            return;
        }

        const int Batches = 1000;
        const int Rows = 256;
        await using var broker = await MosquittoBroker.StartAsync("receive-throughput");
        var directory = Peers.NewScratchDirectory("receive-throughput");
        var receiver = new BatchReceiver(new ReceiverOptions
        {
            Broker = MqttBrokerUrl.TryParse($"mqtt://127.0.0.1:{broker.Port}", out var url, out _) ? url : throw new InvalidOperationException(),
            ClientId = "recv-throughput",
            OutputDirectory = directory,
        }, BatchStore.Open(directory));
        await using (receiver)
        {
            await receiver.ConnectAsync();
            var batches = Enumerable.Range(0, Batches).Select(i => ReceivingTestBatches.Make(i, rows: Rows)).ToArray();
            await using var hub = new MqttPublisher(Options(broker, "hub-throughput"));
            await hub.ConnectAsync();
            var stopwatch = Stopwatch.StartNew();
            var cpu = Process.GetCurrentProcess().TotalProcessorTime;
            var run = receiver.RunAsync(untilIdle: TimeSpan.FromSeconds(1));
            await Task.WhenAll(batches.Select(b => hub.PublishAsync(b.Topic, b.Payload, b.Properties).AsTask()));
            await run;
            var seconds = stopwatch.Elapsed.TotalSeconds - 1;
            var cpuSeconds = (Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalSeconds;
            var report = receiver.Report();
            Assert.Equal(Batches, report.Batches);
            output.WriteLine($"{Batches} batches x {Rows} rows in {seconds:0.00} s: {Batches / seconds:0} batches/s, {Batches * Rows / seconds:0} rows/s; " +
                $"process CPU {cpuSeconds:0.00} s (publisher and encoder included)");
        }
    }
}
