using Ingest.Pipeline.Publishing.Mqtt;
using Ingest.Tests.Mqtt.Support;
using MQTTnet.Formatter;
using MQTTnet.Protocol;
using static Ingest.Tests.Mqtt.Support.MqttTestClients;

namespace Ingest.Tests.Mqtt;

/// <summary>
/// Against MQTTnet.Server in-process, where the test decides the broker's answers: PUBACK refusals come back as typed
/// results, a PUBACK that never comes ends in the publish timeout, a CONNACK 0x84 makes the layer fall back to 3.1.1,
/// and a lost connection is re-established by the layer itself.
/// </summary>
public sealed class MqttServerReasonCodeTests
{
    [Theory]
    [InlineData(MqttPubAckReasonCode.NotAuthorized, 0x87)]
    [InlineData(MqttPubAckReasonCode.QuotaExceeded, 0x97)]
    public async Task PublishAsync_PubAckRefusal_IsRejectedWithTheBrokersReason(MqttPubAckReasonCode refusal, byte expectedCode)
    {
        var expected = (PublishReasonCode)expectedCode;
        await using var server = await InProcessMqttServer.StartAsync(s => s.InterceptingPublishAsync += args =>
        {
            if (args.ApplicationMessage.Topic.StartsWith("refused/", StringComparison.Ordinal))
            {
                args.ProcessPublish = false;
                args.Response.ReasonCode = refusal;
                args.Response.ReasonString = "test broker says no";
            }

            return Task.CompletedTask;
        });
        await using var publisher = new MqttPublisher(Options(server.Url, "refused"));
        await publisher.ConnectAsync();

        var result = await publisher.PublishAsync("refused/batch", new byte[] { 1, 2, 3 });
        Assert.Equal(PublishOutcome.Rejected, result.Outcome);
        Assert.Equal(expected, result.ReasonCode);
        Assert.Equal("test broker says no", result.ReasonString);
        Assert.False(result.IsSuccess);
        Assert.Equal(expected == PublishReasonCode.QuotaExceeded, result.IsTransient);

        // The connection is fine; other topics are accepted.
        Assert.True((await publisher.PublishAsync("accepted/batch", new byte[] { 1 })).IsSuccess);
        Assert.Equal(0, publisher.InFlightCount);
    }

    [Fact]
    public async Task PublishAsync_NoPubAck_TimesOutOrIsCanceledNeverSuccess()
    {
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var server = await InProcessMqttServer.StartAsync(s => s.InterceptingPublishAsync += async args =>
        {
            if (args.ApplicationMessage.Topic == "stuck")
            {
                await release.Task;
            }
        });
        await using var publisher = new MqttPublisher(Options(server.Url, "stuck") with { PublishTimeout = TimeSpan.FromMilliseconds(500) });
        await publisher.ConnectAsync();

        var timedOut = await publisher.PublishAsync("stuck", new byte[] { 1 });
        Assert.Equal(PublishOutcome.TimedOut, timedOut.Outcome);
        Assert.Contains("no PUBACK within 0.5 s", timedOut.ReasonString, StringComparison.Ordinal);

        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(100));
        var canceled = await publisher.PublishAsync("stuck", new byte[] { 1 }, cancellationToken: cancel.Token);
        Assert.Equal(PublishOutcome.Canceled, canceled.Outcome);
        Assert.Equal(0, publisher.InFlightCount);
        Assert.True(publisher.IsConnected);
        release.TrySetResult();
    }

    [Fact]
    public async Task ConnectAsync_Connack0x84_FallsBackTo311AndReportsIt()
    {
        var versions = new List<MqttProtocolVersion>();
        await using var server = await InProcessMqttServer.StartAsync(s => s.ValidatingConnectionAsync += args =>
        {
            lock (versions)
            {
                versions.Add(args.ProtocolVersion);
            }

            if (args.ProtocolVersion == MqttProtocolVersion.V500)
            {
                args.ReasonCode = MqttConnectReasonCode.UnsupportedProtocolVersion;
            }

            return Task.CompletedTask;
        });
        await using var publisher = new MqttPublisher(Options(server.Url, "fallback"));
        var connected = await publisher.ConnectAsync();
        Assert.Equal(MqttProtocolVersion.V311, connected.ProtocolVersion);
        Assert.True(connected.FellBackToV311);
        Assert.Equal([MqttProtocolVersion.V500, MqttProtocolVersion.V311], versions);
        Assert.True((await publisher.PublishAsync("after/fallback", new byte[] { 1 }, new MqttPublishProperties { ContentType = "x" })).IsSuccess);
    }

    [Fact]
    public async Task ConnectAsync_Connack0x87_IsCredentialsRefusedWithoutFallback()
    {
        await using var server = await InProcessMqttServer.StartAsync(s => s.ValidatingConnectionAsync += args =>
        {
            args.ReasonCode = MqttConnectReasonCode.NotAuthorized;
            return Task.CompletedTask;
        });
        await using var publisher = new MqttPublisher(Options(server.Url, "unwelcome"));
        var error = await Assert.ThrowsAsync<MqttConnectException>(() => publisher.ConnectAsync());
        Assert.Equal(MqttConnectFailure.CredentialsRefused, error.Failure);
    }

    [Fact]
    public async Task ConnectionLost_LayerReconnectsByItselfWithBackoff()
    {
        await using var server = await InProcessMqttServer.StartAsync();
        await using var publisher = new MqttPublisher(Options(server.Url, "reconnecting") with
        {
            ReconnectMinimumDelay = TimeSpan.FromMilliseconds(20),
            ReconnectMaximumDelay = TimeSpan.FromMilliseconds(200),
        });
        await publisher.ConnectAsync();

        // Two drops in a row, the second right after the first reconnect: each is followed by a reconnect of its own.
        for (var drop = 1; drop <= 2; drop++)
        {
            await server.Server.DisconnectClientAsync("reconnecting", new MQTTnet.Server.MqttServerClientDisconnectOptions { ReasonCode = MqttDisconnectReasonCode.AdministrativeAction });
            var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
            while (publisher.ReconnectCount < drop && DateTime.UtcNow < deadline)
            {
                await Task.Delay(10);
            }

            Assert.Equal(drop, publisher.ReconnectCount);
        }

        await publisher.WaitUntilConnectedAsync().WaitAsync(TimeSpan.FromSeconds(5));
        Assert.True((await publisher.PublishAsync("after/reconnect", new byte[] { 1 })).IsSuccess);
    }
}
