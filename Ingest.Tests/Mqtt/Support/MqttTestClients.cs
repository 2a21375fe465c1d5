using Ingest.Pipeline.Publishing.Mqtt;
using MQTTnet.Formatter;

namespace Ingest.Tests.Mqtt.Support;

/// <summary>Publisher options for tests: the broker URL plus the few settings a test changes.</summary>
internal static class MqttTestClients
{
    public static MqttPublisherOptions Options(string url, string clientId, MqttProtocolVersion version = MqttProtocolVersion.V500, int receivedCapacity = 100_000)
    {
        Assert.True(MqttBrokerUrl.TryParse(url, out var broker, out var error), error);
        return new MqttPublisherOptions
        {
            Broker = broker,
            ClientId = clientId,
            ProtocolVersion = version,
            ReceivedMessageCapacity = receivedCapacity,
            ConnectTimeout = TimeSpan.FromSeconds(5),
        };
    }

    public static MqttPublisherOptions Options(MosquittoBroker broker, string clientId, MqttProtocolVersion version = MqttProtocolVersion.V500) =>
        Options($"mqtt://127.0.0.1:{broker.Port}", clientId, version);

    /// <summary>Connects a publisher that also serves as a test subscriber (our layer's receive side), subscribed to <paramref name="filter"/>.</summary>
    public static async Task<MqttPublisher> SubscriberAsync(MqttPublisherOptions options, string filter)
    {
        var subscriber = new MqttPublisher(options);
        await subscriber.ConnectAsync();
        var granted = await subscriber.SubscribeAsync(filter);
        Assert.Equal(MQTTnet.MqttClientSubscribeResultCode.GrantedQoS1, granted);
        return subscriber;
    }

    public static async Task<MqttReceivedMessage> ReceiveAsync(MqttPublisher subscriber, double seconds = 10) =>
        await subscriber.ReceivedMessages.ReadAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(seconds));
}
