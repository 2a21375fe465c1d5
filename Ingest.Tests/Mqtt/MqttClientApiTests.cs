using Ingest.Mqtt;
using Ingest.Mqtt.Protocol;

namespace Ingest.Tests.Mqtt;

/// <summary>Argument validation and lifecycle rules of the public API (no network).</summary>
public sealed class MqttClientApiTests
{
    [Fact]
    public void Options_Validate_RejectsOutOfRangeSettings()
    {
        Assert.Throws<ArgumentException>(() => new MqttClientOptions { Host = " " }.Validate());
        Assert.Throws<ArgumentException>(() => new MqttClientOptions { Host = "h", Port = 70000 }.Validate());
        Assert.Throws<ArgumentException>(() => new MqttClientOptions { Host = "h", KeepAliveSeconds = 70000 }.Validate());
        Assert.Throws<ArgumentException>(() => new MqttClientOptions { Host = "h", ReceiveMaximum = 0 }.Validate());
        Assert.Throws<ArgumentException>(() => new MqttClientOptions { Host = "h", MaximumInFlight = 0 }.Validate());
        Assert.Throws<ArgumentException>(() => new MqttClientOptions { Host = "h", ProtocolVersion = MqttProtocolVersion.Unknown }.Validate());
        Assert.Throws<ArgumentException>(() => new MqttClientOptions { Host = "h", ProtocolVersion = MqttProtocolVersion.V311, CleanStart = false }.Validate());
        Assert.Equal(8883, new MqttClientOptions { Host = "h", Tls = new MqttTlsOptions() }.EffectivePort);
        Assert.Equal(1883, new MqttClientOptions { Host = "h" }.EffectivePort);
    }

    [Fact]
    public async Task PublishAsync_BeforeConnect_Throws()
    {
        await using var client = new MqttClient(new MqttClientOptions { Host = "127.0.0.1" });
        Assert.Throws<InvalidOperationException>(() => { _ = client.PublishAsync("t", new byte[1]).AsTask(); });
    }

    [Theory]
    [InlineData("")]
    [InlineData("a/+/b")]
    [InlineData("a/#")]
    public async Task PublishAsync_InvalidTopic_Throws(string topic)
    {
        await using var client = new MqttClient(new MqttClientOptions { Host = "127.0.0.1" });
        Assert.ThrowsAny<ArgumentException>(() => { _ = client.PublishAsync(topic, new byte[1]).AsTask(); });
    }

    [Fact]
    public async Task PublishAsync_TopicAliasProperty_IsRefusedBecauseTheClientManagesAliases()
    {
        await using var client = new MqttClient(new MqttClientOptions { Host = "127.0.0.1" });
        Assert.Throws<ArgumentException>(() => { _ = client.PublishAsync("t", new byte[1], properties: new MqttProperties { TopicAlias = 1 }).AsTask(); });
    }

    [Fact]
    public void PublishResult_Outcomes_MapToSuccessAndRepublish()
    {
        Assert.True(new PublishResult(MqttPublishOutcome.Accepted, MqttReasonCode.NoMatchingSubscribers, 1, null).IsSuccess);
        Assert.False(new PublishResult(MqttPublishOutcome.Rejected, MqttReasonCode.NotAuthorized, 1, null).IsSuccess);
        Assert.False(new PublishResult(MqttPublishOutcome.Rejected, MqttReasonCode.NotAuthorized, 1, null).NeedsRepublish);
        Assert.True(new PublishResult(MqttPublishOutcome.SessionLost, MqttReasonCode.UnspecifiedError, 1, null).NeedsRepublish);
        Assert.True(new PublishResult(MqttPublishOutcome.Aborted, MqttReasonCode.UnspecifiedError, 1, null).NeedsRepublish);
        Assert.Equal("Accepted=0 Rejected=1 Refused=2 SessionLost=3 Aborted=4",
            string.Join(" ", Enum.GetValues<MqttPublishOutcome>().Select(v => $"{v}={(int)v}")));
    }

    [Fact]
    public async Task ConnectAsync_Twice_Throws()
    {
        await using var client = new MqttClient(new MqttClientOptions
        {
            Host = "127.0.0.1", Port = Ingest.Tests.Support.Peers.FreeTcpPort(), ConnectTimeout = TimeSpan.FromSeconds(2),
        });
        var error = await Assert.ThrowsAsync<MqttConnectException>(() => client.ConnectAsync());
        Assert.Equal(MqttConnectFailure.ConnectionRefused, error.Failure);
        await Assert.ThrowsAsync<InvalidOperationException>(() => client.ConnectAsync());
    }
}
