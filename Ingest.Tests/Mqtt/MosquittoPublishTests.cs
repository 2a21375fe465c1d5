using System.Text;
using Ingest.Mqtt;
using Ingest.Mqtt.Protocol;
using Ingest.Tests.Mqtt.Support;

namespace Ingest.Tests.Mqtt;

/// <summary>The client against a real mosquitto 2.0 started on a free loopback port: connect, pipelined publish, subscribe, keep-alive.</summary>
public sealed class MosquittoPublishTests
{
    internal static MqttClientOptions Options(MosquittoBroker broker, string clientId, MqttProtocolVersion version = MqttProtocolVersion.V500) => new()
    {
        Host = "127.0.0.1",
        Port = broker.Port,
        ClientId = clientId,
        ProtocolVersion = version,
    };

    [Fact]
    public async Task ConnectAsync_V5_ReportsNegotiatedVersionAndMosquittoLimits()
    {
        await using var broker = await MosquittoBroker.StartAsync("limits-default");
        await using var client = new MqttClient(Options(broker, "limits"));
        var result = await client.ConnectAsync();

        Assert.Equal(MqttProtocolVersion.V500, result.ProtocolVersion);
        Assert.False(result.SessionPresent);
        Assert.Equal(20, result.Limits.ReceiveMaximum);
        Assert.Equal(10, result.Limits.TopicAliasMaximum);
        Assert.Equal(MqttQualityOfService.ExactlyOnce, result.Limits.MaximumQoS);
        Assert.True(client.IsConnected);
    }

    [Theory]
    [InlineData(MqttProtocolVersion.V500)]
    [InlineData(MqttProtocolVersion.V311)]
    public async Task PublishAsync_ThousandsPipelinedAtEveryQoS_AllAccepted(MqttProtocolVersion version)
    {
        await using var broker = await MosquittoBroker.StartAsync("pipelined");
        await using var client = new MqttClient(Options(broker, "pipelined", version));
        await client.ConnectAsync();
        var payload = new byte[244];
        var tasks = new List<Task<PublishResult>>();
        foreach (var qos in new[] { MqttQualityOfService.AtMostOnce, MqttQualityOfService.AtLeastOnce, MqttQualityOfService.ExactlyOnce })
        {
            for (var i = 0; i < 2000; i++)
            {
                tasks.Add(client.PublishAsync("bench/" + (int)qos, payload, qos).AsTask());
            }
        }

        var results = await Task.WhenAll(tasks).WaitAsync(TimeSpan.FromSeconds(60));
        Assert.All(results, r => Assert.True(r.IsSuccess, r.ToString()));
        if (version == MqttProtocolVersion.V500)
        {
            // mosquitto answers QoS 1 without subscribers with 0x10, which is success (protocols.md §2.7).
            Assert.Contains(results, r => r.ReasonCode == MqttReasonCode.NoMatchingSubscribers);

            // Beyond its Receive Maximum of 20 mosquitto would answer QoS 2 with PUBREC 0x97: all accepted proves we stayed within it.
            Assert.DoesNotContain(results, r => r.ReasonCode == MqttReasonCode.QuotaExceeded);
        }

        Assert.Equal(0, client.InFlightCount);
    }

    [Fact]
    public async Task SubscribeAsync_PublishWithProperties_SubscriberReceivesThemAtEveryQoS()
    {
        await using var broker = await MosquittoBroker.StartAsync("properties");
        await using var subscriber = new MqttClient(Options(broker, "sub"));
        await using var publisher = new MqttClient(Options(broker, "pub"));
        await subscriber.ConnectAsync();
        await publisher.ConnectAsync();
        var subscribed = await subscriber.SubscribeAsync("hub/+/batch", MqttQualityOfService.ExactlyOnce);
        Assert.Equal([MqttReasonCode.GrantedQoS2], subscribed.ReasonCodes);

        var properties = new MqttProperties
        {
            ContentType = "application/vnd.apache.arrow.stream",
            PayloadFormatIndicator = 0,
            MessageExpiryInterval = 3600,
            ResponseTopic = "hub/receipts",
            CorrelationData = new byte[] { 0xCA, 0xFE },
        };
        properties.UserProperties.Add(new MqttUserProperty("schema", "hr.v1"));
        properties.UserProperties.Add(new MqttUserProperty("seq", "42"));
        for (var qos = 0; qos <= 2; qos++)
        {
            var result = await publisher.PublishAsync($"hub/{qos}/batch", Encoding.UTF8.GetBytes("payload-" + qos), (MqttQualityOfService)qos, properties: properties);
            Assert.Equal(MqttPublishOutcome.Accepted, result.Outcome);
            Assert.Equal(MqttReasonCode.Success, result.ReasonCode);
        }

        for (var qos = 0; qos <= 2; qos++)
        {
            var message = await subscriber.ReceivedMessages.ReadAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(10));
            Assert.Equal($"hub/{qos}/batch", message.Topic);
            Assert.Equal("payload-" + qos, Encoding.UTF8.GetString(message.Payload.Span));
            Assert.Equal((MqttQualityOfService)qos, message.QualityOfService);
            Assert.Equal("application/vnd.apache.arrow.stream", message.Properties?.ContentType);
            Assert.Equal("hub/receipts", message.Properties?.ResponseTopic);
            Assert.Equal("CAFE", Convert.ToHexString(message.Properties!.CorrelationData!.Value.Span));
            Assert.Equal([new MqttUserProperty("schema", "hr.v1"), new MqttUserProperty("seq", "42")], message.Properties.UserProperties);
        }
    }

    [Fact]
    public async Task SubscribeAsync_SharedSubscription_SplitsMessagesBetweenMembers()
    {
        await using var broker = await MosquittoBroker.StartAsync("shared");
        await using var a = new MqttClient(Options(broker, "member-a"));
        await using var b = new MqttClient(Options(broker, "member-b"));
        await using var publisher = new MqttClient(Options(broker, "shared-pub"));
        await a.ConnectAsync();
        await b.ConnectAsync();
        await publisher.ConnectAsync();
        var subscription = new MqttSubscription { TopicFilter = "$share/receipts/hub/+/receipt", MaximumQoS = MqttQualityOfService.AtLeastOnce, RetainHandling = MqttRetainHandling.DoNotSend };
        Assert.True((await a.SubscribeAsync([subscription])).IsSuccess);
        Assert.True((await b.SubscribeAsync([subscription])).IsSuccess);

        const int count = 200;
        var results = await Task.WhenAll(Enumerable.Range(0, count).Select(i => publisher.PublishAsync($"hub/{i}/receipt", BitConverter.GetBytes(i)).AsTask()));
        Assert.All(results, r => Assert.True(r.IsSuccess));

        var received = 0;
        var perMember = new int[2];
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(15));
        while (received < count)
        {
            var fromA = a.ReceivedMessages.TryRead(out _);
            var fromB = b.ReceivedMessages.TryRead(out _);
            perMember[0] += fromA ? 1 : 0;
            perMember[1] += fromB ? 1 : 0;
            received += (fromA ? 1 : 0) + (fromB ? 1 : 0);
            if (!fromA && !fromB)
            {
                await Task.Delay(10, timeout.Token);
            }
        }

        Assert.Equal(count, perMember[0] + perMember[1]);
        Assert.True(perMember[0] > 0 && perMember[1] > 0, $"both members get a share: {perMember[0]} / {perMember[1]}");
        var unsubscribed = await a.UnsubscribeAsync([subscription.TopicFilter]);
        Assert.True(unsubscribed.IsSuccess);
    }

    [Fact]
    public async Task KeepAlive_IdleConnection_StaysUpWithPingReq()
    {
        await using var broker = await MosquittoBroker.StartAsync("keepalive");
        await using var client = new MqttClient(Options(broker, "idle"));
        await client.ConnectAsync();
        await Task.Delay(TimeSpan.FromSeconds(0.2));
        await using var idle = new MqttClient(new MqttClientOptions { Host = "127.0.0.1", Port = broker.Port, ClientId = "idle-1s", KeepAliveSeconds = 1 });
        await idle.ConnectAsync();
        await Task.Delay(TimeSpan.FromSeconds(3.5));
        Assert.True(idle.IsConnected);
        Assert.True(idle.ConnectionEvents.TryRead(out var connected));
        Assert.Equal(MqttConnectionEventKind.Connected, connected.Kind);
        Assert.False(idle.ConnectionEvents.TryRead(out var unexpected), unexpected.ToString());
        var result = await idle.PublishAsync("after/idle", new byte[] { 1 });
        Assert.True(result.IsSuccess);
    }

    [Fact]
    public async Task DisconnectAsync_InFlightPublishesResolvedAndClientClosed()
    {
        await using var broker = await MosquittoBroker.StartAsync("disconnect");
        var client = new MqttClient(Options(broker, "bye"));
        await client.ConnectAsync();
        Assert.True((await client.PublishAsync("a", new byte[] { 1 })).IsSuccess);
        await client.DisconnectAsync();
        Assert.False(client.IsConnected);
        var late = await client.PublishAsync("a", new byte[] { 1 });
        Assert.Equal(MqttPublishOutcome.Aborted, late.Outcome);
        await client.DisposeAsync();
        Assert.Contains("bye", broker.Log, StringComparison.Ordinal);
    }
}
