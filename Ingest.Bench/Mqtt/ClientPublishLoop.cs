using Ingest.Mqtt;
using Ingest.Mqtt.Protocol;

namespace Ingest.Bench.Mqtt;

/// <summary>
/// How a hub's publisher drives <see cref="MqttClient"/>: a ring of <c>window</c> outstanding publishes, each awaited
/// exactly once, the oldest before its slot is reused. Shared by the BenchmarkDotNet benchmark and the paired harness.
/// </summary>
internal static class ClientPublishLoop
{
    public static async Task RunAsync(MqttClient client, string topic, ReadOnlyMemory<byte> payload, ValueTask<PublishResult>[] ring, int count)
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
            ring[slot] = client.PublishAsync(topic, payload, MqttQualityOfService.AtLeastOnce);
#pragma warning restore CA2012
        }

        for (var i = Math.Max(0, count - window); i < count; i++)
        {
            EnsureSuccess(await ring[i % window].ConfigureAwait(false));
        }
    }

    private static void EnsureSuccess(PublishResult result)
    {
        if (!result.IsSuccess)
        {
            throw new InvalidOperationException($"publish failed: {result.Outcome} {result.ReasonCode} {result.ReasonString}");
        }
    }
}
