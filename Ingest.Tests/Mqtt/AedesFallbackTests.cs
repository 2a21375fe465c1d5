using System.Globalization;
using System.Text;
using Ingest.Mqtt;
using Ingest.Mqtt.Protocol;
using Ingest.Tests.Support;

namespace Ingest.Tests.Mqtt;

/// <summary>
/// MQTT 3.1.1 fallback against aedes (npm), a 3.1.1-only broker that answers an MQTT 5 CONNECT with return code 1
/// (unacceptable protocol version).
/// </summary>
public sealed class AedesFallbackTests
{
    private static IEnumerable<string> Events(MqttClient client)
    {
        while (client.ConnectionEvents.TryRead(out var e))
        {
            yield return e.ToString();
        }
    }

    [Fact]
    public async Task ConnectAsync_Aedes_FallsBackTo311AndPublishesAndSubscribes()
    {
        var node = Peers.RequireNodeWithPackages();
        Assert.True(Directory.Exists(Path.Combine(Peers.NodePeersDirectory, "node_modules", "aedes")),
            "aedes is not installed. Run scripts/install-test-peers.sh");
        var port = Peers.FreeTcpPort();
        using var aedes = PeerProcess.Start(node, ["aedes-broker.mjs", port.ToString(CultureInfo.InvariantCulture)], Peers.NodePeersDirectory);
        await aedes.WaitForOutputAsync("aedes listening", TimeSpan.FromSeconds(20));

        MqttClientOptions Options(string id) => new() { Host = "127.0.0.1", Port = port, ClientId = id };
        await using var subscriber = new MqttClient(Options("aedes-sub"));
        var subscribed = await subscriber.ConnectAsync();
        Assert.Equal(MqttProtocolVersion.V311, subscribed.ProtocolVersion);
        var granted = await subscriber.SubscribeAsync("fallback/#", MqttQualityOfService.ExactlyOnce);
        Assert.Equal([MqttReasonCode.GrantedQoS2], granted.ReasonCodes);

        await using var publisher = new MqttClient(Options("aedes-pub"));
        var connected = await publisher.ConnectAsync();
        Assert.Equal(MqttProtocolVersion.V311, connected.ProtocolVersion);
        Assert.Equal(MqttProtocolVersion.V311, publisher.ProtocolVersion);

        var properties = new MqttProperties { ContentType = "ignored in 3.1.1" };
        var results = await Task.WhenAll(Enumerable.Range(0, 300).Select(i =>
            publisher.PublishAsync("fallback/" + (i % 3), Encoding.ASCII.GetBytes(i.ToString(CultureInfo.InvariantCulture)), (MqttQualityOfService)(i % 3),
                properties: properties).AsTask()));
        Assert.All(results, r => Assert.True(r.IsSuccess, r.ToString()));

        var seen = new HashSet<string>();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(15));
        while (seen.Count < 300)
        {
            MqttReceivedMessage message;
            try
            {
                message = await subscriber.ReceivedMessages.ReadAsync(timeout.Token);
            }
            catch (OperationCanceledException)
            {
                Assert.Fail($"received {seen.Count} of 300; missing {string.Join(",", Enumerable.Range(0, 300).Where(i => !seen.Contains(i.ToString(CultureInfo.InvariantCulture))).Take(20))}; subscriber connected {subscriber.IsConnected} {string.Join(" | ", Events(subscriber))}\n{aedes.Output}");
                throw;
            }

            seen.Add(Encoding.ASCII.GetString(message.Payload.Span));
            Assert.Null(message.Properties);
        }

        Assert.Contains("unacceptable protocol version", aedes.Output + " ", StringComparison.OrdinalIgnoreCase);
        var unsubscribed = await subscriber.UnsubscribeAsync(["fallback/#"]);
        Assert.True(unsubscribed.IsSuccess);
    }
}
