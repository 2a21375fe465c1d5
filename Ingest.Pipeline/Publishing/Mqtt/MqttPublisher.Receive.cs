using System.Buffers;
using MQTTnet;
using MQTTnet.Protocol;

namespace Ingest.Pipeline.Publishing.Mqtt;

internal sealed partial class MqttPublisher
{
    /// <summary>
    /// Subscribes (receipts, the broker check's echo); the subscription is restored after a reconnect that did not resume
    /// the session. Returns the SUBACK code for the filter (granted QoS, or a failure such as 0x87 Not authorized).
    /// </summary>
    public async Task<MqttClientSubscribeResultCode> SubscribeAsync(string topicFilter, MqttQualityOfServiceLevel qualityOfService = MqttQualityOfServiceLevel.AtLeastOnce,
        CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(topicFilter);
        var result = await _client.SubscribeAsync(new MqttClientSubscribeOptionsBuilder().WithTopicFilter(topicFilter, qualityOfService, false, false,
            MqttRetainHandling.SendAtSubscribe).Build(), cancellationToken).ConfigureAwait(false);
        var code = result.Items.Count > 0 ? result.Items.First().ResultCode : MqttClientSubscribeResultCode.UnspecifiedError;
        if (code <= MqttClientSubscribeResultCode.GrantedQoS2)
        {
            lock (_sync)
            {
                _subscriptions.Add((topicFilter, qualityOfService));
            }
        }

        return code;
    }

    private async Task RestoreSubscriptionsAsync(CancellationToken cancellationToken)
    {
        (string Filter, MqttQualityOfServiceLevel QoS)[] subscriptions;
        lock (_sync)
        {
            subscriptions = [.. _subscriptions];
        }

        foreach (var (filter, qos) in subscriptions)
        {
            await _client.SubscribeAsync(new MqttClientSubscribeOptionsBuilder().WithTopicFilter(filter, qos, false, false, MqttRetainHandling.SendAtSubscribe).Build(),
                cancellationToken).ConfigureAwait(false);
        }
    }

    private Task OnApplicationMessageReceivedAsync(MqttApplicationMessageReceivedEventArgs args)
    {
        var message = args.ApplicationMessage;
        var userProperties = message.UserProperties is { Count: > 0 } list
            ? list.Select(static p => KeyValuePair.Create(p.Name, System.Text.Encoding.UTF8.GetString(p.ValueBuffer.Span))).ToArray()
            : [];
        _received.Writer.TryWrite(new MqttReceivedMessage(message.Topic, message.Payload.ToArray(), message.ContentType, message.ResponseTopic,
            message.CorrelationData is { Length: > 0 } correlation ? new ReadOnlyMemory<byte>(correlation) : (ReadOnlyMemory<byte>?)null, userProperties, message.Retain));
        return Task.CompletedTask;
    }
}
