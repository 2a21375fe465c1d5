using System.Collections.Concurrent;
using System.Globalization;
using System.Text;
using Ingest.Pipeline.Publishing.Mqtt;
using Ingest.Tests.Mqtt.Support;
using Xunit.Abstractions;
using static Ingest.Tests.Mqtt.Support.MqttTestClients;

namespace Ingest.Tests.Mqtt;

/// <summary>
/// Thousands of QoS 1 publishes through a persistent mosquitto that is restarted mid-stream. The test plays the spool:
/// every message whose result is not success is published again once the layer has reconnected by itself; a real
/// subscriber (persistent session, our layer) proves every id arrived, duplicates allowed. WEARABLE_STRESS=1 scales it
/// up (50,000 messages, three restarts).
/// </summary>
public sealed class MosquittoRestartTests
{
    private readonly ITestOutputHelper _output;

    public MosquittoRestartTests(ITestOutputHelper output)
    {
        _output = output;
    }

    private static bool Stress => Environment.GetEnvironmentVariable("WEARABLE_STRESS") == "1";

    [Fact]
    public async Task Publish_BrokerRestartedUnderQoS1Load_EveryMessageArrivesAfterRepublish()
    {
        var count = Stress ? 50_000 : 5_000;
        var restarts = Stress ? 3 : 1;
        await using var broker = await MosquittoBroker.StartAsync("restart", persistence: true);
        MqttPublisherOptions Persistent(string id) => Options(broker, id) with
        {
            SessionExpirySeconds = 3600,
            KeepAliveSeconds = 5,
            ReconnectMinimumDelay = TimeSpan.FromMilliseconds(50),
            ReconnectMaximumDelay = TimeSpan.FromMilliseconds(500),
            PublishTimeout = TimeSpan.FromSeconds(10),
        };

        await using var subscriber = await SubscriberAsync(Persistent("restart-sub"), "restart/#");
        var received = new ConcurrentDictionary<string, int>();
        var drain = Task.Run(async () =>
        {
            await foreach (var message in subscriber.ReceivedMessages.ReadAllAsync())
            {
                received.AddOrUpdate(Encoding.ASCII.GetString(message.Payload.Span), 1, static (_, n) => n + 1);
            }
        });

        await using var publisher = new MqttPublisher(Persistent("restart-pub"));
        await publisher.ConnectAsync();
        var keys = Enumerable.Range(0, count).Select(i => i.ToString(CultureInfo.InvariantCulture)).ToArray();
        var completed = 0;
        var outcomes = new ConcurrentDictionary<PublishOutcome, int>();
        async Task<int> PublishUntilAcceptedAsync(string key)
        {
            for (var attempt = 0; ; attempt++)
            {
                var result = await publisher.PublishAsync("restart/q1", Encoding.ASCII.GetBytes(key));
                if (result.IsSuccess)
                {
                    Interlocked.Increment(ref completed);
                    return attempt;
                }

                // The spool's rule: anything not acknowledged is published again, after the layer reconnected.
                outcomes.AddOrUpdate(result.Outcome, 1, static (_, n) => n + 1);
                Assert.True(result.IsTransient, $"{key}: {result}");
                await publisher.WaitUntilConnectedAsync().WaitAsync(TimeSpan.FromSeconds(30));
            }
        }

        var publishing = keys.Select(PublishUntilAcceptedAsync).ToArray();
        for (var r = 1; r <= restarts; r++)
        {
            var threshold = count * r / (restarts + 1);
            while (Volatile.Read(ref completed) < threshold)
            {
                await Task.Delay(5);
            }

            _output.WriteLine($"restart {r} after {Volatile.Read(ref completed)} acknowledged publishes");
            await broker.RestartAsync(TimeSpan.FromMilliseconds(300));
        }

        var republished = (await Task.WhenAll(publishing).WaitAsync(TimeSpan.FromSeconds(Stress ? 600 : 120))).Sum();
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(Stress ? 300 : 60);
        while (received.Count < count && DateTime.UtcNow < deadline)
        {
            await Task.Delay(50);
        }

        var missing = keys.Where(k => !received.ContainsKey(k)).ToArray();
        _output.WriteLine($"published {count}, republished {republished} ({string.Join(", ", outcomes.Select(o => $"{o.Key} {o.Value}"))}), " +
            $"received distinct {received.Count}, duplicates {received.Sum(p => p.Value - 1)}, publisher reconnects {publisher.ReconnectCount}, subscriber reconnects {subscriber.ReconnectCount}");
        Assert.True(missing.Length == 0, $"{missing.Length} messages never arrived, e.g. {string.Join(", ", missing.Take(10))}\n{broker.Log[^Math.Min(2000, broker.Log.Length)..]}");
        Assert.True(republished > 0, "the restart interrupted nothing: the test did not exercise reconnect");
        Assert.Equal(restarts, publisher.ReconnectCount);
        Assert.Equal(0, publisher.InFlightCount);
        await subscriber.DisconnectAsync();
    }
}
