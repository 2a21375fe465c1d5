using System.Globalization;
using System.Text;
using Ingest.Pipeline.Publishing.Mqtt;
using Ingest.Tests.Support;
using MQTTnet.Formatter;
using static Ingest.Tests.Mqtt.Support.MqttTestClients;

namespace Ingest.Tests.Mqtt;

/// <summary>
/// MQTT 3.1.1 fallback against aedes (npm), a 3.1.1-only broker that answers an MQTT 5 CONNECT with return code 1
/// (unacceptable protocol version): MQTTnet alone would give up; the layer retries with 3.1.1 and says so.
/// </summary>
public sealed class AedesFallbackTests
{
    [Fact]
    public async Task ConnectAsync_Aedes_FallsBackTo311AndPublishesWithPropertiesDropped()
    {
        var node = Peers.RequireNodeWithPackages();
        var port = Peers.FreeTcpPort();
        using var aedes = PeerProcess.Start(node, ["aedes-broker.mjs", port.ToString(CultureInfo.InvariantCulture)], Peers.NodePeersDirectory);
        await aedes.WaitForOutputAsync("aedes listening", TimeSpan.FromSeconds(20));
        var url = $"mqtt://127.0.0.1:{port}";

        await using var subscriber = await SubscriberAsync(Options(url, "aedes-sub"), "fallback/#");
        Assert.Equal(MqttProtocolVersion.V311, subscriber.Connection!.ProtocolVersion);

        await using var publisher = new MqttPublisher(Options(url, "aedes-pub"));
        var connected = await publisher.ConnectAsync();
        Assert.Equal(MqttProtocolVersion.V311, connected.ProtocolVersion);
        Assert.True(connected.FellBackToV311);

        var properties = new MqttPublishProperties { ContentType = "dropped under 3.1.1", UserProperties = [KeyValuePair.Create("seq", "1")] };
        var results = await Task.WhenAll(Enumerable.Range(0, 300).Select(i =>
            publisher.PublishAsync("fallback/" + (i % 3), Encoding.ASCII.GetBytes(i.ToString(CultureInfo.InvariantCulture)), properties).AsTask()));
        Assert.All(results, r => Assert.True(r.IsSuccess, r.ToString()));

        var seen = new HashSet<string>();
        while (seen.Count < 300)
        {
            var message = await ReceiveAsync(subscriber, 15);
            seen.Add(Encoding.ASCII.GetString(message.Payload.Span));
            Assert.Null(message.ContentType);
        }

        Assert.Contains("unacceptable protocol version", aedes.Output + " ", StringComparison.OrdinalIgnoreCase);

        // Without fallback the refusal is an error that names the version problem.
        await using var strict = new MqttPublisher(Options(url, "aedes-strict") with { AllowFallbackToV311 = false });
        var error = await Assert.ThrowsAsync<MqttConnectException>(() => strict.ConnectAsync());
        Assert.True(error.Failure is MqttConnectFailure.Refused or MqttConnectFailure.ConnectionClosed, error.Failure + " " + error.Message);
    }
}
