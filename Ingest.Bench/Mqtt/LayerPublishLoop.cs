using Ingest.Pipeline.Publishing.Mqtt;

namespace Ingest.Bench.Mqtt;

/// <summary>
/// How the publishing stage will drive <see cref="MqttPublisher"/>: a ring of <c>window</c> outstanding publishes, each
/// awaited exactly once, the oldest before its slot is reused. Shared by the BenchmarkDotNet benchmark and the paired harness.
/// </summary>
internal static class LayerPublishLoop
{
    public static async Task RunAsync(MqttPublisher publisher, string topic, ReadOnlyMemory<byte> payload, ValueTask<PublishResult>[] ring, int count)
    {
        var window = ring.Length;
        for (var i = 0; i < count; i++)
        {
            var slot = i % window;
            if (i >= window)
            {
                EnsureSuccess(await ring[slot].ConfigureAwait(false));
            }

#pragma warning disable CA2012 // Each ValueTask is stored once and awaited exactly once.
            ring[slot] = publisher.PublishAsync(topic, payload);
#pragma warning restore CA2012
        }

        for (var i = Math.Max(0, count - window); i < count; i++)
        {
            EnsureSuccess(await ring[i % window].ConfigureAwait(false));
        }
    }

    /// <summary>Connects a publisher to the bench broker with the layer's defaults (208 KiB socket buffers, window ≤ Receive Maximum).</summary>
    public static async Task<MqttPublisher> ConnectAsync(int port, string clientId, int window, int socketBufferBytes = MqttPublisherOptions.DefaultSocketBufferBytes)
    {
        if (!MqttBrokerUrl.TryParse($"mqtt://127.0.0.1:{port}", out var url, out var error))
        {
            throw new InvalidOperationException(error);
        }

        var publisher = new MqttPublisher(new MqttPublisherOptions { Broker = url, ClientId = clientId, KeepAliveSeconds = 60, MaximumInFlight = window, SocketBufferBytes = socketBufferBytes });
        var connected = await publisher.ConnectAsync().ConfigureAwait(false);
        if (connected.InFlightWindow != window)
        {
            await publisher.DisposeAsync().ConfigureAwait(false);
            throw new InvalidOperationException($"in-flight window {connected.InFlightWindow} (broker Receive Maximum {connected.Limits.ReceiveMaximum}), expected {window}");
        }

        return publisher;
    }

    private static void EnsureSuccess(PublishResult result)
    {
        if (!result.IsSuccess)
        {
            throw new InvalidOperationException("publish failed: " + result);
        }
    }
}
