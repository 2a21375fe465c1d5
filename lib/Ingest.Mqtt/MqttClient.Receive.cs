using Ingest.Mqtt.Internal;
using Ingest.Mqtt.Protocol;

namespace Ingest.Mqtt;

public sealed partial class MqttClient
{
    /// <summary>
    /// Reader loop: handles one complete packet from the broker. Returns a delivery when a PUBLISH must be handed to the
    /// application before it is acknowledged. Throws <see cref="MqttProtocolException"/> for anything malformed or
    /// out of protocol; the reader then closes the connection with that reason (MQTT 5 §4.13).
    /// </summary>
    internal InboundDelivery? HandlePacket(MqttConnection connection, in MqttFixedHeader header, ReadOnlySpan<byte> body)
    {
        switch (header.PacketType)
        {
            case MqttPacketType.PubAck:
            case MqttPacketType.PubRec:
            case MqttPacketType.PubComp:
                HandlePublishAcknowledgement(connection, header.PacketType, body);
                return null;
            case MqttPacketType.PubRel:
                HandlePubRel(connection, body);
                return null;
            case MqttPacketType.Publish:
                return HandlePublish(connection, header.Flags, body);
            case MqttPacketType.SubAck:
            case MqttPacketType.UnsubAck:
                HandleRequestAcknowledgement(connection, header, body);
                return null;
            case MqttPacketType.PingResp:
                MqttPacketDecoder.Decode(header, body, connection.Version);
                lock (_sync)
                {
                    connection.PingOutstanding = false;
                }

                return null;
            case MqttPacketType.Disconnect:
                var disconnect = (MqttDisconnectPacket)MqttPacketDecoder.Decode(header, body, connection.Version);
                if (connection.Version != MqttProtocolVersion.V500)
                {
                    throw new MqttProtocolException("a 3.1.1 server must not send DISCONNECT", MqttReasonCode.ProtocolError, 0, string.Empty);
                }

                throw new MqttServerDisconnectException(disconnect.ReasonCode, disconnect.Properties?.ReasonString);
            default:
                // CONNACK twice, AUTH we never asked for, or client-only packets.
                throw new MqttProtocolException($"unexpected {header.PacketType} from the broker", MqttReasonCode.ProtocolError, 0, string.Empty);
        }
    }

    private void HandlePublishAcknowledgement(MqttConnection connection, MqttPacketType type, ReadOnlySpan<byte> body)
    {
        MqttPacketDecoder.DecodeAck(body, connection.Version, out var id, out var reason, out var properties);
        PublishOperation? done = null;
        PublishResult result = default;
        lock (_sync)
        {
            if (connection.Closing)
            {
                return;
            }

            if (_packetIds[id] is not PublishOperation op || op.SentOn != connection)
            {
                // An acknowledgement for a packet id we did not send on this connection acknowledges nothing.
                Interlocked.Increment(ref _unknownAcknowledgements);
                if (type == MqttPacketType.PubRec && connection.Version == MqttProtocolVersion.V500)
                {
                    MqttPacketEncoder.WriteAck(connection.Pending, MqttPacketType.PubRel, id, MqttReasonCode.PacketIdentifierNotFound, null, connection.Version);
                    connection.ScheduleFlushLocked();
                }

                return;
            }

            var success = (byte)reason < 0x80;
            switch (type, op.State)
            {
                case (MqttPacketType.PubAck, PublishState.AwaitingPubAck):
                // RabbitMQ answers a 3.1.1 QoS 2 PUBLISH with PUBACK: it downgraded the message to QoS 1 (protocols.md §2.18).
                case (MqttPacketType.PubAck, PublishState.AwaitingPubRec) when connection.Version == MqttProtocolVersion.V311:
                    result = new PublishResult(success ? MqttPublishOutcome.Accepted : MqttPublishOutcome.Rejected, reason, id, properties?.ReasonString);
                    break;
                case (MqttPacketType.PubRec, PublishState.AwaitingPubRec):
                    if (!success)
                    {
                        // [MQTT-4.4.0-2]: a failed PUBREC ends the exchange; no PUBREL.
                        result = new PublishResult(MqttPublishOutcome.Rejected, reason, id, properties?.ReasonString);
                        break;
                    }

                    op.State = PublishState.AwaitingPubComp;
                    MqttPacketEncoder.WriteAck(connection.Pending, MqttPacketType.PubRel, id, MqttReasonCode.Success, null, connection.Version);
                    connection.ScheduleFlushLocked();
                    return;
                case (MqttPacketType.PubRec, PublishState.AwaitingPubComp):
                    MqttPacketEncoder.WriteAck(connection.Pending, MqttPacketType.PubRel, id, MqttReasonCode.Success, null, connection.Version);
                    connection.ScheduleFlushLocked();
                    return;
                case (MqttPacketType.PubComp, PublishState.AwaitingPubComp):
                    // PUBREC succeeded, so the server owns the message; a PUBCOMP 0x92 after a resend still means delivered.
                    result = new PublishResult(MqttPublishOutcome.Accepted, reason, id, properties?.ReasonString);
                    break;
                default:
                    // An acknowledgement of the wrong kind (PUBCOMP for a QoS 1 publish …) acknowledges nothing either.
                    Interlocked.Increment(ref _unknownAcknowledgements);
                    return;
            }

            RemoveInFlightLocked(op);
            if (op.HoldsQuota)
            {
                op.HoldsQuota = false;
                connection.InFlight--;
            }

            done = op;
            PumpLocked(connection);
        }

        done.Complete(result);
    }

    private void HandlePubRel(MqttConnection connection, ReadOnlySpan<byte> body)
    {
        MqttPacketDecoder.DecodeAck(body, connection.Version, out var id, out _, out _);
        lock (_sync)
        {
            if (connection.Closing)
            {
                return;
            }

            var known = _inboundQos2.Remove(id);
            MqttPacketEncoder.WriteAck(connection.Pending, MqttPacketType.PubComp, id,
                known ? MqttReasonCode.Success : MqttReasonCode.PacketIdentifierNotFound, null, connection.Version);
            connection.ScheduleFlushLocked();
        }
    }

    private InboundDelivery? HandlePublish(MqttConnection connection, byte flags, ReadOnlySpan<byte> body)
    {
        MqttPacketDecoder.DecodePublishHeader(flags, body, connection.Version, out var topic, out var id, out var properties, out var payload);
        if (properties?.TopicAlias is not null)
        {
            // We advertise no Topic Alias Maximum, so any alias is invalid (MQTT 5 §3.3.2.3.4).
            throw new MqttProtocolException("the broker used a Topic Alias although we allow none", MqttReasonCode.TopicAliasInvalid, 0, string.Empty);
        }

        var qos = (MqttQualityOfService)((flags >> 1) & 3);
        if (qos == MqttQualityOfService.ExactlyOnce)
        {
            lock (_sync)
            {
                // [MQTT-4.3.3-9]: until PUBREL, a PUBLISH with the same id is acknowledged again but not delivered again.
                // The id joins the set only once the message is queued for the application (DeliverAsync), so a connection
                // lost in between leads to delivery on the resend instead of a loss. The set is bounded by the 16-bit id
                // space; exceeding our Receive Maximum is not treated as fatal because a broker that lost its state in a
                // restart would otherwise trap us in a disconnect loop.
                if (_inboundQos2.Contains(id))
                {
                    if (!connection.Closing)
                    {
                        MqttPacketEncoder.WriteAck(connection.Pending, MqttPacketType.PubRec, id, MqttReasonCode.Success, null, connection.Version);
                        connection.ScheduleFlushLocked();
                    }

                    return null;
                }
            }
        }

        var message = new MqttReceivedMessage
        {
            Topic = System.Text.Encoding.UTF8.GetString(topic),
            Payload = payload.ToArray(),
            QualityOfService = qos,
            Retain = (flags & 1) != 0,
            Duplicate = (flags & 8) != 0,
            Properties = properties,
        };
        return new InboundDelivery(message, id);
    }

    /// <summary>Reader loop: queue the message for the application (waiting when the buffer is full), then acknowledge it.</summary>
    internal async ValueTask DeliverAsync(MqttConnection connection, InboundDelivery delivery)
    {
        if (!_received.Writer.TryWrite(delivery.Message))
        {
            try
            {
                await _received.Writer.WriteAsync(delivery.Message, connection.Cancellation.Token).ConfigureAwait(false);
            }
            catch (System.Threading.Channels.ChannelClosedException)
            {
                return;
            }
        }

        var qos = delivery.Message.QualityOfService;
        if (qos == MqttQualityOfService.AtMostOnce)
        {
            return;
        }

        lock (_sync)
        {
            if (qos == MqttQualityOfService.ExactlyOnce)
            {
                _inboundQos2.Add(delivery.PacketId);
            }

            if (!connection.Closing)
            {
                MqttPacketEncoder.WriteAck(connection.Pending, qos == MqttQualityOfService.AtLeastOnce ? MqttPacketType.PubAck : MqttPacketType.PubRec,
                    delivery.PacketId, MqttReasonCode.Success, null, connection.Version);
                connection.ScheduleFlushLocked();
            }
        }
    }

    private void HandleRequestAcknowledgement(MqttConnection connection, in MqttFixedHeader header, ReadOnlySpan<byte> body)
    {
        var packet = MqttPacketDecoder.Decode(header, body, connection.Version);
        var id = packet is MqttSubAckPacket subAck ? subAck.PacketId : ((MqttUnsubAckPacket)packet).PacketId;
        RequestOperation? request;
        lock (_sync)
        {
            request = _packetIds[id] as RequestOperation;
            if (request is null || request.Expected != header.PacketType)
            {
                Interlocked.Increment(ref _unknownAcknowledgements);
                return;
            }

            FreePacketIdLocked(id);
        }

        request.TrySetResult(packet);
    }

    /// <summary>Reader loop: the broker broke the protocol; tell it why (MQTT 5 DISCONNECT) and close [MQTT-4.13.1-1].</summary>
    internal async Task CloseForProtocolErrorAsync(MqttConnection connection, MqttProtocolException exception)
    {
        lock (_sync)
        {
            if (!connection.Closing && connection.Version == MqttProtocolVersion.V500)
            {
                MqttPacketEncoder.WriteDisconnect(connection.Pending, exception.ReasonCode, null, connection.Version);
                connection.RequestCloseAfterWriteLocked(exception.ReasonCode, exception);
                connection.ScheduleFlushLocked();
            }
        }

        try
        {
            await connection.Closed.Task.WaitAsync(TimeSpan.FromSeconds(1)).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            // The writer is stuck; abort below.
        }

        connection.Abort(exception, exception.ReasonCode);
    }
}
