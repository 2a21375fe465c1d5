using System.Diagnostics;
using Ingest.Mqtt;
using Ingest.Mqtt.Protocol;
using Ingest.Tests.Mqtt.Support;

namespace Ingest.Tests.Mqtt;

/// <summary>Dead-peer detection within 1.5 × keep-alive against a broker that goes silent.</summary>
[Collection(nameof(KeepAliveTimingTests))]
public sealed class KeepAliveTimingTests
{
    [Fact]
    public async Task KeepAlive_BrokerGoesSilent_DeadPeerDetectedWithinOneAndAHalfKeepAlive()
    {
        await using var broker = new FakeBroker();
        var (client, connection) = await FakeBrokerTests.ConnectAsync(broker, FakeBrokerTests.Options(broker, keepAlive: 1));
        await using var _ = client;
        using var __ = connection;
        var stopwatch = Stopwatch.StartNew();

        // The client pings; the silent broker never answers. The client's close is observed on the broker side.
        var ping = await connection.ReadAsync(TimeSpan.FromSeconds(2));
        Assert.IsType<MqttPingReqPacket>(ping);
        Assert.Null(await connection.ReadPacketAsync(TimeSpan.FromSeconds(5)));
        stopwatch.Stop();

        var lost = await FakeBrokerTests.NextEventAsync(client, MqttConnectionEventKind.Disconnected, TimeSpan.FromSeconds(5));
        Assert.Equal(MqttReasonCode.KeepAliveTimeout, lost.ReasonCode);

        // Declared dead one check interval (keep-alive / 8) before the 1.5 × deadline at the earliest; 0.15 s of slack
        // for scheduling on a shared machine.
        Assert.InRange(stopwatch.Elapsed, TimeSpan.FromSeconds(1.25), TimeSpan.FromSeconds(1.5 + 0.15));
        Assert.False(client.IsConnected);
    }
}
