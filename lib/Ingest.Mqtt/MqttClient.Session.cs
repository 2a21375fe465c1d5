using Ingest.Mqtt.Internal;
using Ingest.Mqtt.Protocol;

namespace Ingest.Mqtt;

public sealed partial class MqttClient
{
    /// <summary>
    /// Client lock: the new connection is up. With a resumed session, every unacknowledged publish is resent in its
    /// original order with DUP, and PUBREL for those past PUBREC [MQTT-4.4.0-1]. Without one, the protocol state is
    /// gone [MQTT-3.2.2-5]: unacknowledged publishes complete as SessionLost (those past a successful PUBREC were
    /// already accepted by the server and complete as Accepted), and subscriptions are made again.
    /// </summary>
    private (int Resent, int Lost) ResumeSessionLocked(MqttConnection connection, bool sessionPresent)
    {
        var resent = 0;
        var lost = 0;
        if (sessionPresent)
        {
            for (var op = _inflightHead; op is not null; op = op.Next)
            {
                op.SentOn = null;
                op.HoldsQuota = false;
                resent++;
            }

            _resendCursor = _inflightHead;
        }
        else
        {
            _inboundQos2.Clear();
            while (_inflightHead is { } op)
            {
                RemoveInFlightLocked(op);
                if (op.State == PublishState.AwaitingPubComp)
                {
                    op.Complete(new PublishResult(MqttPublishOutcome.Accepted, MqttReasonCode.Success, op.PacketId,
                        "PUBREC was received; the session ended before PUBCOMP"));
                }
                else
                {
                    lost++;
                    op.Complete(new PublishResult(MqttPublishOutcome.SessionLost, MqttReasonCode.UnspecifiedError, op.PacketId,
                        "the broker no longer had our session when we reconnected; publish again"));
                }
            }

            _resendCursor = null;
            if (_subscriptions.Count > 0)
            {
                var request = new RequestOperation(MqttPacketType.SubAck);
                request.PacketId = AllocatePacketIdLocked(request);
                var subscriptions = new List<MqttSubscription>(_subscriptions.Values);
                MqttPacketEncoder.WriteSubscribe(connection.Pending, new MqttSubscribePacket { PacketId = request.PacketId, Subscriptions = subscriptions },
                    connection.Version);
            }
        }

        PumpLocked(connection);
        connection.ScheduleFlushLocked();
        return (resent, lost);
    }

    /// <summary>The connection is gone: publishes keep their ids for the next connection; pending SUBSCRIBE/UNSUBSCRIBE fail.</summary>
    private void OnConnectionLost(MqttConnection connection)
    {
        List<RequestOperation>? failed = null;
        lock (_sync)
        {
            if (_connection == connection)
            {
                _connection = null;
            }

            for (var op = _inflightHead; op is not null; op = op.Next)
            {
                op.SentOn = null;
                op.HoldsQuota = false;
            }

            for (var id = 1; id <= MqttLimits.MaxPacketIdentifier && _packetIdsInUse > 0; id++)
            {
                if (_packetIds[id] is RequestOperation request)
                {
                    FreePacketIdLocked((ushort)id);
                    (failed ??= new()).Add(request);
                }
            }
        }

        if (failed is not null)
        {
            foreach (var request in failed)
            {
                request.TrySetException(new IOException("the connection was lost before the broker answered; try again"));
            }
        }
    }

    /// <summary>Client lock: the client is finished; every unresolved publish and request completes.</summary>
    private void AbortAllLocked()
    {
        var aborted = new PublishResult(MqttPublishOutcome.Aborted, MqttReasonCode.UnspecifiedError, 0, "the client disconnected before the outcome was known");
        while (_inflightHead is { } op)
        {
            RemoveInFlightLocked(op);
            op.Complete(aborted with { PacketId = op.PacketId });
        }

        _resendCursor = null;
        while (_queued.TryDequeue(out var queued))
        {
            if (queued.State != PublishState.Canceled)
            {
                queued.Complete(aborted);
            }
        }

        for (var id = 1; id <= MqttLimits.MaxPacketIdentifier && _packetIdsInUse > 0; id++)
        {
            if (_packetIds[id] is RequestOperation request)
            {
                FreePacketIdLocked((ushort)id);
                request.TrySetException(new ObjectDisposedException(nameof(MqttClient), "the client disconnected"));
            }
        }
    }
}
