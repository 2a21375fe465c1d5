using Ingest.Mqtt.Internal;
using Ingest.Mqtt.Protocol;

namespace Ingest.Mqtt;

public sealed partial class MqttClient
{
    /// <summary>Subscribes to one topic filter; see <see cref="SubscribeAsync(IReadOnlyList{MqttSubscription}, MqttProperties?, CancellationToken)"/>.</summary>
    public Task<MqttSubscribeResult> SubscribeAsync(string topicFilter, MqttQualityOfService maximumQoS = MqttQualityOfService.AtLeastOnce,
        CancellationToken cancellationToken = default)
        => SubscribeAsync([new MqttSubscription { TopicFilter = topicFilter, MaximumQoS = maximumQoS }], null, cancellationToken);

    /// <summary>
    /// Sends SUBSCRIBE with MQTT 5 options (No Local, Retain As Published, Retain Handling; shared subscriptions as
    /// <c>$share/{group}/{filter}</c>) and returns the SUBACK reason per filter. Successful subscriptions are made again
    /// automatically when a reconnect finds the session gone.
    /// </summary>
    public async Task<MqttSubscribeResult> SubscribeAsync(IReadOnlyList<MqttSubscription> subscriptions, MqttProperties? properties = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(subscriptions);
        if (subscriptions.Count == 0)
        {
            throw new ArgumentException("at least one topic filter", nameof(subscriptions));
        }

        foreach (var subscription in subscriptions)
        {
            ArgumentException.ThrowIfNullOrEmpty(subscription.TopicFilter, nameof(subscriptions));
            if (subscription.NoLocal && subscription.TopicFilter.StartsWith("$share/", StringComparison.Ordinal))
            {
                throw new ArgumentException("No Local on a shared subscription is a Protocol Error (MQTT 5 §3.8.3.1)", nameof(subscriptions));
            }
        }

        var packet = (MqttSubAckPacket)await SendRequestAsync(MqttPacketType.SubAck, (connection, id) =>
            MqttPacketEncoder.WriteSubscribe(connection.Pending, new MqttSubscribePacket { PacketId = id, Subscriptions = subscriptions, Properties = properties },
                connection.Version), cancellationToken).ConfigureAwait(false);
        if (packet.ReasonCodes.Count != subscriptions.Count)
        {
            throw new MqttProtocolException($"SUBACK has {packet.ReasonCodes.Count} reason codes for {subscriptions.Count} filters", MqttReasonCode.ProtocolError, 0, string.Empty);
        }

        lock (_sync)
        {
            for (var i = 0; i < subscriptions.Count; i++)
            {
                if ((byte)packet.ReasonCodes[i] < 0x80)
                {
                    _subscriptions[subscriptions[i].TopicFilter] = subscriptions[i];
                }
            }
        }

        return new MqttSubscribeResult { ReasonCodes = packet.ReasonCodes, ReasonString = packet.Properties?.ReasonString };
    }

    /// <summary>Sends UNSUBSCRIBE and returns the UNSUBACK reason per filter (all Success in MQTT 3.1.1).</summary>
    public async Task<MqttSubscribeResult> UnsubscribeAsync(IReadOnlyList<string> topicFilters, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(topicFilters);
        if (topicFilters.Count == 0)
        {
            throw new ArgumentException("at least one topic filter", nameof(topicFilters));
        }

        var packet = (MqttUnsubAckPacket)await SendRequestAsync(MqttPacketType.UnsubAck, (connection, id) =>
            MqttPacketEncoder.WriteUnsubscribe(connection.Pending, new MqttUnsubscribePacket { PacketId = id, TopicFilters = topicFilters },
                connection.Version), cancellationToken).ConfigureAwait(false);
        lock (_sync)
        {
            foreach (var filter in topicFilters)
            {
                _subscriptions.Remove(filter);
            }
        }

        IReadOnlyList<MqttReasonCode> codes = packet.ReasonCodes.Count > 0 ? packet.ReasonCodes : topicFilters.Select(_ => MqttReasonCode.Success).ToArray();
        return new MqttSubscribeResult { ReasonCodes = codes, ReasonString = packet.Properties?.ReasonString };
    }

    private async Task<MqttPacket> SendRequestAsync(MqttPacketType expected, Action<MqttConnection, ushort> encode, CancellationToken cancellationToken)
    {
        var request = new RequestOperation(expected);
        lock (_sync)
        {
            if (_connection is not { Closing: false } connection)
            {
                throw new InvalidOperationException("not connected");
            }

            request.PacketId = AllocatePacketIdLocked(request);
            try
            {
                encode(connection, request.PacketId);
            }
            catch
            {
                FreePacketIdLocked(request.PacketId);
                throw;
            }

            connection.ScheduleFlushLocked();
        }

        await using var registration = cancellationToken.UnsafeRegister(static (state, token) => ((RequestOperation)state!).TrySetCanceled(token), request)
            .ConfigureAwait(false);
        return await request.Task.ConfigureAwait(false);
    }
}
