using System.Diagnostics;
using Ingest.Mqtt;
using Ingest.Mqtt.Protocol;
using Ingest.Tests.Mqtt.Support;

namespace Ingest.Tests.Mqtt;

/// <summary>
/// The client against a scripted in-process broker: flow-control limits, hostile and broken packets, dead peers,
/// session resumption byte for byte, version fallback.
/// </summary>
public sealed class FakeBrokerTests
{
    internal static MqttClientOptions Options(FakeBroker broker, int keepAlive = 30, bool autoReconnect = false, uint sessionExpiry = 0) => new()
    {
        Host = "127.0.0.1",
        Port = broker.Port,
        ClientId = "fake-client",
        KeepAliveSeconds = keepAlive,
        AutoReconnect = autoReconnect,
        SessionExpiryInterval = sessionExpiry,
        CleanStart = sessionExpiry == 0,
        ReconnectMinimumDelay = TimeSpan.FromMilliseconds(10),
        ReconnectMaximumDelay = TimeSpan.FromMilliseconds(50),
    };

    internal static async Task<(MqttClient Client, FakeConnection Connection)> ConnectAsync(FakeBroker broker, MqttClientOptions options,
        MqttProperties? connAckProperties = null)
    {
        var client = new MqttClient(options);
        var connecting = client.ConnectAsync();
        var connection = await broker.AcceptAsync();
        await connection.ReadConnectAsync();
        await connection.SendConnAckAsync(properties: connAckProperties);
        await connecting;
        return (client, connection);
    }

    internal static async Task<MqttConnectionEvent> NextEventAsync(MqttClient client, MqttConnectionEventKind kind, TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        while (true)
        {
            var next = await client.ConnectionEvents.ReadAsync(cts.Token);
            if (next.Kind == kind)
            {
                return next;
            }
        }
    }

    [Fact]
    public async Task PubAck_ForUnknownPacketId_AcknowledgesNothing()
    {
        await using var broker = new FakeBroker();
        var (client, connection) = await ConnectAsync(broker, Options(broker));
        await using var _ = client;
        using var __ = connection;
        var publish = client.PublishAsync("t", new byte[] { 1 }).AsTask();
        var sent = (MqttPublishPacket)await connection.ReadAsync();

        await connection.SendAsync(new MqttAckPacket(MqttPacketType.PubAck) { PacketId = (ushort)(sent.PacketId + 100) });
        await connection.SendAsync(new MqttAckPacket(MqttPacketType.PubComp) { PacketId = sent.PacketId });
        await Task.Delay(200);
        Assert.False(publish.IsCompleted);
        Assert.Equal(1, client.InFlightCount);

        await connection.SendAsync(new MqttAckPacket(MqttPacketType.PubAck) { PacketId = sent.PacketId });
        Assert.True((await publish.WaitAsync(TimeSpan.FromSeconds(5))).IsSuccess);
        Assert.True(client.UnknownAcknowledgementCount >= 1);
    }

    [Fact]
    public async Task PubAck_WithFailureReason_IsAFailureTheCallerSees()
    {
        await using var broker = new FakeBroker();
        var (client, connection) = await ConnectAsync(broker, Options(broker));
        await using var _ = client;
        using var __ = connection;
        var qos1 = client.PublishAsync("denied", new byte[] { 1 }).AsTask();
        var qos2 = client.PublishAsync("quota", new byte[] { 2 }, MqttQualityOfService.ExactlyOnce).AsTask();
        var first = (MqttPublishPacket)await connection.ReadAsync();
        var second = (MqttPublishPacket)await connection.ReadAsync();
        await connection.SendAsync(new MqttAckPacket(MqttPacketType.PubAck)
        {
            PacketId = first.PacketId,
            ReasonCode = MqttReasonCode.NotAuthorized,
            Properties = new MqttProperties { ReasonString = "denied by ACL" },
        });
        await connection.SendAsync(new MqttAckPacket(MqttPacketType.PubRec) { PacketId = second.PacketId, ReasonCode = MqttReasonCode.QuotaExceeded });

        var denied = await qos1.WaitAsync(TimeSpan.FromSeconds(5));
        Assert.Equal(MqttPublishOutcome.Rejected, denied.Outcome);
        Assert.Equal(MqttReasonCode.NotAuthorized, denied.ReasonCode);
        Assert.Equal("denied by ACL", denied.ReasonString);
        Assert.False(denied.IsSuccess);
        var quota = await qos2.WaitAsync(TimeSpan.FromSeconds(5));
        Assert.Equal(MqttPublishOutcome.Rejected, quota.Outcome);
        Assert.Equal(MqttReasonCode.QuotaExceeded, quota.ReasonCode);

        // [MQTT-4.4.0-2]: no PUBREL after a failed PUBREC.
        Assert.True(await connection.IsQuietAsync(TimeSpan.FromMilliseconds(200)));
    }

    [Theory]
    [InlineData("40 04 00 01 00 05", MqttReasonCode.MalformedPacket)]
    [InlineData("30 FF FF FF 7F", MqttReasonCode.PacketTooLarge)]
    [InlineData("30 FF FF FF FF 01", MqttReasonCode.MalformedPacket)]
    [InlineData("20 03 00 00 00", MqttReasonCode.ProtocolError)]
    [InlineData("F0 00", MqttReasonCode.ProtocolError)]
    [InlineData("30 07 00 01 61 03 23 00 01", MqttReasonCode.TopicAliasInvalid)]
    [InlineData("E0 00", MqttReasonCode.NormalDisconnection)]
    public async Task HostilePacket_ClosesConnectionWithReasonCode(string hex, MqttReasonCode expected)
    {
        await using var broker = new FakeBroker();
        var (client, connection) = await ConnectAsync(broker, Options(broker));
        await using var _ = client;
        using var __ = connection;
        var pending = client.PublishAsync("t", new byte[] { 1 }).AsTask();
        await connection.ReadAsync();

        await connection.SendAsync(Convert.FromHexString(hex.Replace(" ", string.Empty, StringComparison.Ordinal)));
        var lost = await NextEventAsync(client, MqttConnectionEventKind.Disconnected, TimeSpan.FromSeconds(5));
        Assert.Equal(expected, lost.ReasonCode);
        if (expected != MqttReasonCode.NormalDisconnection)
        {
            // MQTT 5 §4.13: tell the server why, then close.
            var disconnect = Assert.IsType<MqttDisconnectPacket>(await connection.ReadAsync());
            Assert.Equal(expected, disconnect.ReasonCode);
        }

        Assert.Null(await connection.ReadPacketAsync(TimeSpan.FromSeconds(5)));

        // The publish was never acknowledged, so nothing pretends it was.
        var result = await pending.WaitAsync(TimeSpan.FromSeconds(5));
        Assert.Equal(MqttPublishOutcome.Aborted, result.Outcome);
    }

    [Fact]
    public async Task ReceiveMaximum_FromConnAck_BoundsPublishesInFlight()
    {
        await using var broker = new FakeBroker();
        var (client, connection) = await ConnectAsync(broker, Options(broker), new MqttProperties { ReceiveMaximum = 2 });
        await using var _ = client;
        using var __ = connection;
        var publishes = Enumerable.Range(0, 10).Select(i => client.PublishAsync("t", new byte[] { (byte)i }).AsTask()).ToArray();

        var first = (MqttPublishPacket)await connection.ReadAsync();
        var second = (MqttPublishPacket)await connection.ReadAsync();
        Assert.True(await connection.IsQuietAsync(TimeSpan.FromMilliseconds(200)), "a third PUBLISH exceeded Receive Maximum 2");

        await connection.SendAsync(new MqttAckPacket(MqttPacketType.PubAck) { PacketId = first.PacketId });
        var third = (MqttPublishPacket)await connection.ReadAsync();
        Assert.Equal(2, third.Payload.Span[0]);
        Assert.True(await connection.IsQuietAsync(TimeSpan.FromMilliseconds(200)));

        var acked = new[] { second.PacketId, third.PacketId }.ToList();
        foreach (var id in acked)
        {
            await connection.SendAsync(new MqttAckPacket(MqttPacketType.PubAck) { PacketId = id });
        }

        for (var i = 3; i < 10; i++)
        {
            var next = (MqttPublishPacket)await connection.ReadAsync();
            Assert.Equal(i, next.Payload.Span[0]);
            await connection.SendAsync(new MqttAckPacket(MqttPacketType.PubAck) { PacketId = next.PacketId });
        }

        Assert.All(await Task.WhenAll(publishes), r => Assert.True(r.IsSuccess));
    }

    [Fact]
    public async Task MaximumPacketSizeQoSAndRetain_FromConnAck_RefusedBeforeSending()
    {
        await using var broker = new FakeBroker();
        var limits = new MqttProperties { MaximumPacketSize = 100, MaximumQoS = 1, RetainAvailable = 0 };
        var (client, connection) = await ConnectAsync(broker, Options(broker), limits);
        await using var _ = client;
        using var __ = connection;

        var tooLarge = await client.PublishAsync("t", new byte[200]);
        Assert.Equal(MqttPublishOutcome.Refused, tooLarge.Outcome);
        Assert.Equal(MqttReasonCode.PacketTooLarge, tooLarge.ReasonCode);
        Assert.Contains("at most 100", tooLarge.ReasonString, StringComparison.Ordinal);
        var qos2 = await client.PublishAsync("t", new byte[1], MqttQualityOfService.ExactlyOnce);
        Assert.Equal(MqttReasonCode.QoSNotSupported, qos2.ReasonCode);
        var retained = await client.PublishAsync("t", new byte[1], retain: true);
        Assert.Equal(MqttReasonCode.RetainNotSupported, retained.ReasonCode);

        // Nothing of the refused publishes reached the wire; the next one that fits is the first packet.
        var fits = client.PublishAsync("t", new byte[50]).AsTask();
        var packet = (MqttPublishPacket)await connection.ReadAsync();
        Assert.Equal(50, packet.Payload.Length);
        await connection.SendAsync(new MqttAckPacket(MqttPacketType.PubAck) { PacketId = packet.PacketId });
        Assert.True((await fits).IsSuccess);
    }

    [Fact]
    public async Task TopicAlias_RepeatedTopic_SentOnceThenByAlias()
    {
        await using var broker = new FakeBroker();
        var (client, connection) = await ConnectAsync(broker, Options(broker), new MqttProperties { TopicAliasMaximum = 1 });
        await using var _ = client;
        using var __ = connection;
        var sends = new[]
        {
            client.PublishAsync("hub/abc/batch", new byte[] { 1 }, MqttQualityOfService.AtMostOnce).AsTask(),
            client.PublishAsync("hub/abc/batch", new byte[] { 2 }, MqttQualityOfService.AtMostOnce).AsTask(),
            client.PublishAsync("hub/other", new byte[] { 3 }, MqttQualityOfService.AtMostOnce).AsTask(),
        };

        var first = (MqttPublishPacket)await connection.ReadAsync();
        var second = (MqttPublishPacket)await connection.ReadAsync();
        var third = (MqttPublishPacket)await connection.ReadAsync();
        Assert.Equal(("hub/abc/batch", (ushort?)1), (first.Topic, first.Properties?.TopicAlias));
        Assert.Equal((string.Empty, (ushort?)1), (second.Topic, second.Properties?.TopicAlias));
        Assert.Equal(("hub/other", (ushort?)null), (third.Topic, third.Properties?.TopicAlias));
        Assert.All(await Task.WhenAll(sends), r => Assert.True(r.IsSuccess));
    }

    [Fact]
    public async Task Reconnect_SessionPresent_ResendsUnacknowledgedInOrderWithDupAndPubRel()
    {
        await using var broker = new FakeBroker();
        var options = Options(broker, autoReconnect: true, sessionExpiry: 600);
        var (client, first) = await ConnectAsync(broker, options);
        await using var _ = client;
        var publishes = new List<Task<PublishResult>>();
        for (var i = 0; i < 4; i++)
        {
            publishes.Add(client.PublishAsync("q1", new byte[] { (byte)i }).AsTask());
        }

        publishes.Add(client.PublishAsync("q2", new byte[] { 4 }, MqttQualityOfService.ExactlyOnce).AsTask());
        publishes.Add(client.PublishAsync("q2", new byte[] { 5 }, MqttQualityOfService.ExactlyOnce).AsTask());
        var sent = new List<MqttPublishPacket>();
        for (var i = 0; i < 6; i++)
        {
            sent.Add((MqttPublishPacket)await first.ReadAsync());
        }

        // Acknowledge #1 only, PUBREC #4 (so it moves on to PUBREL), then drop the connection.
        await first.SendAsync(new MqttAckPacket(MqttPacketType.PubAck) { PacketId = sent[1].PacketId });
        await first.SendAsync(new MqttAckPacket(MqttPacketType.PubRec) { PacketId = sent[4].PacketId });
        var pubRel = Assert.IsType<MqttAckPacket>(await first.ReadAsync());
        Assert.Equal((MqttPacketType.PubRel, sent[4].PacketId), (pubRel.PacketType, pubRel.PacketId));
        first.Dispose();

        var second = await broker.AcceptAsync();
        var connect = await second.ReadConnectAsync();
        Assert.False(connect.CleanStart);
        await second.SendConnAckAsync(sessionPresent: true);
        var resent = new List<MqttPacket>();
        for (var i = 0; i < 5; i++)
        {
            resent.Add(await second.ReadAsync());
        }

        var expectedOrder = new[] { 0, 2, 3, 4, 5 };
        for (var i = 0; i < expectedOrder.Length; i++)
        {
            var original = sent[expectedOrder[i]];
            if (expectedOrder[i] == 4)
            {
                var rel = Assert.IsType<MqttAckPacket>(resent[i]);
                Assert.Equal((MqttPacketType.PubRel, original.PacketId), (rel.PacketType, rel.PacketId));
            }
            else
            {
                var again = Assert.IsType<MqttPublishPacket>(resent[i]);
                Assert.True(again.Duplicate);
                Assert.Equal(original.PacketId, again.PacketId);
                Assert.Equal(original.Payload.ToArray(), again.Payload.ToArray());
            }
        }

        foreach (var packet in resent)
        {
            switch (packet)
            {
                case MqttPublishPacket { QualityOfService: MqttQualityOfService.AtLeastOnce } p:
                    await second.SendAsync(new MqttAckPacket(MqttPacketType.PubAck) { PacketId = p.PacketId });
                    break;
                case MqttPublishPacket p:
                    await second.SendAsync(new MqttAckPacket(MqttPacketType.PubRec) { PacketId = p.PacketId });
                    var release = Assert.IsType<MqttAckPacket>(await second.ReadAsync());
                    await second.SendAsync(new MqttAckPacket(MqttPacketType.PubComp) { PacketId = release.PacketId });
                    break;
                case MqttAckPacket resentRelease:
                    await second.SendAsync(new MqttAckPacket(MqttPacketType.PubComp) { PacketId = resentRelease.PacketId });
                    break;
            }
        }

        var results = await Task.WhenAll(publishes).WaitAsync(TimeSpan.FromSeconds(10));
        Assert.All(results, r => Assert.Equal(MqttPublishOutcome.Accepted, r.Outcome));
        second.Dispose();
    }

    [Fact]
    public async Task Reconnect_SessionGone_CallerLearnsWhichPublishesToSendAgain()
    {
        await using var broker = new FakeBroker();
        var options = Options(broker, autoReconnect: true, sessionExpiry: 600);
        var (client, first) = await ConnectAsync(broker, options);
        await using var _ = client;
        var lostOne = client.PublishAsync("a", new byte[] { 1 }).AsTask();
        var pastPubRec = client.PublishAsync("b", new byte[] { 2 }, MqttQualityOfService.ExactlyOnce).AsTask();
        await first.ReadAsync();
        var qos2 = (MqttPublishPacket)await first.ReadAsync();
        await first.SendAsync(new MqttAckPacket(MqttPacketType.PubRec) { PacketId = qos2.PacketId });
        await first.ReadAsync();
        first.Dispose();

        using var second = await broker.AcceptAsync();
        await second.ReadConnectAsync();
        await second.SendConnAckAsync(sessionPresent: false);
        await NextEventAsync(client, MqttConnectionEventKind.Disconnected, TimeSpan.FromSeconds(5));
        var connected = await NextEventAsync(client, MqttConnectionEventKind.Connected, TimeSpan.FromSeconds(5));
        Assert.False(connected.SessionPresent);

        var lost = await lostOne.WaitAsync(TimeSpan.FromSeconds(5));
        Assert.Equal(MqttPublishOutcome.SessionLost, lost.Outcome);
        Assert.True(lost.NeedsRepublish);
        Assert.Equal(MqttPublishOutcome.Accepted, (await pastPubRec).Outcome);
        Assert.Equal(1, connected.LostCount);
        Assert.True(await second.IsQuietAsync(TimeSpan.FromMilliseconds(200)), "nothing is resent into a new session");
    }

    [Theory]
    [InlineData("20 02 00 01")]
    [InlineData("")]
    public async Task ConnectAsync_BrokerRejectsVersion5_FallsBackTo311(string answer)
    {
        await using var broker = new FakeBroker();
        await using var client = new MqttClient(Options(broker));
        var connecting = client.ConnectAsync();
        using (var first = await broker.AcceptAsync())
        {
            var connect = await first.ReadConnectAsync();
            Assert.Equal(MqttProtocolVersion.V500, connect.ProtocolVersion);
            if (answer.Length > 0)
            {
                await first.SendAsync(Convert.FromHexString(answer.Replace(" ", string.Empty, StringComparison.Ordinal)));
            }
        }

        using var second = await broker.AcceptAsync();
        var retry = await second.ReadConnectAsync();
        Assert.Equal(MqttProtocolVersion.V311, retry.ProtocolVersion);
        await second.SendAsync(0x20, 0x02, 0x00, 0x00);
        var result = await connecting;
        Assert.Equal(MqttProtocolVersion.V311, result.ProtocolVersion);

        var publish = client.PublishAsync("t", new byte[] { 1 }).AsTask();
        var packet = (MqttPublishPacket)await second.ReadAsync();
        await second.SendAsync(new MqttAckPacket(MqttPacketType.PubAck) { PacketId = packet.PacketId });
        Assert.True((await publish).IsSuccess);
    }

    [Fact]
    public async Task ConnectAsync_SlowlorisConnAck_TimesOut()
    {
        await using var broker = new FakeBroker();
        var options = new MqttClientOptions { Host = "127.0.0.1", Port = broker.Port, ClientId = "slow", ConnectTimeout = TimeSpan.FromMilliseconds(500), AllowFallbackToV311 = false };
        await using var client = new MqttClient(options);
        var connecting = client.ConnectAsync();
        using var connection = await broker.AcceptAsync();
        await connection.ReadConnectAsync();
        await connection.SendAsync(0x20);
        var error = await Assert.ThrowsAsync<MqttConnectException>(() => connecting);
        Assert.Equal(MqttConnectFailure.Timeout, error.Failure);
    }
}
