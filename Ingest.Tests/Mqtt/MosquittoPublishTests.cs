using System.Text;
using Ingest.Pipeline.Publishing.Mqtt;
using Ingest.Tests.Mqtt.Support;
using MQTTnet.Formatter;
using MQTTnet.Protocol;
using static Ingest.Tests.Mqtt.Support.MqttTestClients;

namespace Ingest.Tests.Mqtt;

/// <summary>Our MQTTnet layer against a real mosquitto 2.0 on a free loopback port: MQTT 5 and forced 3.1.1, pipelined QoS 1, properties, large payloads, the Will.</summary>
public sealed class MosquittoPublishTests
{
    private static MqttPublishProperties BatchProperties() => new()
    {
        ContentType = "application/vnd.apache.arrow.stream",
        ResponseTopic = "hub/receipts",
        CorrelationData = new byte[] { 0xCA, 0xFE },
        UserProperties = [KeyValuePair.Create("schema", "hr.v1"), KeyValuePair.Create("seq", "42")],
    };

    [Fact]
    public async Task ConnectAsync_V5_ReportsNegotiatedVersionLimitsAndWindow()
    {
        await using var broker = await MosquittoBroker.StartAsync("limits-default");
        await using var publisher = new MqttPublisher(Options(broker, "limits"));
        var connected = await publisher.ConnectAsync();

        Assert.Equal(MqttProtocolVersion.V500, connected.ProtocolVersion);
        Assert.False(connected.FellBackToV311);
        Assert.Equal(20, connected.Limits.ReceiveMaximum);
        Assert.Equal(10, connected.Limits.TopicAliasMaximum);
        Assert.Equal(MqttQualityOfServiceLevel.ExactlyOnce, connected.Limits.MaximumQoS);
        Assert.Equal(MqttServerLimits.NoPacketSizeLimit, connected.Limits.MaximumPacketSize);
        // Our window (64 by default) is lowered to mosquitto's Receive Maximum of 20.
        Assert.Equal(20, connected.InFlightWindow);
        Assert.True(publisher.IsConnected);
    }

    [Theory]
    [InlineData(MqttProtocolVersion.V500)]
    [InlineData(MqttProtocolVersion.V311)]
    public async Task PublishAsync_ThousandsPipelined_AllAcknowledgedAndAllArrive(MqttProtocolVersion version)
    {
        await using var broker = await MosquittoBroker.StartAsync("pipelined");
        await using var subscriber = await SubscriberAsync(Options(broker, "pipelined-sub"), "bench/#");
        await using var publisher = new MqttPublisher(Options(broker, "pipelined", version));
        var connected = await publisher.ConnectAsync();
        Assert.Equal(version, connected.ProtocolVersion);

        const int count = 3000;
        var peak = 0;
        var results = await Task.WhenAll(Enumerable.Range(0, count).Select(async i =>
        {
            var publish = publisher.PublishAsync("bench/x", BitConverter.GetBytes(i), BatchProperties());
            InterlockedMax(ref peak, publisher.InFlightCount);
            return await publish;
        })).WaitAsync(TimeSpan.FromSeconds(60));

        Assert.All(results, r => Assert.True(r.IsSuccess, r.ToString()));
        Assert.InRange(peak, 1, connected.InFlightWindow);
        Assert.Equal(0, publisher.InFlightCount);
        var seen = new HashSet<int>();
        while (seen.Count < count)
        {
            seen.Add(BitConverter.ToInt32((await ReceiveAsync(subscriber)).Payload.Span));
        }
    }

    [Theory]
    [InlineData(MqttProtocolVersion.V500)]
    [InlineData(MqttProtocolVersion.V311)]
    public async Task PublishAsync_BatchProperties_ArriveUnderMqtt5AndAreDroppedUnder311(MqttProtocolVersion version)
    {
        await using var broker = await MosquittoBroker.StartAsync("properties");
        await using var subscriber = await SubscriberAsync(Options(broker, "props-sub"), "hub/+/batch");
        await using var publisher = new MqttPublisher(Options(broker, "props-pub", version));
        await publisher.ConnectAsync();

        // Under 3.1.1 MQTTnet would throw NotSupportedException for these; the layer drops them and still publishes.
        var result = await publisher.PublishAsync("hub/7/batch", "payload"u8.ToArray(), BatchProperties());
        Assert.Equal(PublishOutcome.Accepted, result.Outcome);
        Assert.Equal(PublishReasonCode.Success, result.ReasonCode);

        var message = await ReceiveAsync(subscriber);
        Assert.Equal("payload", Encoding.UTF8.GetString(message.Payload.Span));
        if (version == MqttProtocolVersion.V500)
        {
            Assert.Equal("application/vnd.apache.arrow.stream", message.ContentType);
            Assert.Equal("hub/receipts", message.ResponseTopic);
            Assert.Equal("CAFE", Convert.ToHexString(message.CorrelationData!.Value.Span));
            Assert.Equal([KeyValuePair.Create("schema", "hr.v1"), KeyValuePair.Create("seq", "42")], message.UserProperties);
        }
        else
        {
            Assert.Null(message.ContentType);
            Assert.Null(message.CorrelationData);
            Assert.Empty(message.UserProperties);
        }
    }

    [Fact]
    public async Task PublishAsync_NoSubscriber_IsSuccessWithReason0x10()
    {
        await using var broker = await MosquittoBroker.StartAsync("no-subscriber");
        await using var publisher = new MqttPublisher(Options(broker, "lonely"));
        await publisher.ConnectAsync();
        var result = await publisher.PublishAsync("nobody/listens", new byte[] { 1 });
        Assert.True(result.IsSuccess, result.ToString());
        Assert.Equal(PublishReasonCode.NoMatchingSubscribers, result.ReasonCode);
    }

    [Fact]
    public async Task PublishAsync_LargePayloads_ArriveByteForByte()
    {
        await using var broker = await MosquittoBroker.StartAsync("large");
        await using var subscriber = await SubscriberAsync(Options(broker, "large-sub"), "large/#");
        await using var publisher = new MqttPublisher(Options(broker, "large-pub"));
        await publisher.ConnectAsync();
        var payloads = new[] { 16 * 1024, 128 * 1024, 1024 * 1024 + 7 }.Select(size =>
        {
            var bytes = new byte[size];
            new Random(size).NextBytes(bytes);
            return bytes;
        }).ToArray();

        var results = await Task.WhenAll(payloads.Select(p => publisher.PublishAsync("large/x", p).AsTask()));
        Assert.All(results, r => Assert.True(r.IsSuccess, r.ToString()));
        foreach (var expected in payloads)
        {
            var message = await ReceiveAsync(subscriber);
            Assert.True(expected.AsSpan().SequenceEqual(message.Payload.Span), $"payload of {expected.Length} bytes differs");
        }
    }

    [Fact]
    public async Task PublishAsync_AfterDisconnect_IsNotConnectedNeverSuccess()
    {
        await using var broker = await MosquittoBroker.StartAsync("disconnect");
        var publisher = new MqttPublisher(Options(broker, "bye"));
        Assert.Equal(PublishOutcome.NotConnected, (await publisher.PublishAsync("a", new byte[] { 1 })).Outcome);
        await publisher.ConnectAsync();
        Assert.True((await publisher.PublishAsync("a", new byte[] { 1 })).IsSuccess);
        await publisher.DisconnectAsync();
        Assert.False(publisher.IsConnected);
        var late = await publisher.PublishAsync("a", new byte[] { 1 });
        Assert.Equal(PublishOutcome.NotConnected, late.Outcome);
        await publisher.DisposeAsync();
        await Assert.ThrowsAsync<InvalidOperationException>(() => publisher.ConnectAsync());
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Will_RetainedOfflineStatusPublishedOnlyWhenTheHubVanishes(bool vanish)
    {
        await using var broker = await MosquittoBroker.StartAsync("will-" + vanish);
        var hub = new MqttPublisher(Options(broker, "hub-7") with { Will = MqttOfflineWill.For("hub/7/status"), AutoReconnect = false });
        await hub.ConnectAsync();
        Assert.True((await hub.PublishAsync("hub/7/status", "online"u8.ToArray(), retain: true)).IsSuccess);

        if (vanish)
        {
            // DISCONNECT with reason 0x04 asks the broker to publish the Will, as a lost connection would.
            await hub.DisconnectAsync(publishWill: true);
        }
        else
        {
            await hub.DisconnectAsync();
        }

        await hub.DisposeAsync();
        await Task.Delay(300);

        // A watcher that arrives later sees the retained status: the Will is retained, so dashboards show the hub offline.
        await using var watcher = await SubscriberAsync(Options(broker, "watcher"), "hub/+/status");
        var status = await ReceiveAsync(watcher);
        Assert.True(status.Retained);
        Assert.Equal(vanish ? "offline" : "online", Encoding.UTF8.GetString(status.Payload.Span));
    }

    private static void InterlockedMax(ref int target, int value)
    {
        var current = Volatile.Read(ref target);
        while (value > current)
        {
            var seen = Interlocked.CompareExchange(ref target, value, current);
            if (seen == current)
            {
                return;
            }

            current = seen;
        }
    }
}
