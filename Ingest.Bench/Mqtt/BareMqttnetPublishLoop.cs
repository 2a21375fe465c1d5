using System.Buffers;
using MQTTnet;
using MQTTnet.Protocol;

namespace Ingest.Bench.Mqtt;

/// <summary>
/// MQTTnet alone, configured as the layer configures it (same socket buffers, same window) but without the layer's
/// window, timeout and result mapping: the difference to the layer's row is what the layer itself costs.
/// </summary>
internal static class BareMqttnetPublishLoop
{
    public static async Task<IMqttClient> ConnectAsync(int port, string clientId, int socketBufferBytes)
    {
        var options = new MqttClientOptionsBuilder().WithTcpServer("127.0.0.1", port).WithClientId(clientId).WithKeepAlivePeriod(TimeSpan.FromSeconds(60)).Build();
        var tcp = (MqttClientTcpOptions)options.ChannelOptions;
        tcp.BufferSize = socketBufferBytes;
        tcp.NoDelay = true;
        var client = new MqttClientFactory().CreateMqttClient();
        await client.ConnectAsync(options).ConfigureAwait(false);
        return client;
    }

    public static async Task RunAsync(IMqttClient client, string topic, ReadOnlyMemory<byte> payload, Task<MqttClientPublishResult>[] ring, int count)
    {
        var window = ring.Length;
        for (var i = 0; i < count; i++)
        {
            var slot = i % window;
            if (i >= window)
            {
                EnsureSuccess(await ring[slot].ConfigureAwait(false));
            }

            var message = new MqttApplicationMessage { Topic = topic, Payload = new ReadOnlySequence<byte>(payload), QualityOfServiceLevel = MqttQualityOfServiceLevel.AtLeastOnce };
            ring[slot] = client.PublishAsync(message);
        }

        for (var i = Math.Max(0, count - window); i < count; i++)
        {
            EnsureSuccess(await ring[i % window].ConfigureAwait(false));
        }
    }

    private static void EnsureSuccess(MqttClientPublishResult result)
    {
        if (!result.IsSuccess)
        {
            throw new InvalidOperationException($"publish failed: {result.ReasonCode}");
        }
    }
}
