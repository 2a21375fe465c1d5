using System.Collections.Concurrent;
using System.Globalization;
using System.Text;
using Ingest.Mqtt;
using Ingest.Mqtt.Protocol;
using Ingest.Tests.Mqtt.Support;
using Xunit.Abstractions;

namespace Ingest.Tests.Mqtt;

/// <summary>
/// Thousands of QoS 1 and QoS 2 publishes through a persistent mosquitto that is restarted mid-stream; a real
/// subscriber (our client, persistent session) proves every message arrived. WEARABLE_STRESS=1 scales it up
/// (50,000 per QoS, three restarts).
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
    public async Task Publish_BrokerRestartedMidStream_EveryQoS1AndQoS2MessageArrives()
    {
        var perQoS = Stress ? 50_000 : 2_500;
        var restarts = Stress ? 3 : 1;
        await using var broker = await MosquittoBroker.StartAsync("restart", persistence: true);
        MqttClientOptions Options(string id) => new()
        {
            Host = "127.0.0.1",
            Port = broker.Port,
            ClientId = id,
            CleanStart = false,
            SessionExpiryInterval = 3600,
            KeepAliveSeconds = 5,
            ReconnectMinimumDelay = TimeSpan.FromMilliseconds(50),
            ReconnectMaximumDelay = TimeSpan.FromMilliseconds(500),
            ReceiveMaximum = 100,
        };

        await using var subscriber = new MqttClient(Options("restart-sub"));
        await subscriber.ConnectAsync();
        Assert.True((await subscriber.SubscribeAsync("restart/#", MqttQualityOfService.ExactlyOnce)).IsSuccess);
        var received = new ConcurrentDictionary<string, int>();
        var drain = Task.Run(async () =>
        {
            await foreach (var message in subscriber.ReceivedMessages.ReadAllAsync())
            {
                received.AddOrUpdate(Encoding.ASCII.GetString(message.Payload.Span), 1, static (_, n) => n + 1);
            }
        });

        await using var publisher = new MqttClient(Options("restart-pub"));
        await publisher.ConnectAsync();
        var keys = new List<(string Topic, string Key, MqttQualityOfService QoS)>();
        for (var i = 0; i < perQoS; i++)
        {
            keys.Add(("restart/q1", "1-" + i.ToString(CultureInfo.InvariantCulture), MqttQualityOfService.AtLeastOnce));
            keys.Add(("restart/q2", "2-" + i.ToString(CultureInfo.InvariantCulture), MqttQualityOfService.ExactlyOnce));
        }

        var completed = 0;
        async Task<int> PublishUntilAcceptedAsync((string Topic, string Key, MqttQualityOfService QoS) item)
        {
            var attempts = 0;
            while (true)
            {
                attempts++;
                var result = await publisher.PublishAsync(item.Topic, Encoding.ASCII.GetBytes(item.Key), item.QoS);
                if (result.IsSuccess)
                {
                    Interlocked.Increment(ref completed);
                    return attempts - 1;
                }

                Assert.True(result.NeedsRepublish, $"{item.Key}: {result}");
            }
        }

        var publishing = keys.Select(PublishUntilAcceptedAsync).ToArray();
        for (var r = 1; r <= restarts; r++)
        {
            var threshold = keys.Count * r / (restarts + 1);
            while (Volatile.Read(ref completed) < threshold)
            {
                await Task.Delay(5);
            }

            _output.WriteLine($"restart {r} after {Volatile.Read(ref completed)} acknowledged publishes");
            await broker.RestartAsync(TimeSpan.FromMilliseconds(300));
        }

        var republished = (await Task.WhenAll(publishing).WaitAsync(TimeSpan.FromSeconds(Stress ? 600 : 90))).Sum();
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(Stress ? 300 : 60);
        while (received.Count < keys.Count && DateTime.UtcNow < deadline)
        {
            await Task.Delay(50);
        }

        var missing = keys.Where(k => !received.ContainsKey(k.Key)).Select(k => k.Key).ToArray();
        var duplicatesQoS1 = received.Where(p => p.Key.StartsWith("1-", StringComparison.Ordinal)).Sum(p => p.Value - 1);
        var duplicatesQoS2 = received.Where(p => p.Key.StartsWith("2-", StringComparison.Ordinal)).Sum(p => p.Value - 1);
        _output.WriteLine($"published {keys.Count}, republished after session loss {republished}, received distinct {received.Count}, " +
            $"QoS1 duplicates {duplicatesQoS1}, QoS2 duplicates {duplicatesQoS2}");
        var events = new List<string>();
        while (subscriber.ConnectionEvents.TryRead(out var e))
        {
            events.Add($"{e.Kind} present={e.SessionPresent} reason={e.ReasonCode} {e.Error?.Message}");
        }

        _output.WriteLine("subscriber events: " + string.Join(" | ", events));
        Assert.True(missing.Length == 0, $"{missing.Length} messages never arrived, e.g. {string.Join(", ", missing.Take(10))}\n" +
            $"subscriber events: {string.Join(" | ", events)}\n{broker.Log[^Math.Min(2000, broker.Log.Length)..]}");
        if (republished == 0)
        {
            // With the session resumed on both sides, QoS 2 stays exactly once across the restart.
            Assert.Equal(0, duplicatesQoS2);
        }

        Assert.Equal(0, publisher.InFlightCount);
        await subscriber.DisconnectAsync();
        await drain;
    }
}
